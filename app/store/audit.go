package store

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry is one row of a tenant's hash-chained audit log.
type AuditEntry struct {
	TenantID   string
	Seq        int64 // position in the tenant's chain, from 1
	ID         string
	At         time.Time
	ActorID    string
	ActorEmail string
	Action     string
	TargetType string
	TargetID   string
	IP         string
	UserAgent  string
	Details    json.RawMessage
	PrevHash   string
	Hash       string
}

// FindAudit filters a tenant's audit log; zero fields match everything.
type FindAudit struct {
	Action  string
	ActorID string
	Since   time.Time
	Until   time.Time
	Before  int64 // seq; 0 = from the newest
	Limit   int
}

// AuditStore holds audit logs. Tenancy as for Store.
type AuditStore interface {
	// AppendAudit appends e to its tenant's chain: under a per-tenant lock
	// it assigns Seq and PrevHash, then seal computes Hash from the entry.
	AppendAudit(ctx context.Context, e AuditEntry, seal func(*AuditEntry) string) (*AuditEntry, error)
	// ListAudit returns entries newest first.
	ListAudit(ctx context.Context, tenantID string, f FindAudit) ([]AuditEntry, error)
	// ChainAudit calls visit with every entry of the tenant in chain order.
	ChainAudit(ctx context.Context, tenantID string, visit func(AuditEntry) error) error
	// AuditTenantIDs lists every tenant id that has audit entries, live or
	// deleted (entries outlive their tenant), for verification that must
	// not trust the tenant registry.
	AuditTenantIDs(ctx context.Context) ([]string, error)
	// ResealAudit rewrites the tenant's chain under the tenant's append
	// lock: it calls reseal with every entry in chain order, and stores the
	// PrevHash and Hash reseal leaves for each entry it changed. An error
	// from reseal changes nothing. It returns how many entries changed.
	// The table is append-only for the runtime role, so on PostgreSQL this
	// needs the owner connection (`nyxcore db migrate`).
	ResealAudit(ctx context.Context, tenantID string, reseal func(*AuditEntry) error) (int, error)
}
