package hooks_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
	"github.com/nyxcore/nyxcore/hooks"
)

func setup(t *testing.T) (*tests.TestApp, store.Store) {
	t.Helper()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hooks.Register(app, st, nil)
	return app, st
}

func newUser(t *testing.T, app core.App, email, name string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(hooks.UsersCollection)
	if err != nil {
		t.Fatal(err)
	}
	rec := core.NewRecord(col)
	rec.SetEmail(email)
	rec.SetPassword("password-123")
	rec.Set("name", name)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestUsersAreMirrored(t *testing.T) {
	ctx := context.Background()
	app, st := setup(t)
	rec := newUser(t, app, "ada@example.com", "Ada")
	u, err := st.GetUser(ctx, rec.Id)
	if err != nil || u.Email != "ada@example.com" || u.Name != "Ada" {
		t.Fatalf("mirror after create = %+v, %v", u, err)
	}
	rec.SetEmail("ada@new.example")
	rec.Set("name", "Ada L")
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	u, _ = st.GetUser(ctx, rec.Id)
	if u.Email != "ada@new.example" || u.Name != "Ada L" {
		t.Fatalf("mirror after update = %+v", u)
	}
}

func TestDeletingAUserRemovesMemberships(t *testing.T) {
	ctx := context.Background()
	app, st := setup(t)
	owner := newUser(t, app, "owner@example.com", "Owner")
	member := newUser(t, app, "member@example.com", "Member")
	tn, err := st.CreateTenant(ctx, "acme", "Acme", owner.Id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMember(ctx, tn.ID, member.Id, "member"); err != nil {
		t.Fatal(err)
	}
	if err := app.Delete(member); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetMember(ctx, tn.ID, member.Id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("membership of a deleted user: %v", err)
	}
	if _, err := st.GetUser(ctx, member.Id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("mirror of a deleted user: %v", err)
	}
}

func TestTheOnlyOwnerCannotBeDeleted(t *testing.T) {
	ctx := context.Background()
	app, st := setup(t)
	owner := newUser(t, app, "owner@example.com", "Owner")
	if _, err := st.CreateTenant(ctx, "acme", "Acme", owner.Id); err != nil {
		t.Fatal(err)
	}
	err := app.Delete(owner)
	if err == nil || !strings.Contains(err.Error(), "only owner of acme") {
		t.Fatalf("deleting the only owner: %v", err)
	}
	if _, err := app.FindRecordById(hooks.UsersCollection, owner.Id); err != nil {
		t.Fatalf("the account was deleted anyway: %v", err)
	}
}

func TestReconcileRepairsAMissedHook(t *testing.T) {
	ctx := context.Background()
	app, st := setup(t)
	rec := newUser(t, app, "ada@example.com", "Ada")
	// A crash between PocketBase's commit and the hook: simulate both ways.
	if err := st.DeleteUser(ctx, rec.Id); err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertUser(ctx, store.User{ID: "ghost00000000001", Email: "ghost@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := hooks.Reconcile(ctx, app, st); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetUser(ctx, rec.Id); err != nil {
		t.Fatalf("missing user not restored: %v", err)
	}
	if _, err := st.GetUser(ctx, "ghost00000000001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("stale mirror row kept: %v", err)
	}
}
