package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// BenchmarkTenantListRLS compares the store's tenant-scoped member list
// (RLS on, set_config batched into the same round trip) with the same
// query on an identical copy of the tables that has no RLS, interleaved
// query by query on one runtime-role pool. It reports both latencies and
// rls_throughput_ratio = no-RLS time / RLS time (target >= 0.90).
//
//	make bench   (or: go test -run '^$' -bench TenantListRLS ./app/store/postgres/)
func BenchmarkTenantListRLS(b *testing.B) {
	ctx := context.Background()
	tdb := newTestDB(b)
	const tenants, perTenant = 500, 40
	ids := seedBench(b, tdb, tenants, perTenant)
	copyWithoutRLS(b, tdb)
	db, err := Open(ctx, tdb.appURL, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()

	plain := `SELECT m.tenant_id, m.user_id, u.email, u.name, m.role, m.created_at
		FROM norls.memberships m JOIN norls.users u ON u.id = m.user_id
		WHERE m.tenant_id = $1 ORDER BY m.created_at, m.user_id`
	var rlsTime, plainTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tenant := ids[i%len(ids)]
		start := time.Now()
		ms, err := db.ListMembers(ctx, tenant)
		rlsTime += time.Since(start)
		if err != nil || len(ms) != perTenant {
			b.Fatalf("rls list: %d rows, %v", len(ms), err)
		}
		start = time.Now()
		rows, err := db.pool.Query(ctx, plain, tenant)
		if err != nil {
			b.Fatal(err)
		}
		n, err := scanAll(rows)
		plainTime += time.Since(start)
		if err != nil || n != perTenant {
			b.Fatalf("plain list: %d rows, %v", n, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rlsTime.Nanoseconds())/float64(b.N), "rls-ns/query")
	b.ReportMetric(float64(plainTime.Nanoseconds())/float64(b.N), "norls-ns/query")
	b.ReportMetric(float64(plainTime)/float64(rlsTime), "rls_throughput_ratio")
}

func scanAll(rows pgx.Rows) (int, error) {
	n := 0
	for rows.Next() {
		var m store.Member
		if err := rows.Scan(&m.TenantID, &m.UserID, &m.Email, &m.Name, &m.Role, &m.CreatedAt); err != nil {
			rows.Close()
			return n, err
		}
		n++
	}
	rows.Close()
	return n, rows.Err()
}

// seedBench fills the tables in bulk as the owner: tenants with perTenant
// members each, every member a distinct user.
func seedBench(b testing.TB, tdb testDB, tenants, perTenant int) []string {
	admin(b, tdb.adminURL,
		fmt.Sprintf(`INSERT INTO tenants (id, slug, name) SELECT 'bench-' || t, 'tenant-' || t, 'T' || t FROM generate_series(1, %d) t`, tenants),
		fmt.Sprintf(`INSERT INTO users (id, email, name) SELECT 'u' || t || '-' || m, 'u' || t || '-' || m || '@example.com', 'User'
			FROM generate_series(1, %d) t, generate_series(1, %d) m`, tenants, perTenant),
		fmt.Sprintf(`INSERT INTO memberships (tenant_id, user_id, role, created_at)
			SELECT 'bench-' || t, 'u' || t || '-' || m, CASE WHEN m = 1 THEN 'owner' ELSE 'member' END, now() + m * interval '1 second'
			FROM generate_series(1, %d) t, generate_series(1, %d) m`, tenants, perTenant),
		`ANALYZE`)
	ids := make([]string, tenants)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%d", i+1)
	}
	return ids
}

// copyWithoutRLS makes schema norls with the same tables, indexes and rows
// but no row-level security, readable by the runtime role.
func copyWithoutRLS(b testing.TB, tdb testDB) {
	stmts := []string{`CREATE SCHEMA norls`}
	for _, table := range []string{"tenants", "users", "memberships"} {
		stmts = append(stmts,
			fmt.Sprintf(`CREATE TABLE norls.%[1]s (LIKE public.%[1]s INCLUDING ALL)`, table),
			fmt.Sprintf(`INSERT INTO norls.%[1]s SELECT * FROM public.%[1]s`, table))
	}
	stmts = append(stmts, `ANALYZE`,
		`GRANT USAGE ON SCHEMA norls TO `+tdb.role,
		`GRANT SELECT ON ALL TABLES IN SCHEMA norls TO `+tdb.role)
	admin(b, tdb.adminURL, stmts...)
}
