-- The keyed audit chain (nyxcore/audit/v2): see the PostgreSQL migration.
-- SQLite has no roles or row-level security, so nothing changes here: audit
-- tenant ids are a plain SELECT DISTINCT, and the re-seal replaces the
-- no-update trigger inside its own transaction.
SELECT 1;
