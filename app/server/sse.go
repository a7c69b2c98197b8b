package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// sse writes a Server-Sent Events stream on one response.
type sse struct {
	e  *core.RequestEvent
	rc *http.ResponseController
}

// startSSE sends the stream's headers. It lifts the server's write
// deadline for this response only: a pull or a reply can outlast it.
func startSSE(e *core.RequestEvent) *sse {
	h := e.Response.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	rc := http.NewResponseController(e.Response)
	rc.SetWriteDeadline(time.Time{}) //nolint:errcheck // not every writer supports deadlines; the stream still works
	e.Response.WriteHeader(http.StatusOK)
	s := &sse{e: e, rc: rc}
	s.flush()
	return s
}

// send writes one event with a JSON payload; an error means the client left.
func (s *sse) send(event string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(s.e.Response, "event: %s\ndata: %s\n\n", event, b); err != nil {
		return err
	}
	return s.flush()
}

func (s *sse) flush() error { return s.rc.Flush() }
