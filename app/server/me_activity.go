package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

const (
	defaultActivity = 50
	maxActivity     = 200
)

type accountEventView struct {
	ID        string          `json:"id"`
	At        time.Time       `json:"at"`
	Action    string          `json:"action"`
	IP        string          `json:"ip"`
	UserAgent string          `json:"user_agent"`
	Details   json.RawMessage `json:"details"`
}

// myActivity answers GET /api/nyx/me/activity?limit=: the signed-in user's
// own account history (sign-ins, failed sign-ins), newest first. Nobody
// else, tenant admins included, can read it.
func (a *api) myActivity(e *core.RequestEvent) error {
	limit := defaultActivity
	if q := e.Request.URL.Query().Get("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > maxActivity {
			return a.fail(e, fieldError(http.StatusBadRequest, "invalid_limit", "limit", "limit must be 1 to 200."))
		}
		limit = n
	}
	evs, err := a.Store.ListAccountEvents(e.Request.Context(), e.Auth.Id, limit)
	if err != nil {
		return a.fail(e, err)
	}
	out := list[accountEventView]{Items: make([]accountEventView, 0, len(evs))}
	for _, ev := range evs {
		details := ev.Details
		if !json.Valid(details) {
			details = json.RawMessage("{}")
		}
		out.Items = append(out.Items, accountEventView{ID: ev.ID, At: ev.At, Action: ev.Action, IP: ev.IP, UserAgent: ev.UserAgent, Details: details})
	}
	return e.JSON(http.StatusOK, out)
}
