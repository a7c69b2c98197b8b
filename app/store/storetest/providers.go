package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
)

func newProvider(t *testing.T, s store.Store, tenantID, name string) *store.Provider {
	t.Helper()
	p, err := s.CreateProvider(context.Background(), store.Provider{TenantID: tenantID, Kind: "openai", Name: name,
		BaseURL: "https://api.example.com/v1", APIKey: "v1:k1:nonce:sealed-" + name, APIKeyLast4: "wxyz",
		EnabledModels: []string{"gpt-x"}, Enabled: true})
	must(t, err)
	return p
}

func testProviders(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	p := newProvider(t, s, f.a.ID, "Cloud")
	if p.ID == "" || p.TenantID != f.a.ID || p.Kind != "openai" || p.APIKeyLast4 != "wxyz" || len(p.EnabledModels) != 1 || !p.Enabled {
		t.Fatalf("CreateProvider = %+v", p)
	}
	_, err := s.CreateProvider(ctx, store.Provider{TenantID: f.a.ID, Kind: "ollama", Name: "CLOUD"})
	wantErr(t, err, store.ErrNameTaken)
	if _, err := s.CreateProvider(ctx, store.Provider{TenantID: f.b.ID, Kind: "ollama", Name: "Cloud"}); err != nil {
		t.Fatalf("another tenant may reuse a name: %v", err)
	}

	off, models := false, []string{}
	up, err := s.UpdateProvider(ctx, f.a.ID, p.ID, store.UpdateProvider{Enabled: &off, EnabledModels: &models, BaseURL: ptr("http://gpu:8000/v1")})
	must(t, err)
	if up.Enabled || len(up.EnabledModels) != 0 || up.BaseURL != "http://gpu:8000/v1" || up.APIKey == "" || up.APIKeyLast4 != "wxyz" {
		t.Fatalf("UpdateProvider = %+v", up)
	}
	up, err = s.UpdateProvider(ctx, f.a.ID, p.ID, store.UpdateProvider{APIKey: ptr("")})
	must(t, err)
	if up.APIKey != "" || up.APIKeyLast4 != "" {
		t.Fatalf("clearing the key left %q / %q", up.APIKey, up.APIKeyLast4)
	}

	per, err := s.CreatePersona(ctx, store.Persona{TenantID: f.a.ID, Name: "Critic", ProviderID: p.ID, Model: "gpt-x"})
	must(t, err)
	wantErr(t, s.DeleteProvider(ctx, f.a.ID, p.ID), store.ErrInUse)
	must(t, s.DeletePersona(ctx, f.a.ID, per.ID))
	must(t, s.DeleteProvider(ctx, f.a.ID, p.ID))
	_, err = s.GetProvider(ctx, f.a.ID, p.ID)
	wantErr(t, err, store.ErrNotFound)
	list, err := s.ListProviders(ctx, f.a.ID)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("providers after delete = %+v", list)
	}
}

func testPersonas(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	temp := 0.7
	p, err := s.CreatePersona(ctx, store.Persona{TenantID: f.a.ID, Name: "Skeptic", Avatar: "🦉", Color: "#6d5dfc",
		ProviderID: "local-ollama", Model: "llama3", SystemPrompt: "Doubt everything.", Temperature: &temp,
		Options: json.RawMessage(`{"top_p":0.9}`)})
	must(t, err)
	if p.ID == "" || p.Avatar != "🦉" || p.Temperature == nil || *p.Temperature != 0.7 || string(p.Options) != `{"top_p":0.9}` {
		t.Fatalf("CreatePersona = %+v", p)
	}
	_, err = s.CreatePersona(ctx, store.Persona{TenantID: f.a.ID, Name: "skeptic", ProviderID: "x", Model: "m"})
	wantErr(t, err, store.ErrNameTaken)
	opts := json.RawMessage(`{"seed":1}`)
	up, err := s.UpdatePersona(ctx, f.a.ID, p.ID, store.UpdatePersona{SystemPrompt: ptr("Be kind."), ClearTemperature: true, Options: &opts})
	must(t, err)
	if up.SystemPrompt != "Be kind." || up.Temperature != nil || string(up.Options) != `{"seed":1}` || up.Name != "Skeptic" {
		t.Fatalf("UpdatePersona = %+v", up)
	}
	list, err := s.ListPersonas(ctx, f.a.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("ListPersonas = %+v", list)
	}
	must(t, s.DeletePersona(ctx, f.a.ID, p.ID))
	wantErr(t, s.DeletePersona(ctx, f.a.ID, p.ID), store.ErrNotFound)
}

