package server_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/security"
)

// frame is one SSE event as a client sees it.
type frame struct{ event, data string }

// liveStream is an open SSE response read in the background, so a test
// can wait for a frame with a deadline.
type liveStream struct {
	frames chan frame // closed when the server ends the stream
}

// open subscribes to path with token and fails unless the stream starts.
func (e *env) open(t *testing.T, token, path string) *liveStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", e.url+path, nil)
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		cancel()
		t.Fatalf("subscribe %s: %v %v", path, res, err)
	}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	s := &liveStream{frames: make(chan frame, 64)}
	go func() {
		defer close(s.frames)
		sc, f := bufio.NewScanner(res.Body), frame{}
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if f.event != "" {
					s.frames <- f
				}
				f = frame{}
			case strings.HasPrefix(line, "event: "):
				f.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				f.data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return s
}

// revokedWithin waits for the stream's "revoked" frame, failing if it takes
// longer than d, if any other event comes first, or if the stream does not
// end right after it.
func (s *liveStream) revokedWithin(t *testing.T, d time.Duration, reason string) {
	t.Helper()
	s.revoked(t, d, reason, false)
}

// revoked is revokedWithin; with skip, events before the frame are allowed.
func (s *liveStream) revoked(t *testing.T, d time.Duration, reason string, skip bool) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case f, ok := <-s.frames:
			if !ok {
				t.Fatalf("stream ended without a revoked frame")
			}
			if f.event != "revoked" && skip {
				continue
			}
			if f.event != "revoked" {
				t.Fatalf("got %s %s, want the revoked frame", f.event, f.data)
			}
			if want := `{"reason":"` + reason + `"}`; f.data != want {
				t.Fatalf("revoked %s, want %s", f.data, want)
			}
			s.ended(t)
			return
		case <-deadline:
			t.Fatalf("stream still open %v after its access ended", d)
		}
	}
}

// ended fails unless the server closes the stream with no further event.
func (s *liveStream) ended(t *testing.T) {
	t.Helper()
	select {
	case f, ok := <-s.frames:
		if ok {
			t.Fatalf("event after the end: %s %s", f.event, f.data)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the server did not close the stream")
	}
}

// sees waits for an event named event whose data contains want.
func (s *liveStream) sees(t *testing.T, event, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-s.frames:
			if !ok {
				t.Fatalf("stream ended before %s %s", event, want)
			}
			if f.event == event && strings.Contains(f.data, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %s %s within 10s", event, want)
		}
	}
}

// revokeFixture is a discussion in acme whose persona's provider fails at
// once (nothing listens on the built-in Ollama's address), so posting a
// message publishes the message, the turn and the error reply quickly.
type revokeFixture struct {
	e    *env
	disc string
}

func newRevokeFixture(t *testing.T, e *env) *revokeFixture {
	per := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas", map[string]any{"name": "P", "provider_id": "local-ollama", "model": "m"}), 201).json["id"].(string)
	disc := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{per}}), 201).json["id"].(string)
	return &revokeFixture{e: e, disc: disc}
}

func (f *revokeFixture) discussionPath() string {
	return "/api/nyx/tenants/acme/discussions/" + f.disc + "/events"
}

// watch opens the discussion and activity streams of acme with token.
func (f *revokeFixture) watch(t *testing.T, token string) []*liveStream {
	return []*liveStream{f.e.open(t, token, f.discussionPath()), f.e.open(t, token, "/api/nyx/tenants/acme/events")}
}

