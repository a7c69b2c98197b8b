// Package sqlite is the embedded data plane: a separate nyx.db beside
// PocketBase's pb_data, through modernc.org/sqlite (no cgo).
//
// SQLite has no row-level security, so every tenant-owned statement here
// carries `tenant_id = ?` itself; store/storetest proves it. Writes go
// through a single connection (SQLite allows one writer; queueing in Go
// avoids SQLITE_BUSY storms), reads through a small read-only pool over WAL.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/migrations"
)

// FileName is the data plane's file inside the data dir.
const FileName = "nyx.db"

// timeFormat is how timestamps are stored: sortable text, UTC.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// DB is the SQLite store. It is safe for concurrent use.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
}

// Open opens (creating if needed) path and applies pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store/sqlite: %w", err)
	}
	writer := openDB(dsn(path, false))
	writer.SetMaxOpenConns(1)
	reader := openDB(dsn(path, true))
	reader.SetMaxOpenConns(4)
	reader.SetMaxIdleConns(4) // idle connections keep their prepared statements
	db := &DB{path: path, writer: writer, reader: reader}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Driver returns "sqlite".
func (db *DB) Driver() string { return "sqlite" }

// Ping runs SELECT 1 on the reader pool.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.reader.Close(), db.writer.Close())
}

// Check verifies every migration has been applied.
func (db *DB) Check(ctx context.Context) error {
	applied, err := db.appliedVersions(ctx, db.reader)
	if err != nil {
		return fmt.Errorf("store/sqlite: %w: %v", store.ErrSchema, err)
	}
	for _, m := range migrations.SQLite() {
		if !applied[m.Version] {
			return fmt.Errorf("store/sqlite: %w: migration %s is pending", store.ErrSchema, m.Version)
		}
	}
	return nil
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("store/sqlite: migrate: %w", err)
	}
	applied, err := db.appliedVersions(ctx, db.writer)
	if err != nil {
		return fmt.Errorf("store/sqlite: migrate: %w", err)
	}
	for _, m := range migrations.SQLite() {
		if applied[m.Version] {
			continue
		}
		err := db.write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.Version, now())
			return err
		})
		if err != nil {
			return fmt.Errorf("store/sqlite: migrate %s: %w", m.Version, err)
		}
	}
	return nil
}

func (db *DB) appliedVersions(ctx context.Context, conn *sql.DB) (map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// write runs fn in one immediate transaction on the single writer.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback() //nolint:errcheck // the first error is the one to report
		return err
	}
	return tx.Commit()
}

// Snapshot writes a consistent copy of the database to dest (VACUUM INTO),
// safe while serving.
func (db *DB) Snapshot(ctx context.Context, dest string) error {
	_, err := db.writer.ExecContext(ctx, `VACUUM INTO ?`, dest)
	return mapErr("snapshot", err)
}

func now() string { return time.Now().UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s) // written by now(); a parse failure means a zero time, not a crash
	return t
}

func parseTimePtr(s *string) *time.Time {
	if s == nil {
		return nil
	}
	t := parseTime(*s)
	return &t
}

// mapErr turns driver errors into store errors and adds context.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed: tenants.slug"):
		err = store.ErrSlugTaken
	case strings.Contains(msg, "UNIQUE constraint failed: tenants.custom_domain"):
		err = store.ErrDomainTaken
	case strings.Contains(msg, "UNIQUE constraint failed: memberships.tenant_id, memberships.user_id"):
		err = store.ErrAlreadyMember
	case strings.Contains(msg, "no such table"):
		err = fmt.Errorf("%w: %s", store.ErrSchema, msg)
	}
	return fmt.Errorf("store/sqlite: %s: %w", op, err)
}
