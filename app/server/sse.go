package server

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/realtime"
)

// sse is the Server-Sent Events answer of a pull or a try-out, written by
// app/realtime's one stream writer: per-write deadlines cut off a client
// that stops reading, heartbeats keep a quiet stream open.
type sse struct {
	*realtime.Stream
}

// startSSE sends the stream's headers and starts its heartbeat, timed by
// realtime.write_timeout and realtime.heartbeat. The caller must close it
// before returning, and run the work feeding it under its Context.
func (a *api) startSSE(e *core.RequestEvent) (*sse, error) {
	s, err := realtime.NewStream(e.Request.Context(), e.Response, a.streamOptions())
	if err != nil {
		return nil, err
	}
	return &sse{s}, nil
}

// streamOptions times the handler-written streams like the hub's.
func (a *api) streamOptions() realtime.Options {
	return realtime.Options{WriteTimeout: a.Config.Realtime.WriteTimeout, Heartbeat: a.Config.Realtime.Heartbeat}
}

// send writes one event with a JSON payload; an error means the client left.
func (s *sse) send(event string, data any) error { return s.Send(event, data) }
