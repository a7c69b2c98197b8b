package server

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

// auditView is an audit entry as the API shows it.
type auditView struct {
	Seq        int64          `json:"seq"`
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	ActorID    string         `json:"actor_id"`
	ActorEmail string         `json:"actor_email"`
	Action     string         `json:"action"`
	TargetType string         `json:"target_type"`
	TargetID   string         `json:"target_id"`
	IP         string         `json:"ip"`
	UserAgent  string         `json:"user_agent"`
	Details    map[string]any `json:"details"`
	Hash       string         `json:"hash"`
	PrevHash   string         `json:"prev_hash"`
}

// listAudit answers GET /api/nyx/tenants/{tenant}/audit (owner, admin):
// newest first, filtered by ?action= &actor= &since= &until= (RFC 3339),
// paged by ?before=<seq>&limit= (up to 500); ?format=csv downloads.
func (a *api) listAudit(e *core.RequestEvent) error {
	f, err := auditFilter(e)
	if err != nil {
		return a.fail(e, err)
	}
	entries, err := a.Store.ListAudit(e.Request.Context(), tenantID(e), f)
	if err != nil {
		return a.fail(e, err)
	}
	views := make([]auditView, 0, len(entries))
	for _, x := range entries {
		v := auditView{Seq: x.Seq, ID: x.ID, At: x.At, ActorID: x.ActorID, ActorEmail: x.ActorEmail, Action: x.Action,
			TargetType: x.TargetType, TargetID: x.TargetID, IP: x.IP, UserAgent: x.UserAgent, Hash: x.Hash, PrevHash: x.PrevHash}
		jsonUnmarshal(x.Details, &v.Details)
		views = append(views, v)
	}
	a.record(e, tenantID(e), "audit.read", "", "", map[string]any{"format": e.Request.URL.Query().Get("format")})
	if e.Request.URL.Query().Get("format") == "csv" {
		return writeAuditCSV(e, entries)
	}
	next := int64(0)
	if len(entries) == f.Limit && len(entries) > 0 {
		next = entries[len(entries)-1].Seq
	}
	return e.JSON(http.StatusOK, map[string]any{"items": views, "next_before": next})
}

func auditFilter(e *core.RequestEvent) (store.FindAudit, error) {
	q := e.Request.URL.Query()
	f := store.FindAudit{Action: q.Get("action"), ActorID: q.Get("actor"), Limit: 100}
	bad := func(field, msg string) error { return fieldError(http.StatusBadRequest, "invalid_field", field, msg) }
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return f, bad("limit", "limit is 1 to 500.")
		}
		f.Limit = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return f, bad("before", "before is an entry number.")
		}
		f.Before = n
	}
	for field, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if v := q.Get(field); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, bad(field, field+" is a time such as 2026-11-27T00:00:00Z.")
			}
			*dst = t
		}
	}
	if len(f.Action) > 100 || len(f.ActorID) > 100 {
		return f, bad("action", "Filters are at most 100 characters.")
	}
	return f, nil
}

func writeAuditCSV(e *core.RequestEvent, entries []store.AuditEntry) error {
	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="audit.csv"`)
	e.Response.WriteHeader(http.StatusOK)
	w := csv.NewWriter(e.Response)
	w.Write([]string{"seq", "at", "actor_id", "actor_email", "action", "target_type", "target_id", "ip", "user_agent", "details", "prev_hash", "hash"}) //nolint:errcheck // flushed below
	for _, x := range entries {
		w.Write([]string{strconv.FormatInt(x.Seq, 10), x.At.Format(time.RFC3339Nano), csvSafe(x.ActorID), csvSafe(x.ActorEmail), csvSafe(x.Action), //nolint:errcheck // as above
			csvSafe(x.TargetType), csvSafe(x.TargetID), csvSafe(x.IP), csvSafe(x.UserAgent), csvSafe(string(x.Details)), x.PrevHash, x.Hash})
	}
	w.Flush()
	return w.Error()
}

// csvSafe defuses spreadsheet formulas in user-controlled cells.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
