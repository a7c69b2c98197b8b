package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// testSlugHolds: a renamed tenant's old slug keeps resolving to it and no
// other tenant can take it (create or rename) until the hold ends; the
// tenant itself can take it back; a rename without a hold frees the slug.
func testSlugHolds(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{Slug: ptr("acme-new"), SlugHold: time.Hour})
	must(t, err)
	for _, slug := range []string{"acme", "acme-new"} {
		if id, err := s.ResolveTenant(ctx, store.FindTenant{Slug: slug}); err != nil || id != f.a.ID {
			t.Fatalf("resolve %q = %q, %v; want the renamed tenant", slug, id, err)
		}
	}
	_, err = s.CreateTenant(ctx, "acme", "Squatter", f.outsider)
	wantErr(t, err, store.ErrSlugHeld)
	_, err = s.UpdateTenant(ctx, f.b.ID, store.UpdateTenant{Slug: ptr("acme"), SlugHold: time.Hour})
	wantErr(t, err, store.ErrSlugHeld)
	if got, _ := s.GetTenant(ctx, f.b.ID); got.Slug != "bravo" {
		t.Fatalf("refused rename changed the slug: %+v", got)
	}
	if id, _ := s.ResolveTenant(ctx, store.FindTenant{Slug: "bravo"}); id != f.b.ID {
		t.Fatal("refused rename disturbed the other tenant")
	}

	// The owner takes the old slug back: acme-new is now held in turn.
	got, err := s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{Slug: ptr("acme"), SlugHold: time.Hour})
	must(t, err)
	if got.Slug != "acme" {
		t.Fatalf("take back: %+v", got)
	}
	_, err = s.CreateTenant(ctx, "acme-new", "Squatter", f.outsider)
	wantErr(t, err, store.ErrSlugHeld)

	// A short hold ends: the slug is free again and resolves to nothing.
	_, err = s.UpdateTenant(ctx, f.b.ID, store.UpdateTenant{Slug: ptr("bravo-2"), SlugHold: 50 * time.Millisecond})
	must(t, err)
	if id, err := s.ResolveTenant(ctx, store.FindTenant{Slug: "bravo"}); err != nil || id != f.b.ID {
		t.Fatalf("held bravo = %q, %v", id, err)
	}
	time.Sleep(100 * time.Millisecond)
	_, err = s.ResolveTenant(ctx, store.FindTenant{Slug: "bravo"})
	wantErr(t, err, store.ErrNotFound)
	c, err := s.CreateTenant(ctx, "bravo", "Charlie", f.outsider)
	must(t, err)
	if id, _ := s.ResolveTenant(ctx, store.FindTenant{Slug: "bravo"}); id != c.ID {
		t.Fatalf("bravo resolves to %q, want the new tenant", id)
	}

	// No hold: the old slug is free at once.
	_, err = s.UpdateTenant(ctx, c.ID, store.UpdateTenant{Slug: ptr("charlie")})
	must(t, err)
	_, err = s.ResolveTenant(ctx, store.FindTenant{Slug: "bravo"})
	wantErr(t, err, store.ErrNotFound)

	// Deleting a tenant drops its holds with it.
	must(t, s.DeleteTenant(ctx, f.a.ID))
	_, err = s.ResolveTenant(ctx, store.FindTenant{Slug: "acme-new"})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.CreateTenant(ctx, "acme-new", "Later", f.outsider)
	must(t, err)
}

// testSlugHoldRace races a rename away from a slug against another
// tenant's create of that slug, many times: whichever wins, the slug
// never ends up with the other tenant while the renamed one holds it.
func testSlugHoldRace(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	for i := range 15 {
		old, next := fmt.Sprintf("race-%d", i), fmt.Sprintf("race-%d-new", i)
		_, err := s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{Slug: &old})
		must(t, err)
		var wg sync.WaitGroup
		var renameErr, createErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, renameErr = s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{Slug: &next, SlugHold: time.Hour})
		}()
		go func() { defer wg.Done(); _, createErr = s.CreateTenant(ctx, old, "Squatter", f.outsider) }()
		wg.Wait()
		if renameErr != nil {
			t.Fatalf("round %d: rename: %v", i, renameErr)
		}
		if createErr == nil {
			t.Fatalf("round %d: another tenant took %q while it was being given up with a hold", i, old)
		}
		if !errors.Is(createErr, store.ErrSlugHeld) && !errors.Is(createErr, store.ErrSlugTaken) {
			t.Fatalf("round %d: create: %v", i, createErr)
		}
		if id, err := s.ResolveTenant(ctx, store.FindTenant{Slug: old}); err != nil || id != f.a.ID {
			t.Fatalf("round %d: %q resolves to %q, %v", i, old, id, err)
		}
	}
}
