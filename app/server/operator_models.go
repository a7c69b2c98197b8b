package server

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm/ollama"
)

// operatorModelRef names a model on one of the operator's Ollama servers.
type operatorModelRef struct {
	Host  string `json:"host"`
	Model string `json:"model"`
}

var errNotOperatorHost = fieldError(http.StatusNotFound, "operator_host_not_found", "host",
	"That is not one of this server's Ollama hosts (NYX_OLLAMA_HOST, NYX_OLLAMA_POOL); tenants manage their own hosts in their tenant.")

// operatorHost resolves ref to the shared client of an operator server.
func (a *api) operatorHost(ref operatorModelRef) (*ollama.Host, error) {
	if err := validModelRef(ref.Model); err != nil {
		return nil, err
	}
	h, ok := a.Registry.OperatorHost(ref.Host)
	if !ok {
		return nil, errNotOperatorHost
	}
	return h, nil
}

// listOperatorHosts answers GET /api/nyx/operator/ollama (superusers): the
// operator's Ollama servers, which only superusers manage.
func (a *api) listOperatorHosts(e *core.RequestEvent) error {
	hosts := a.Registry.OperatorHosts()
	return e.JSON(http.StatusOK, map[string]any{"items": hosts, "tenant_manage": a.Registry.TenantManages()})
}

// pullOperatorModel answers POST /api/nyx/operator/models/pull
// (superusers) with the same SSE stream as a tenant's pull.
func (a *api) pullOperatorModel(e *core.RequestEvent) error {
	var ref operatorModelRef
	if err := a.decode(e, &ref); err != nil {
		return a.fail(e, err)
	}
	h, err := a.operatorHost(ref)
	if err != nil {
		return a.fail(e, err)
	}
	e.App.Logger().Info("nyx: operator model pull", "host", h.URL(), "model", strings.TrimSpace(ref.Model), "superuser", e.Auth.Id)
	return a.streamPull(e, h, strings.TrimSpace(ref.Model))
}

// deleteOperatorModel answers DELETE /api/nyx/operator/models
// (superusers), naming host and model in a JSON body or the query.
func (a *api) deleteOperatorModel(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	ref := operatorModelRef{Host: q.Get("host"), Model: q.Get("model")}
	if ref.Host == "" && ref.Model == "" {
		if err := a.decode(e, &ref); err != nil {
			return a.fail(e, err)
		}
	}
	h, err := a.operatorHost(ref)
	if err != nil {
		return a.fail(e, err)
	}
	if err := h.Delete(e.Request.Context(), strings.TrimSpace(ref.Model)); err != nil {
		return a.fail(e, err)
	}
	e.App.Logger().Info("nyx: operator model delete", "host", h.URL(), "model", strings.TrimSpace(ref.Model), "superuser", e.Auth.Id)
	return e.NoContent(http.StatusNoContent)
}

var errSuperuserRequired = newError(http.StatusForbidden, "superuser_required", "Only a superuser of this server (the operator) may do this.")

// requireSuperuser admits PocketBase superuser tokens only.
func (a *api) requireSuperuser(e *core.RequestEvent) error {
	if e.Auth == nil {
		return a.fail(e, errAuthRequired)
	}
	if !e.Auth.IsSuperuser() {
		return a.fail(e, errSuperuserRequired)
	}
	return e.Next()
}
