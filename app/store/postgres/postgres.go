// Package postgres is the production data plane: PostgreSQL through a pgx
// pool, with row-level security underneath every tenant-scoped statement.
//
// Each tenant-scoped unit of work is one transaction whose first statement is
// set_config('app.tenant_id', $1, true). Reads that are a single query send
// that set_config and the query in one pgx batch: PostgreSQL runs a batch as
// one implicit transaction, so the setting is transaction-local there too and
// costs no extra round trip. Nothing is ever set at session level, so a
// pooled connection carries nothing from one borrower to the next.
package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nyxcore/nyxcore/app/store"
)

// DB is the PostgreSQL store. It is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
}

// Open connects to url with the runtime role. It does not migrate: that is
// the owner's job (Migrate); call Check to verify the schema and isolation.
func Open(ctx context.Context, url string, maxConns int32) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store/postgres: parse database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store/postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store/postgres: connect: %w", err)
	}
	return &DB{pool: pool}, nil
}

// Driver returns "postgres".
func (db *DB) Driver() string { return "postgres" }

// Ping runs SELECT 1 on a pooled connection of the runtime role.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.pool.QueryRow(ctx, "SELECT 1").Scan(&one)
}

// Close closes the pool.
func (db *DB) Close() error { db.pool.Close(); return nil }

// withTenantTx runs fn in one transaction confined to tenantID by RLS.
func (db *DB) withTenantTx(ctx context.Context, tenantID string, fn func(pgx.Tx) error) error {
	return db.withScopedTx(ctx, "app.tenant_id", tenantID, fn)
}

// withUserTx runs fn in one transaction that sees userID's own memberships
// (and their tenants) across tenants, and nothing else tenant-owned.
func (db *DB) withUserTx(ctx context.Context, userID string, fn func(pgx.Tx) error) error {
	return db.withScopedTx(ctx, "app.user_id", userID, fn)
}

func (db *DB) withScopedTx(ctx context.Context, setting, value string, fn func(pgx.Tx) error) error {
	if value == "" {
		return store.ErrNotFound // an empty scope sees nothing; say so without a round trip
	}
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config($1, $2, true)`, setting, value); err != nil {
			return err
		}
		return fn(tx)
	})
}

// queryTenant runs one read-only query confined to tenantID, with the
// set_config in the same round trip, and hands the rows to scan.
func (db *DB) queryTenant(ctx context.Context, tenantID, sql string, args []any, scan func(pgx.Rows) error) error {
	if tenantID == "" {
		return store.ErrNotFound
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('app.tenant_id', $1, true)`, tenantID)
	b.Queue(sql, args...)
	br := db.pool.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return err
	}
	if err := scan(rows); err != nil {
		rows.Close()
		br.Close()
		return err
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		br.Close()
		return err
	}
	return br.Close()
}

// mapErr turns driver errors into store errors and adds context.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		switch pgErr.ConstraintName {
		case "tenants_slug_key":
			err = store.ErrSlugTaken
		case "tenants_custom_domain_key":
			err = store.ErrDomainTaken
		case "memberships_pkey":
			err = store.ErrAlreadyMember
		}
	}
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		err = fmt.Errorf("%w: %s", store.ErrSchema, pgErr.Message)
	}
	return fmt.Errorf("store/postgres: %s: %w", op, err)
}
