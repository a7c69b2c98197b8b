package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

type postBody struct {
	Content string `json:"content"`
}

// postMessage answers POST /api/nyx/tenants/{tenant}/discussions/{id}/messages
// (member): 202 with the turn id; the answer streams on the events route
// and keeps going if this client leaves.
func (a *api) postMessage(e *core.RequestEvent) error {
	var body postBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	content, err := validContent(body.Content)
	if err != nil {
		return a.fail(e, err)
	}
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	ctx, cancel := a.turnStart(e)
	defer cancel()
	turnID, msg, err := a.Engine.Post(ctx, *d, e.Auth.Id, content)
	err = startTimeout(e, ctx, err)
	if err != nil {
		return a.fail(e, turnError(err))
	}
	return e.JSON(http.StatusAccepted, map[string]any{"turn_id": turnID, "message": discuss.ViewMessage(msg)})
}

// stopTurn answers POST /api/nyx/tenants/{tenant}/discussions/{id}/stop
// (member): {"stopped":true} when a turn was running, else false.
func (a *api) stopTurn(e *core.RequestEvent) error {
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, map[string]bool{"stopped": a.Engine.Stop(d.TenantID, d.ID)})
}

// discussionEvents answers GET /api/nyx/tenants/{tenant}/discussions/{id}/events
// (viewer): the discussion's live events as SSE (resume with Last-Event-ID),
// ended by "revoked" when the viewer loses access.
func (a *api) discussionEvents(e *core.RequestEvent) error {
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	return a.serveEvents(e, discuss.Topic(d.TenantID, d.ID), tenant.RoleViewer)
}

// tenantEvents answers GET /api/nyx/tenants/{tenant}/events (viewer): the
// tenant's activity (turns starting and ending) as SSE, for live lists.
func (a *api) tenantEvents(e *core.RequestEvent) error {
	return a.serveEvents(e, discuss.ActivityTopic(tenantID(e)), tenant.RoleViewer)
}

// regenerate answers POST /api/nyx/tenants/{tenant}/discussions/{id}/regenerate
// (member): 202 with the turn id; the personas answer the last user message
// again without seeing the replies it already got.
func (a *api) regenerate(e *core.RequestEvent) error {
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	ctx, cancel := a.turnStart(e)
	defer cancel()
	turnID, err := a.Engine.Regenerate(ctx, *d, e.Auth.Id)
	err = startTimeout(e, ctx, err)
	if errors.Is(err, discuss.ErrNothingToRegenerate) {
		return a.fail(e, newError(http.StatusConflict, "nothing_to_regenerate", "Write a message first: there is nothing to answer again."))
	}
	if err != nil {
		return a.fail(e, turnError(err))
	}
	return e.JSON(http.StatusAccepted, map[string]any{"turn_id": turnID})
}

// turnStart bounds what starting a turn does while the client waits —
// the budget reservation and storing the posted message, on the engine's
// own (unbounded) store — by api.store_timeout as a whole; the turn then
// runs on a context of its own.
func (a *api) turnStart(e *core.RequestEvent) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(e.Request.Context(), a.Config.API.StoreTimeout, store.ErrTimeout)
}

// startTimeout turns a start that ran out of that time into 503
// store_timeout (the drivers return the bare deadline error).
func startTimeout(e *core.RequestEvent, ctx context.Context, err error) error {
	if err != nil && e.Request.Context().Err() == nil && errors.Is(context.Cause(ctx), store.ErrTimeout) {
		return fmt.Errorf("%w: %w", store.ErrTimeout, err)
	}
	return err
}
