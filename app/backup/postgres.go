package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/migrations"
)

// The logical export reads every data-plane table with COPY inside one
// REPEATABLE READ READ ONLY transaction, so all tables come from one
// snapshot while the server keeps writing. Data-plane tables are the ones
// in schema public owned by the owner of schema_migrations.
const dataTablesSQL = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind = 'r'
	  AND c.relowner = (SELECT relowner FROM pg_class WHERE oid = 'public.schema_migrations'::regclass)
	ORDER BY c.relname`

// connectOwner connects to url and checks its role sees every tenant.
func connectOwner(ctx context.Context, url string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("backup: connect to NYX_DATABASE_MIGRATE_URL: %w", err)
	}
	var role string
	var bypass bool
	if err := conn.QueryRow(ctx, `SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&role, &bypass); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("backup: check role: %w", err)
	}
	if !bypass {
		conn.Close(ctx)
		return nil, fmt.Errorf("backup: role %q cannot see every tenant: FORCE ROW LEVEL SECURITY applies to the table owner too. "+
			"Back up and restore as the schema owner with BYPASSRLS (as a superuser: ALTER ROLE %s BYPASSRLS) or as a superuser", role, pgx.Identifier{role}.Sanitize())
	}
	return conn, nil
}

func exportPostgres(ctx context.Context, url, dir string, m *Manifest) error {
	conn, err := connectOwner(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("backup: export: %w", err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // read only
	versions, err := pgVersions(ctx, tx)
	if err != nil {
		return err
	}
	m.Migrations = versions
	if len(versions) > 0 {
		m.Schema = versions[len(versions)-1]
	}
	tables, err := dataTables(ctx, tx)
	if err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(dir, "postgres"), 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	for _, name := range tables {
		t, sum, err := exportTable(ctx, tx, dir, name)
		if err != nil {
			return err
		}
		m.Tables = append(m.Tables, t)
		m.Files[t.File] = sum
	}
	return tx.Commit(ctx)
}

func pgVersions(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("backup: read schema version (run `nyxcore db migrate` first?): %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("backup: read schema version: %w", err)
	}
	return versions, nil
}

func dataTables(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, dataTablesSQL)
	if err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	return names, nil
}

func tableColumns(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT attname FROM pg_attribute WHERE attrelid = ('public.' || quote_ident($1))::regclass
		AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`, table)
	if err != nil {
		return nil, fmt.Errorf("backup: columns of %s: %w", table, err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("backup: columns of %s: %w", table, err)
	}
	return cols, nil
}

func exportTable(ctx context.Context, tx pgx.Tx, dir, name string) (Table, FileSum, error) {
	cols, err := tableColumns(ctx, tx, name)
	if err != nil {
		return Table{}, FileSum{}, err
	}
	t := Table{Name: name, Columns: cols, File: "postgres/" + name + ".copy"}
	f, err := os.OpenFile(filepath.Join(dir, t.File), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return t, FileSum{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	q := fmt.Sprintf("COPY (SELECT %s FROM public.%s) TO STDOUT", columnList(cols), pgx.Identifier{name}.Sanitize())
	tag, err := tx.Conn().PgConn().CopyTo(ctx, cw, q)
	if err != nil {
		return t, FileSum{}, fmt.Errorf("backup: export %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return t, FileSum{}, fmt.Errorf("backup: %w", err)
	}
	t.Rows = tag.RowsAffected()
	return t, FileSum{Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func columnList(cols []string) string {
	s := ""
	for i, c := range cols {
		if i > 0 {
			s += ", "
		}
		s += pgx.Identifier{c}.Sanitize()
	}
	return s
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// importPostgres replaces the data plane with the export in dir, in one
// transaction: drop the data-plane tables and functions, recreate the
// schema as it was when the backup was made, load every table, then apply
// the migrations this build has beyond it. A failure rolls everything back.
func importPostgres(ctx context.Context, url, dir string, m *Manifest) error {
	conn, err := connectOwner(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(0x6e79785f6d6967)); err != nil { // the key `db migrate` holds
			return fmt.Errorf("backup: restore: lock: %w", err)
		}
		if err := dropDataPlane(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("backup: restore: %w", err)
		}
		restored := map[string]bool{}
		for _, v := range m.Migrations {
			restored[v] = true
		}
		for _, mig := range migrations.Postgres() {
			if restored[mig.Version] {
				if _, err := tx.Exec(ctx, mig.SQL); err != nil {
					return fmt.Errorf("backup: restore: recreate schema %s: %w", mig.Version, err)
				}
			}
		}
		if err := loadTables(ctx, tx, dir, m); err != nil {
			return err
		}
		for _, mig := range migrations.Postgres() {
			if restored[mig.Version] {
				continue
			}
			if _, err := tx.Exec(ctx, mig.SQL); err != nil {
				return fmt.Errorf("backup: restore: migrate %s: %w", mig.Version, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, mig.Version); err != nil {
				return fmt.Errorf("backup: restore: migrate %s: %w", mig.Version, err)
			}
		}
		return nil
	})
}

func dropDataPlane(ctx context.Context, tx pgx.Tx) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass('public.schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return fmt.Errorf("backup: restore: %w", err)
	}
	if !exists {
		return nil // a new database
	}
	tables, err := dataTables(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'public' AND p.proname LIKE 'nyx\_%'
		  AND p.proowner = (SELECT relowner FROM pg_class WHERE oid = 'public.schema_migrations'::regclass)`)
	if err != nil {
		return fmt.Errorf("backup: restore: list functions: %w", err)
	}
	funcs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("backup: restore: list functions: %w", err)
	}
	for _, f := range funcs {
		if _, err := tx.Exec(ctx, "DROP FUNCTION "+f+" CASCADE"); err != nil {
			return fmt.Errorf("backup: restore: drop %s: %w", f, err)
		}
	}
	for _, t := range tables {
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS public."+pgx.Identifier{t}.Sanitize()+" CASCADE"); err != nil {
			return fmt.Errorf("backup: restore: drop %s: %w", t, err)
		}
	}
	return nil
}

