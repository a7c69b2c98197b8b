package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// listDiscussions answers GET /api/nyx/tenants/{tenant}/discussions
// (?q= searches titles and message text; ?limit= up to 200).
func (a *api) listDiscussions(e *core.RequestEvent) error {
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	if len(q) > 200 {
		return a.fail(e, fieldError(http.StatusBadRequest, "invalid_field", "q", "Search for at most 200 characters."))
	}
	limit, err := strconv.Atoi(e.Request.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > 200 {
		limit = 50
	}
	ds, err := a.Store.ListDiscussions(e.Request.Context(), tenantID(e), q, limit)
	if err != nil {
		return a.fail(e, err)
	}
	out := list[discussionView]{Items: make([]discussionView, 0, len(ds))}
	for i := range ds {
		out.Items = append(out.Items, a.viewDiscussion(&ds[i]))
	}
	return e.JSON(http.StatusOK, out)
}
