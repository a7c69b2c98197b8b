package backup

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

const (
	userEmail = "ada@example.com"
	userPass  = "correct horse battery"
	apiKey    = "sk-live-0123456789"
)

// newApp is a bootstrapped PocketBase control plane in dir with the backup
// hooks registered.
func newApp(t *testing.T, dir string, plane Plane) core.App {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if err := app.RunAllMigrations(); err != nil {
		t.Fatalf("migrate control plane: %v", err)
	}
	Register(app, func() Plane { return plane })
	// terminate as PocketBase does (watcher and log writer first), not a
	// bare ResetBootstrapState that races with them
	t.Cleanup(func() { closeControlPlane(app) })
	return app
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seed writes a user who can sign in and one tenant with everything a
// tenant holds; it returns the tenant id.
func seed(t *testing.T, app core.App, st store.Store, master *secret.Master) string {
	t.Helper()
	ctx := context.Background()
	users, err := app.FindCollectionByNameOrId("users")
	must(t, err)
	u := core.NewRecord(users)
	u.SetEmail(userEmail)
	u.SetPassword(userPass)
	must(t, app.Save(u))
	must(t, st.UpsertUser(ctx, store.User{ID: u.Id, Email: userEmail, Name: "Ada"}))
	tn, err := st.CreateTenant(ctx, "acme", "Acme", u.Id)
	must(t, err)
	must(t, st.UpsertUser(ctx, store.User{ID: "u2", Email: "bob@example.com", Name: "Bob"}))
	_, err = st.AddMember(ctx, tn.ID, "u2", "member")
	must(t, err)
	key, _ := secret.NewKey()
	wrapped, err := master.WrapKey(key)
	must(t, err)
	must(t, st.AddSecretKey(ctx, store.SecretKey{ID: key.ID, Wrapped: wrapped, MasterID: master.ID(), CreatedAt: key.CreatedAt}))
	ring, err := secret.NewKeyring(key)
	must(t, err)
	p, err := st.CreateProvider(ctx, store.Provider{TenantID: tn.ID, Kind: "openai", Name: "cloud", BaseURL: "https://api.example.com", Enabled: true})
	must(t, err)
	sealed, err := ring.Seal([]byte(apiKey), registry.KeyAD(tn.ID, p.ID))
	must(t, err)
	_, err = st.UpdateProvider(ctx, tn.ID, p.ID, store.UpdateProvider{APIKey: &sealed})
	must(t, err)
	per, err := st.CreatePersona(ctx, store.Persona{TenantID: tn.ID, Name: "Critic", ProviderID: p.ID, Model: "gpt-x", SystemPrompt: "Be sharp."})
	must(t, err)
	d, err := st.CreateDiscussion(ctx, store.Discussion{TenantID: tn.ID, Title: "Zebra plan", Mode: store.ModeSingle, PersonaIDs: []string{per.ID}, MaxRounds: 1, Threshold: 0.8, CreatedBy: u.Id})
	must(t, err)
	for _, c := range []string{"What about the Zebra plan?", "It is risky."} {
		_, err = st.AddMessage(ctx, store.Message{TenantID: tn.ID, DiscussionID: d.ID, Role: "user", Content: c, Status: store.StatusDone})
		must(t, err)
	}
	must(t, audit.New(st, testAuditKeys).Record(ctx, audit.Entry{TenantID: tn.ID, ActorID: u.Id, Action: "tenant.create", TargetType: "tenant", TargetID: tn.ID}))
	must(t, audit.New(st, testAuditKeys).Record(ctx, audit.Entry{TenantID: tn.ID, ActorID: u.Id, Action: "provider.create", TargetType: "provider", TargetID: p.ID}))
	must(t, st.AddUsage(ctx, tn.ID, u.Id, "2026-01-02", 1234))
	return tn.ID
}

// dump is everything a user can see in the data plane, as JSON.
func dump(t *testing.T, st store.Store) string {
	t.Helper()
	ctx := context.Background()
	ids, err := st.TenantIDs(ctx)
	must(t, err)
	all := map[string]any{}
	keys, err := st.SecretKeys(ctx)
	must(t, err)
	all["keys"] = keys
	for _, id := range ids {
		tn, err := st.GetTenant(ctx, id)
		must(t, err)
		members, err := st.ListMembers(ctx, id)
		must(t, err)
		providers, err := st.ListProviders(ctx, id)
		must(t, err)
		personas, err := st.ListPersonas(ctx, id)
		must(t, err)
		ds, err := st.ListDiscussions(ctx, id, "", 1000)
		must(t, err)
		msgs := map[string]any{}
		for _, d := range ds {
			m, err := st.ListMessages(ctx, id, d.ID, 0, 1000)
			must(t, err)
			msgs[d.ID] = m
		}
		entries, err := st.ListAudit(ctx, id, store.FindAudit{Limit: 1000})
		must(t, err)
		usage, err := st.SumUsage(ctx, id, "", "2026-01-02")
		must(t, err)
		n, err := audit.Verify(ctx, st, testAuditKeys, id, nil)
		must(t, err)
		all[id] = map[string]any{"tenant": tn, "members": members, "providers": providers, "personas": personas,
			"discussions": ds, "messages": msgs, "audit": entries, "usage": usage, "chain": n}
	}
	b, err := json.MarshalIndent(all, "", " ")
	must(t, err)
	return string(b)
}

// checkRestored asserts the user signs in with the old password and the
// sealed provider key opens with the keys stored in the data plane.
func checkRestored(t *testing.T, dir string, st store.Store, master *secret.Master, tenantID string) {
	t.Helper()
	ctx := context.Background()
	app := newApp(t, dir, Plane{Driver: DriverSQLite})
	// closed before the caller restores into dir again: a restore runs
	// beside no other control plane on its data dir
	defer closeControlPlane(app)
	u, err := app.FindAuthRecordByEmail("users", userEmail)
	if err != nil {
		t.Fatalf("the restored user is gone: %v", err)
	}
	if !u.ValidatePassword(userPass) {
		t.Fatal("the restored user cannot sign in with their password")
	}
	stored, err := st.SecretKeys(ctx)
	must(t, err)
	var keys []secret.Key
	for _, s := range stored {
		k, err := master.UnwrapKey(s.ID, s.Wrapped, s.CreatedAt)
		must(t, err)
		keys = append(keys, k)
	}
	ring, err := secret.NewKeyring(keys...)
	must(t, err)
	ps, err := st.ListProviders(ctx, tenantID)
	must(t, err)
	clear, err := ring.Open(ps[0].APIKey, registry.KeyAD(tenantID, ps[0].ID))
	if err != nil || string(clear) != apiKey {
		t.Fatalf("sealed key after restore = %q, %v", clear, err)
	}
}

// moveBackup copies a stored backup into another data dir's backups, as an
// operator does when restoring on a new machine.
func moveBackup(t *testing.T, fromDir, toDir, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fromDir, core.LocalBackupsDirName, name))
	must(t, err)
	must(t, os.MkdirAll(filepath.Join(toDir, core.LocalBackupsDirName), 0o700))
	must(t, os.WriteFile(filepath.Join(toDir, core.LocalBackupsDirName, name), b, 0o600))
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return b
}

// testAuditKeys key the audit chains the backup tests write and verify.
var testAuditKeys = audit.NewKeys([]byte("backup test audit chain key"), []byte("backup test audit checkpoint key"))