// loadTables copies every exported table in, parents before children.
func loadTables(ctx context.Context, tx pgx.Tx, dir string, m *Manifest) error {
	order, err := parentsFirst(ctx, tx, m.Tables)
	if err != nil {
		return err
	}
	for _, t := range order {
		if t.Name == "schema_migrations" {
			if _, err := tx.Exec(ctx, `DELETE FROM schema_migrations`); err != nil {
				return fmt.Errorf("backup: restore: %w", err)
			}
		}
		f, err := os.Open(filepath.Join(dir, t.File))
		if err != nil {
			return fmt.Errorf("backup: restore: %w", err)
		}
		q := fmt.Sprintf("COPY public.%s (%s) FROM STDIN", pgx.Identifier{t.Name}.Sanitize(), columnList(t.Columns))
		tag, err := tx.Conn().PgConn().CopyFrom(ctx, f, q)
		f.Close()
		if err != nil {
			return fmt.Errorf("backup: restore: load %s: %w", t.Name, err)
		}
		if tag.RowsAffected() != t.Rows {
			return fmt.Errorf("%w: table %s has %d rows, the manifest says %d", ErrCorrupt, t.Name, tag.RowsAffected(), t.Rows)
		}
	}
	return nil
}

// parentsFirst orders tables so that every foreign key's target is loaded
// before the table referring to it.
func parentsFirst(ctx context.Context, tx pgx.Tx, tables []Table) ([]Table, error) {
	rows, err := tx.Query(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
		WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid <> confrelid`)
	if err != nil {
		return nil, fmt.Errorf("backup: restore: foreign keys: %w", err)
	}
	deps := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, fmt.Errorf("backup: restore: foreign keys: %w", err)
		}
		deps[child] = append(deps[child], parent)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("backup: restore: foreign keys: %w", err)
	}
	byName := map[string]Table{}
	names := make([]string, 0, len(tables))
	for _, t := range tables {
		byName[t.Name] = t
		names = append(names, t.Name)
	}
	sort.Strings(names)
	var out []Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("backup: restore: foreign keys form a cycle at %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		for _, p := range deps[n] {
			if err := visit(p); err != nil {
				return err
			}
		}
		state[n] = 2
		if t, ok := byName[n]; ok {
			out = append(out, t)
		}
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func pgHasSchema(ctx context.Context, url string) (bool, error) {
	conn, err := connectOwner(ctx, url)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	var has bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('public.schema_migrations') IS NOT NULL`).Scan(&has); err != nil {
		return false, fmt.Errorf("backup: %w", err)
	}
	return has, nil
}

func pgKnownVersions() []string {
	var out []string
	for _, m := range migrations.Postgres() {
		out = append(out, m.Version)
	}
	return out
}
