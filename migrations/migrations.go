// Package migrations holds the schema of both planes: the data plane's SQL
// files for PostgreSQL and SQLite (embedded, applied in order by each store
// driver) and the control plane's Go migrations for PocketBase.
//
// Every data-plane change adds a file with the same number to both
// postgres/ and sqlite/; a test checks both dialects end with the same tables
// and columns.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed postgres/*.sql
var postgresFS embed.FS

//go:embed sqlite/*.sql
var sqliteFS embed.FS

// Migration is one data-plane schema step.
type Migration struct {
	// Version is the file name without extension, e.g. "0001_init"; it orders
	// the steps and is what the schema_migrations table records.
	Version string
	SQL     string
}

// Postgres returns the PostgreSQL migrations in order.
func Postgres() []Migration { return mustList(postgresFS, "postgres") }

// SQLite returns the SQLite migrations in order.
func SQLite() []Migration { return mustList(sqliteFS, "sqlite") }

func mustList(fsys fs.FS, dir string) []Migration {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("migrations: read %s: %v", dir, err)) // embedded: cannot fail at run time
	}
	out := make([]Migration, 0, len(entries))
	for _, e := range entries {
		b, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			panic(fmt.Sprintf("migrations: read %s: %v", e.Name(), err))
		}
		out = append(out, Migration{Version: strings.TrimSuffix(e.Name(), ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out
}
