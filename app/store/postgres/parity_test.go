package postgres

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// TestDialectsHaveTheSameSchema: every migration changes both dialects, so
// after all of them both databases have the same tables and columns.
func TestDialectsHaveTheSameSchema(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	rows, err := tdb.db.pool.Query(ctx, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	pgCols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), sqlite.FileName)
	sdb, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	srows, err := raw.QueryContext(ctx, `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer srows.Close()
	var liteCols []string
	for srows.Next() {
		var c string
		if err := srows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		liteCols = append(liteCols, c)
	}
	if err := srows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pgCols, liteCols) {
		t.Fatalf("schemas differ:\npostgres: %v\nsqlite:   %v", pgCols, liteCols)
	}
}

// notTenantLed are the documented indexes of the narrow cross-tenant paths:
// the user's own memberships, invitations by token hash and by address,
// and the registry's lookup of held slugs (0008_slug_holds.sql).
var notTenantLed = map[string]bool{"memberships_user_lookup": true, "invitations_token_key": true, "invitations_email_lookup": true,
	"slug_holds_slug_idx": true}

// TestTenantIDLeadsEveryIndex: on tables with tenant rows, every index
// starts with tenant_id, except the documented lookups (notTenantLed).
func TestTenantIDLeadsEveryIndex(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	rows, err := tdb.db.pool.Query(ctx, `
		SELECT i.indexrelid::regclass::text, a.attname
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
		WHERE c.relnamespace = 'public'::regnamespace AND EXISTS (
			SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id')`)
	if err != nil {
		t.Fatal(err)
	}
	type idx struct{ name, first string }
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (idx, error) {
		var i idx
		return i, r.Scan(&i.name, &i.first)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no indexes found on tenant tables")
	}
	for _, i := range list {
		if i.first != "tenant_id" && !notTenantLed[i.name] {
			t.Errorf("index %s leads with %s, not tenant_id", i.name, i.first)
		}
	}
}
