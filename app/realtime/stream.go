package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Stream is a Server-Sent Events response that a handler writes itself
// (a model pull's progress, a persona try-out's tokens) rather than a hub
// topic. It follows the hub's rules: every write is bounded by
// Options.WriteTimeout, so a client that stops reading is cut off instead of
// holding the handler forever, and a ": ping" comment goes out every
// Options.Heartbeat, so proxies and browsers keep a quiet stream open.
//
// Send and the heartbeat may run concurrently; Close must be called before
// the handler returns, after which nothing more is written.
type Stream struct {
	mu     sync.Mutex
	s      *stream
	err    error // the first write error: the client is gone
	ctx    context.Context
	cancel context.CancelFunc
	stop   chan struct{}
	done   chan struct{}
}

// NewStream sends the headers of an SSE response on w and starts its
// heartbeat. Only o.WriteTimeout and o.Heartbeat are used (zero: the hub's
// defaults). The stream's Context, derived from ctx, ends when a write fails
// or the stream closes: work that feeds the stream should run under it.
func NewStream(ctx context.Context, w http.ResponseWriter, o Options) (*Stream, error) {
	o = o.withDefaults()
	s, err := startStream(w, o.WriteTimeout)
	if err != nil {
		return nil, err
	}
	st := &Stream{s: s, stop: make(chan struct{}), done: make(chan struct{})}
	st.ctx, st.cancel = context.WithCancel(ctx)
	go st.heartbeat(o.Heartbeat)
	return st, nil
}

// Context ends when a write fails (the client left or stopped reading) or
// the stream is closed.
func (st *Stream) Context() context.Context { return st.ctx }

// Send writes one event with data encoded as JSON. An error means the
// client is gone; every later Send returns it too.
func (st *Stream) Send(event string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("realtime: encode %s: %w", event, err)
	}
	return st.write(appendFrame(nil, &Event{Type: event, Data: b}))
}

// Close stops the heartbeat and ends the stream's Context. It waits for a
// heartbeat write in progress, so nothing touches the response afterwards.
// Calling it again is harmless.
func (st *Stream) Close() {
	st.mu.Lock()
	select {
	case <-st.stop:
	default:
		close(st.stop)
	}
	st.mu.Unlock()
	<-st.done
	st.cancel()
}

func (st *Stream) heartbeat(every time.Duration) {
	defer close(st.done)
	tk := time.NewTicker(every)
	defer tk.Stop()
	for {
		select {
		case <-st.stop:
			return
		case <-tk.C:
			if st.write(pingFrame) != nil {
				return
			}
		}
	}
}

// write sends one frame unless the stream failed or closed; a failure
// ends the stream's Context, so the work feeding it stops.
func (st *Stream) write(frame []byte) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.err != nil {
		return st.err
	}
	select {
	case <-st.stop:
		return errStreamClosed
	default:
	}
	if err := st.s.write(frame); err != nil {
		st.err = err
		st.cancel()
		return err
	}
	return nil
}

// errStreamClosed is what a write after Close returns.
var errStreamClosed = fmt.Errorf("realtime: stream closed")
