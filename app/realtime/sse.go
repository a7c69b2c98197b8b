package realtime

import (
	"bytes"
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
// checked the client's access to topic.
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
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("last_event_id")
	}
	sub, err := h.Subscribe(topic, last)
	if err != nil {
		return err
	}
	defer sub.Close()

	s := &stream{w: w, rc: http.NewResponseController(w), timeout: h.opts.WriteTimeout}
	// Streams outlive the server's WriteTimeout; not every writer supports
	// deadlines, and the stream still works without them.
	_ = s.rc.SetWriteDeadline(time.Time{})
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if err := s.write(nil); err != nil {
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
			if !ok {
				return s.end(sub)
			}
			if err := s.writeEvents(ev, sub.Events()); err != nil {
				return err
			}
		}
	}
}

// stream writes frames to one response, each write bounded by timeout.
type stream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	buf     []byte // allocated on the first event, so idle streams stay small
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

// end tells a dropped client to reconnect, best effort.
func (s *stream) end(sub *Subscription) error {
	if !sub.Dropped() {
		return nil
	}
	if err := s.write(droppedFrame); err != nil {
		return errors.Join(ErrDropped, err)
	}
	return ErrDropped
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