// testModelIsolation: tenant B's context never sees, changes or deletes
// tenant A's providers and personas.
func testModelIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	p := newProvider(t, s, f.a.ID, "Cloud")
	per, err := s.CreatePersona(ctx, store.Persona{TenantID: f.a.ID, Name: "A's", ProviderID: p.ID, Model: "m"})
	must(t, err)

	_, err = s.GetProvider(ctx, f.b.ID, p.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetPersona(ctx, f.b.ID, per.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.UpdateProvider(ctx, f.b.ID, p.ID, store.UpdateProvider{Name: ptr("stolen")})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.UpdatePersona(ctx, f.b.ID, per.ID, store.UpdatePersona{Name: ptr("stolen")})
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeletePersona(ctx, f.b.ID, per.ID), store.ErrNotFound)
	wantErr(t, s.DeleteProvider(ctx, f.b.ID, p.ID), store.ErrNotFound)
	for _, tenant := range []string{f.b.ID, ""} {
		if l, _ := s.ListProviders(ctx, tenant); len(l) != 0 {
			t.Fatalf("tenant %q sees providers %+v", tenant, l)
		}
		if l, _ := s.ListPersonas(ctx, tenant); len(l) != 0 {
			t.Fatalf("tenant %q sees personas %+v", tenant, l)
		}
	}
	n, err := s.RewrapProviderKeys(ctx, f.b.ID, func(string, string) (string, bool, error) { return "changed", true, nil })
	must(t, err)
	if n != 0 {
		t.Fatalf("rewrapping B's keys touched %d rows", n)
	}
	got, err := s.GetProvider(ctx, f.a.ID, p.ID)
	must(t, err)
	if got.Name != "Cloud" || got.APIKey != p.APIKey {
		t.Fatalf("A's provider changed through B: %+v", got)
	}
	if pp, _ := s.GetPersona(ctx, f.a.ID, per.ID); pp == nil || pp.Name != "A's" {
		t.Fatalf("A's persona changed through B: %+v", pp)
	}
}

func testSecrets(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	a := newProvider(t, s, f.a.ID, "One")
	newProvider(t, s, f.a.ID, "Two")
	keyless, err := s.CreateProvider(ctx, store.Provider{TenantID: f.a.ID, Kind: "ollama", Name: "Local"})
	must(t, err)

	ids, err := s.TenantIDs(ctx)
	must(t, err)
	if len(ids) != 2 {
		t.Fatalf("TenantIDs = %v", ids)
	}
	seen := 0
	n, err := s.RewrapProviderKeys(ctx, f.a.ID, func(id, env string) (string, bool, error) {
		seen++
		if env == a.APIKey {
			return "v1:k2:n:resealed", true, nil
		}
		return "", false, nil
	})
	must(t, err)
	if seen != 2 || n != 1 {
		t.Fatalf("rewrap saw %d keys and changed %d, want 2 and 1", seen, n)
	}
	got, _ := s.GetProvider(ctx, f.a.ID, a.ID)
	if got.APIKey != "v1:k2:n:resealed" {
		t.Fatalf("rewrapped key = %q", got.APIKey)
	}
	if got, _ := s.GetProvider(ctx, f.a.ID, keyless.ID); got.APIKey != "" {
		t.Fatalf("a provider without a key got %q", got.APIKey)
	}

	keys, err := s.SecretKeys(ctx)
	must(t, err)
	if len(keys) != 0 {
		t.Fatalf("fresh store has keys %+v", keys)
	}
	must(t, s.AddSecretKey(ctx, store.SecretKey{ID: "k1", Wrapped: "v1:m:n:c", MasterID: "m", CreatedAt: f.a.CreatedAt}))
	keys, err = s.SecretKeys(ctx)
	must(t, err)
	if len(keys) != 1 || keys[0].ID != "k1" || keys[0].Wrapped != "v1:m:n:c" || keys[0].MasterID != "m" {
		t.Fatalf("SecretKeys = %+v", keys)
	}
}