// post has carol write content and waits for the turn to end.
func (f *revokeFixture) post(t *testing.T, content string) {
	f.e.must(f.e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+f.disc+"/messages", map[string]any{"content": content}), 202)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := f.e.must(f.e.call("carol", "GET", "/api/nyx/tenants/acme/discussions/"+f.disc, nil), 200)
		if r.json["discussion"].(map[string]any)["running_turn_id"] == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("turn still running: %s", r.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sawPost checks that a discussion stream and an activity stream got the
// message and its turn.
func sawPost(t *testing.T, streams []*liveStream, content string) {
	t.Helper()
	streams[0].sees(t, "message", content)
	streams[1].sees(t, "turn", `"status":"running"`)
}

// TestRevocationEndsStreams opens dan's (viewer) discussion and activity
// streams, takes his access away in each way there is, and checks that
// both streams end within a second with the reason, that nothing posted
// afterwards reaches them, and that bob's streams keep working.
func TestRevocationEndsStreams(t *testing.T) {
	cases := []struct {
		name   string
		reason string
		revoke func(t *testing.T, e *env)
	}{
		{"removed by an owner", "removed", func(t *testing.T, e *env) {
			e.must(e.call("alice", "DELETE", "/api/nyx/tenants/acme/members/"+e.users["dan"].Id, nil), 204)
		}},
		{"leaves", "removed", func(t *testing.T, e *env) {
			e.must(e.call("dan", "DELETE", "/api/nyx/tenants/acme/members/"+e.users["dan"].Id, nil), 204)
		}},
		{"account deleted", "user_deleted", func(t *testing.T, e *env) {
			if err := e.app.Delete(e.users["dan"]); err != nil {
				t.Fatal(err)
			}
		}},
		{"password changed", "signed_out", func(t *testing.T, e *env) {
			e.must(e.call("dan", "PATCH", "/api/collections/users/records/"+e.users["dan"].Id,
				map[string]any{"oldPassword": "password-dan", "password": "another-password", "passwordConfirm": "another-password"}, "Content-Type", "application/json"), 200)
		}},
		{"logged out everywhere", "signed_out", func(t *testing.T, e *env) {
			rec, err := e.app.FindRecordById("users", e.users["dan"].Id)
			if err != nil {
				t.Fatal(err)
			}
			rec.RefreshTokenKey()
			if err := e.app.Save(rec); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					e := newEnv(t, b.open)
					f := newRevokeFixture(t, e)
					dan, bob := f.watch(t, e.tokens["dan"]), f.watch(t, e.tokens["bob"])
					c.revoke(t, e)
					for _, s := range dan {
						s.revokedWithin(t, time.Second, c.reason)
					}
					f.post(t, "after the change")
					sawPost(t, bob, "after the change")
				})
			}
		})
	}
}

// TestRevocationTenantDeleted: deleting acme ends every acme stream, and
// only those: eve's stream of her own tenant keeps working.
func TestRevocationTenantDeleted(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			f := newRevokeFixture(t, e)
			streams := append(f.watch(t, e.tokens["dan"]), f.watch(t, e.tokens["bob"])...)
			per := e.must(e.call("eve", "POST", "/api/nyx/tenants/bravo/personas", map[string]any{"name": "P", "provider_id": "local-ollama", "model": "m"}), 201).json["id"].(string)
			disc := e.must(e.call("eve", "POST", "/api/nyx/tenants/bravo/discussions", map[string]any{"mode": "single", "persona_ids": []string{per}}), 201).json["id"].(string)
			eve := e.open(t, e.tokens["eve"], "/api/nyx/tenants/bravo/events")

			e.must(e.call("alice", "DELETE", "/api/nyx/tenants/acme", nil), 204)
			for _, s := range streams {
				s.revokedWithin(t, time.Second, "tenant_deleted")
			}
			e.must(e.call("eve", "POST", "/api/nyx/tenants/bravo/discussions/"+disc+"/messages", map[string]any{"content": "still here"}), 202)
			eve.sees(t, "turn", disc)
		})
	}
}

// TestRevocationKeepsWhatTheRoleAllows: a demotion that still reaches
// what the topics need (viewer) ends nothing, a promotion neither, and
// neither does an account change that keeps the tokens valid.
func TestRevocationKeepsWhatTheRoleAllows(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			f := newRevokeFixture(t, e)
			bob, dan := f.watch(t, e.tokens["bob"]), f.watch(t, e.tokens["dan"])
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/members/"+e.users["bob"].Id, map[string]any{"role": "viewer"}), 200)
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/members/"+e.users["dan"].Id, map[string]any{"role": "admin"}), 200)
			e.must(e.call("dan", "PATCH", "/api/collections/users/records/"+e.users["dan"].Id, map[string]any{"name": "Daniel"}, "Content-Type", "application/json"), 200)
			f.post(t, "after the role changes")
			sawPost(t, bob, "after the role changes")
			sawPost(t, dan, "after the role changes")
		})
	}
}

// TestRevocationAtTokenExpiry: a stream opened with a token that expires
// soon streams until the expiry and ends then with "expired".
func TestRevocationAtTokenExpiry(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			f := newRevokeFixture(t, e)
			tok, err := e.users["dan"].NewStaticAuthToken(3 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			claims, err := security.ParseUnverifiedJWT(tok)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := claims.GetExpirationTime() // one-second resolution
			if err != nil {
				t.Fatal(err)
			}
			dan := f.watch(t, tok)
			f.post(t, "before expiry")
			sawPost(t, dan, "before expiry")
			if time.Now().After(exp.Time) {
				t.Fatal("the token expired before the test could use it")
			}
			for _, s := range dan {
				s.revoked(t, time.Until(exp.Time)+time.Second, "expired", true) // the turn's later events come first
			}
			if early := time.Until(exp.Time); early > 0 {
				t.Fatalf("stream ended %v before the token expired", early)
			}
		})
	}
}
