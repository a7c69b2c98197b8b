package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
	"github.com/nyxcore/nyxcore/app/store/postgres"
)

// pgPlane migrates a fresh database and returns a plane whose owner is the
// test superuser, plus the runtime role's URL.
func pgPlane(t *testing.T, role postgres.AppRole, master *secret.Master) (Plane, string) {
	t.Helper()
	owner := pgtest.NewDatabase(t)
	_, err := postgres.Migrate(context.Background(), owner, role)
	must(t, err)
	u, _ := url.Parse(owner)
	u.User = url.UserPassword(role.Name, role.Password)
	return Plane{Driver: DriverPostgres, OwnerURL: owner, AppRole: role, Version: "test",
		Master: func() (*secret.Master, error) { return master, nil }}, u.String()
}

func openPG(t *testing.T, appURL string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), appURL, 8)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func newRole(t *testing.T) postgres.AppRole {
	b := make([]byte, 4)
	rand.Read(b)
	return postgres.AppRole{Name: "nyx_app_" + hex.EncodeToString(b), Password: "app-secret"}
}

func TestPostgresRoundTripOnANewMachineWhileWriting(t *testing.T) {
	ctx := context.Background()
	master, err := secret.LoadMaster(secret.MasterOptions{DataDir: t.TempDir(), Generate: true})
	must(t, err)
	role := newRole(t)
	plane, appURL := pgPlane(t, role, master)
	dir := t.TempDir()
	app := newApp(t, dir, plane)
	st := openPG(t, appURL)
	tenant := seed(t, app, st, master)

	// writers keep adding discussions with a message and an audit entry
	// while the backup runs: the export must be one snapshot.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writes atomic.Int64
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				d, err := st.CreateDiscussion(ctx, store.Discussion{TenantID: tenant, Title: "busy", Mode: store.ModeSingle, PersonaIDs: []string{"p"}, MaxRounds: 1, Threshold: 0.8, CreatedBy: "u2"})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := st.AddMessage(ctx, store.Message{TenantID: tenant, DiscussionID: d.ID, Role: "user", Content: "x", Status: store.StatusDone}); err != nil {
					t.Error(err)
					return
				}
				if err := audit.New(st, testAuditKeys).Record(ctx, audit.Entry{TenantID: tenant, Action: "discussion.create", TargetType: "discussion", TargetID: d.ID}); err != nil {
					t.Error(err)
					return
				}
				writes.Add(1)
			}
		}()
	}
	for writes.Load() < 5 {
	}
	name, err := Create(ctx, app, plane, "", true)
	close(stop)
	wg.Wait()
	must(t, err)

	// a new machine: fresh pb_data, a fresh database, the same master key
	dir2 := t.TempDir()
	moveBackup(t, dir, dir2, name)
	plane2, appURL2 := pgPlane(t, role, master)
	// the new database is not empty: restore must replace what is there
	st2 := openPG(t, appURL2)
	must(t, st2.UpsertUser(ctx, store.User{ID: "u9", Email: "eve@example.com", Name: "Eve"}))
	_, err = st2.CreateTenant(ctx, "squatter", "Squatter", "u9")
	must(t, err)
	app2 := newApp(t, dir2, plane2)
	res, err := Restore(ctx, app2, plane2, name)
	must(t, err)
	if res.Manifest.Driver != DriverPostgres || len(res.Manifest.Tables) == 0 {
		t.Fatalf("manifest = %+v", res.Manifest)
	}
	restored := dump(t, st2) // verifies every audit chain
	if strings.Contains(restored, "squatter") {
		t.Fatal("restore kept data that was not in the backup")
	}
	// every audited discussion was written (with its message) before its
	// audit entry: in a consistent snapshot each one is there, complete
	entries, err := st2.ListAudit(ctx, tenant, store.FindAudit{Action: "discussion.create", Limit: 100000})
	must(t, err)
	if len(entries) < 5 {
		t.Fatalf("only %d of the concurrent writes are in the backup", len(entries))
	}
	for _, e := range entries {
		msgs, err := st2.ListMessages(ctx, tenant, e.TargetID, 0, 10)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("audited discussion %s restored with %d messages (%v): the export is not one snapshot", e.TargetID, len(msgs), err)
		}
	}
	checkRestored(t, dir2, st2, master, tenant)

	// restoring the same backup over the live copy gives the same state
	// (the old data is kept in the replaced dir as a snapshot)
	app3 := newApp(t, dir2, plane2)
	res, err = Restore(ctx, app3, plane2, name)
	must(t, err)
	if got := dump(t, st2); got != restored {
		t.Fatal("restoring the same backup twice differs")
	}
}

func TestPostgresNeedsAnOwnerThatSeesEveryTenant(t *testing.T) {
	ctx := context.Background()
	role := newRole(t)
	plane, _ := pgPlane(t, role, nil)
	owner := newRole(t)
	conn, err := pgx.Connect(ctx, plane.OwnerURL)
	must(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE ROLE "+owner.Name+" LOGIN PASSWORD 'x' NOBYPASSRLS")
	must(t, err)
	t.Cleanup(func() { conn.Exec(context.Background(), "DROP ROLE "+owner.Name) })
	u, _ := url.Parse(plane.OwnerURL)
	u.User = url.UserPassword(owner.Name, "x")
	plane.OwnerURL = u.String()
	err = Snapshot(ctx, t.TempDir(), t.TempDir()+"/snap", plane)
	if err == nil || !strings.Contains(err.Error(), "BYPASSRLS") {
		t.Fatalf("Snapshot as an owner under RLS = %v, want a BYPASSRLS hint", err)
	}
	plane.OwnerURL = ""
	if err := Snapshot(ctx, t.TempDir(), t.TempDir()+"/snap", plane); err == nil || !strings.Contains(err.Error(), "NYX_DATABASE_MIGRATE_URL") {
		t.Fatalf("Snapshot without an owner URL = %v", err)
	}
}
