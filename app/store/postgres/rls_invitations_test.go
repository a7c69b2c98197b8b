package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// TestInvitationsAreConfinedByRLS runs unfiltered SQL in each narrow scope:
// a tenant sees only its own invitations, an address only those addressed
// to it, a token hash only its invitation, and no setting nothing at all.
func TestInvitationsAreConfinedByRLS(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	a, b := rlsFixture(t, tdb.db)
	now := time.Now()
	for _, inv := range []struct{ tenant, email, hash string }{
		{a.ID, "victim@example.com", "ha1"}, {a.ID, "other@example.com", "ha2"}, {b.ID, "victim@example.com", "hb1"},
	} {
		if _, err := tdb.db.UpsertInvitation(ctx, store.Invitation{TenantID: inv.tenant, Email: inv.email, Role: "member",
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, inv.hash); err != nil {
			t.Fatal(err)
		}
	}
	count := func(setting, value, sql string) (n int) {
		t.Helper()
		err := pgx.BeginTxFunc(ctx, tdb.db.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT set_config($1, $2, true)`, setting, value); err != nil {
				return err
			}
			return tx.QueryRow(ctx, sql).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	cases := []struct {
		setting, value, sql string
		want                int
	}{
		{"app.tenant_id", b.ID, `SELECT count(*) FROM invitations`, 1},
		{"app.tenant_id", b.ID, `SELECT count(*) FROM invitations WHERE tenant_id <> current_setting('app.tenant_id')`, 0},
		{"app.user_email", "victim@example.com", `SELECT count(*) FROM invitations`, 2},
		{"app.user_email", "victim@example.com", `SELECT count(*) FROM tenants`, 2},
		{"app.user_email", "nobody@example.com", `SELECT count(*) FROM invitations`, 0},
		{"app.invitation_token", "ha2", `SELECT count(*) FROM invitations`, 1},
		{"app.invitation_token", "ha2", `SELECT count(*) FROM tenants`, 1},
		{"app.invitation_token", "guess", `SELECT count(*) FROM invitations`, 0},
		{"app.nothing", "x", `SELECT count(*) FROM invitations`, 0},
		{"app.user_id", "ua", `SELECT count(*) FROM invitations`, 0},
	}
	for _, c := range cases {
		if n := count(c.setting, c.value, c.sql); n != c.want {
			t.Errorf("%s=%s: %s saw %d, want %d", c.setting, c.value, c.sql, n, c.want)
		}
	}
	// The invitee scope reads but cannot write: revoking or inserting needs the tenant.
	err := pgx.BeginTxFunc(ctx, tdb.db.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.user_email', 'victim@example.com', true)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE invitations SET role = 'owner'`)
		return err
	})
	if err == nil {
		t.Fatal("the invitee scope rewrote invitations")
	}
}

// TestAccountEventsAreConfinedByRLS: only the user's own scope sees them.
func TestAccountEventsAreConfinedByRLS(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	a, _ := rlsFixture(t, tdb.db)
	for _, u := range []string{"ua", "ua", "ub"} {
		if err := tdb.db.AppendAccountEvent(ctx, store.AccountEvent{UserID: u, Action: "auth.signin", IP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		setting, value string
		want           int
	}{{"app.user_id", "ua", 2}, {"app.user_id", "ub", 1}, {"app.tenant_id", a.ID, 0}, {"app.user_email", "ua@example.com", 0}} {
		var n int
		err := pgx.BeginTxFunc(ctx, tdb.db.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT set_config($1, $2, true)`, c.setting, c.value); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT count(*) FROM account_events`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != c.want {
			t.Errorf("%s=%s sees %d account events, want %d", c.setting, c.value, n, c.want)
		}
	}
	var n int
	if err := tdb.db.pool.QueryRow(ctx, `SELECT count(*) FROM account_events`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("with no scope the runtime role sees %d account events (%v)", n, err)
	}
}
