package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

var errNoLocalCA = newError(http.StatusNotFound, "no_local_ca", "This server does not run its own certificate authority (only with NYX_TLS=self-signed).")

// tlsRoot answers GET /api/nyx/tls/root.crt (anyone): the local CA's root
// certificate in self-signed mode, for people to install on their devices.
func (a *api) tlsRoot(e *core.RequestEvent) error {
	if len(a.LocalRoot) == 0 {
		return a.fail(e, errNoLocalCA)
	}
	h := e.Response.Header()
	h.Set("Content-Disposition", `attachment; filename="nyxcore-root.crt"`)
	return e.Blob(http.StatusOK, "application/x-x509-ca-cert", a.LocalRoot)
}
