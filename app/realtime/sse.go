package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// maxBatch bounds how many ready events go into one write.
const maxBatch = 64

var (
	pingFrame    = []byte(": ping\n\n")
	droppedFrame = []byte("event: " + TypeDropped + "\ndata: {}\n\n")
)

// ServeSSE streams topic to one client as Server-Sent Events until the client
// goes away, the hub closes or the subscriber is dropped. The caller must have
// checked the client's access to topic; a stream that must end when that
// access is revoked is served by ServeSSEAs.
//
// The client resumes with the Last-Event-ID header or, for clients that
// cannot set headers, the last_event_id query parameter. ServeSSE lifts the
// server's write deadline for this response, but bounds every write by
// Options.WriteTimeout so a stuck client cannot hold it forever. A dropped
// subscriber gets an "event: dropped" frame (without an id, so the client
// keeps its last one) and should reconnect.
//
// It returns ErrClosed before writing anything if the hub is closed. After the
// headers are sent it returns nil when the client left or the hub closed,
// ErrDropped when the subscriber was dropped, or the write error; those are
// for logging only, the response is already committed.
func (h *Hub) ServeSSE(w http.ResponseWriter, r *http.Request, topic string) error {
	sub, err := h.Subscribe(topic, lastEventID(r))
	if err != nil {
		return err
	}
	return h.serve(w, r, sub)
}

// Access is what ServeSSEAs needs to keep a stream access-checked.
type Access struct {
	Owner Owner
	// Confirm, if set, runs once the subscription can be revoked and before
	// anything is written; an error refuses the stream. It closes the gap
	// between the caller's access check and the registration: a change
	// stored in between, whose Revoke found nothing to end, is seen here.
	Confirm func(ctx context.Context) error
}

// ServeSSEAs is ServeSSE for a stream owned by a.Owner: it also ends when a
// Revoke takes that access away or the owner's credential expires. The
// client then gets a final "event: revoked" frame, without an id, with data
// {"reason":…} (one of the Reason constants), and ServeSSEAs returns
// ErrRevoked. Events still buffered for the client at that moment are
// discarded. It returns the error of a.Confirm, with nothing written, when
// that refuses the stream.
func (h *Hub) ServeSSEAs(w http.ResponseWriter, r *http.Request, topic string, a Access) error {
	sub, err := h.SubscribeAs(topic, lastEventID(r), a.Owner)
	if err != nil {
		return err
	}
	if a.Confirm != nil {
		if err := a.Confirm(r.Context()); err != nil {
			sub.Close()
			return err
		}
	}
	return h.serve(w, r, sub)
}

func lastEventID(r *http.Request) string {
	if last := r.Header.Get("Last-Event-ID"); last != "" {
		return last
	}
	return r.URL.Query().Get("last_event_id")
}

// serve streams sub's events to w until one of them ends it.
func (h *Hub) serve(w http.ResponseWriter, r *http.Request, sub *Subscription) error {
	defer sub.Close()

	s, err := startStream(w, h.opts.WriteTimeout)
	if err != nil {
		return err
	}

	tk := time.NewTicker(h.opts.Heartbeat)
	defer tk.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-tk.C:
			if err := s.write(pingFrame); err != nil {
				return err
			}
		case ev, ok := <-sub.Events():
			if !ok || sub.Revoked() != "" {
				return s.end(sub)
			}
			if err := s.writeEvents(ev, sub.Events()); err != nil {
				return err
			}
		}
	}
}

// stream writes frames to one response, each write bounded by timeout.
// It is the one SSE writer: the hub's streams and Stream both use it.
type stream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	buf     []byte // allocated on the first event, so idle streams stay small
}

// startStream sends the headers of an SSE response and flushes them.
func startStream(w http.ResponseWriter, timeout time.Duration) (*stream, error) {
	s := &stream{w: w, rc: http.NewResponseController(w), timeout: timeout}
	// Streams outlive the server's WriteTimeout; not every writer supports
	// deadlines, and the stream still works without them.
	_ = s.rc.SetWriteDeadline(time.Time{})
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if err := s.write(nil); err != nil {
		return nil, err
	}
	return s, nil
}

// writeEvents writes ev and whatever else is ready, up to maxBatch, in one
// write. Events left in a closed channel are written too.
func (s *stream) writeEvents(ev *Event, ch <-chan *Event) error {
	s.buf = appendFrame(s.buf[:0], ev)
	for range maxBatch - 1 {
		select {
		case ev, ok := <-ch:
			if !ok {
				return s.write(s.buf)
			}
			s.buf = appendFrame(s.buf, ev)
		default:
			return s.write(s.buf)
		}
	}
	return s.write(s.buf)
}

// end tells a revoked client why, and a dropped one to reconnect, best
// effort. Revocation comes first: a dropped client that lost its access
// must learn that rather than retry.
func (s *stream) end(sub *Subscription) error {
	frame, err := droppedFrame, ErrDropped
	switch {
	case sub.Revoked() != "":
		frame, err = revokedFrame(sub.Revoked()), ErrRevoked
	case !sub.Dropped():
		return nil
	}
	if werr := s.write(frame); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

func revokedFrame(reason string) []byte {
	data, _ := json.Marshal(struct {
		Reason string `json:"reason"`
	}{reason})
	return appendFrame(nil, &Event{Type: TypeRevoked, Data: data})
}

// write bounds one write by the timeout and clears the deadline afterwards.
// Clearing matters: over HTTP/2 a write deadline resets the stream when it
// passes even if nothing is being written, which would kill idle streams.
func (s *stream) write(b []byte) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	defer s.rc.SetWriteDeadline(time.Time{}) //nolint:errcheck // as above
	if len(b) > 0 {
		if _, err := s.w.Write(b); err != nil {
			return fmt.Errorf("realtime: write: %w", err)
		}
	}
	if err := s.rc.Flush(); err != nil {
		return fmt.Errorf("realtime: flush: %w", err)
	}
	return nil
}

// appendFrame encodes one event. JSON from encoding/json has no raw
// newlines, but a data line per line keeps the frame valid regardless.
func appendFrame(b []byte, ev *Event) []byte {
	if ev.ID != "" {
		b = append(b, "id: "...)
		b = append(b, ev.ID...)
		b = append(b, '\n')
	}
	b = append(b, "event: "...)
	b = append(b, ev.Type...)
	b = append(b, '\n')
	data := []byte(ev.Data)
	for {
		line, rest, more := bytes.Cut(data, []byte{'\n'})
		b = append(b, "data: "...)
		b = append(b, bytes.TrimSuffix(line, []byte{'\r'})...)
		b = append(b, '\n')
		if !more {
			break
		}
		data = rest
	}
	return append(b, '\n')
}
