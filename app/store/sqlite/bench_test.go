package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// BenchmarkTurnStoreWork is the store's share of starting a discussion
// turn in embedded mode: the reads (membership, discussion, persona,
// history, providers) and the two inserts (the user's message, the reply's
// row). With statements kept prepared per connection, SQLite no longer
// parses every query anew.
//
//	go test -run '^$' -bench TurnStoreWork -benchmem ./app/store/sqlite/
func BenchmarkTurnStoreWork(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"}); err != nil {
		b.Fatal(err)
	}
	tn, err := db.CreateTenant(ctx, "acme", "Acme", "u1")
	if err != nil {
		b.Fatal(err)
	}
	p, err := db.CreatePersona(ctx, store.Persona{TenantID: tn.ID, Name: "Ada", ProviderID: "local-ollama", Model: "m"})
	if err != nil {
		b.Fatal(err)
	}
	d, err := db.CreateDiscussion(ctx, store.Discussion{TenantID: tn.ID, Title: "t", Mode: store.ModeSingle, PersonaIDs: []string{p.ID}, MaxRounds: 3, Threshold: 0.8})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.GetMember(ctx, tn.ID, "u1"); err != nil {
			b.Fatal(err)
		}
		if _, err := db.GetDiscussion(ctx, tn.ID, d.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := db.GetPersona(ctx, tn.ID, p.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ListMessages(ctx, tn.ID, d.ID, 0, 20); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ListProviders(ctx, tn.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := db.AddMessage(ctx, store.Message{TenantID: tn.ID, DiscussionID: d.ID, Role: "user", Content: "hello", Status: store.StatusDone}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.AddMessage(ctx, store.Message{TenantID: tn.ID, DiscussionID: d.ID, Role: "assistant", Status: store.StatusStreaming}); err != nil {
			b.Fatal(err)
		}
	}
}
