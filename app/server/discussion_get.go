package server

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/store"
)

type roundView struct {
	TurnID      string  `json:"turn_id"`
	Round       int     `json:"round"`
	Agreement   float64 `json:"agreement"`
	Method      string  `json:"method"`
	Explanation string  `json:"explanation"`
}

// getDiscussion answers GET /api/nyx/tenants/{tenant}/discussions/{id}:
// the discussion with a page of messages (?after=<seq>&limit=, up to 500)
// and, in consensus mode, its rounds.
func (a *api) getDiscussion(e *core.RequestEvent) error {
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	q := e.Request.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 || limit > 500 {
		limit = 200
	}
	ctx := e.Request.Context()
	msgs, err := a.Store.ListMessages(ctx, d.TenantID, d.ID, max(after, 0), limit+1)
	if err != nil {
		return a.fail(e, err)
	}
	next := int64(0)
	if len(msgs) > limit {
		msgs = msgs[:limit]
		next = msgs[limit-1].Seq
	}
	rounds, err := a.Store.ListRounds(ctx, d.TenantID, d.ID)
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"discussion": a.viewDiscussion(d), "messages": viewMessages(msgs), "next_after": next, "rounds": viewRounds(rounds),
	})
}

func viewMessages(ms []store.Message) []discuss.MessageView {
	out := make([]discuss.MessageView, 0, len(ms))
	for i := range ms {
		out = append(out, discuss.ViewMessage(&ms[i]))
	}
	return out
}

func viewRounds(rs []store.Round) []roundView {
	out := make([]roundView, 0, len(rs))
	for _, r := range rs {
		out = append(out, roundView{TurnID: r.TurnID, Round: r.Round, Agreement: r.Agreement, Method: r.Method, Explanation: r.Explanation})
	}
	return out
}
