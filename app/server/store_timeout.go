package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// errStoreTimeout answers a request whose data-plane call ran past
// api.store_timeout: the store is slow or blocked (the call's transaction
// is rolled back), and the client may retry.
var errStoreTimeout = newError(http.StatusServiceUnavailable, "store_timeout",
	"The data store did not answer in time; try again shortly.")

// storeTimeout logs the timed-out call for the operator (a blocked store is
// theirs to look at) and tells the client to retry.
func storeTimeout(e *core.RequestEvent, err error) *apiError {
	e.App.Logger().Warn("nyx api: store call timed out", "path", e.Request.URL.Path, "error", err.Error())
	e.Response.Header().Set("Retry-After", "1")
	return errStoreTimeout
}
