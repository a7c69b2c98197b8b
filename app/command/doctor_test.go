package command

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/kv/kvtest"
)

// report collects doctor's lines as "part status detail".
type report []string

func (r *report) line(part, status, detail string) { *r = append(*r, part+" "+status+" "+detail) }

// TestDoctorOllama: only an answer shaped like Ollama's is "ok"; anything
// else is a warning (cloud providers can stand in), never a failure.
func TestDoctorOllama(t *testing.T) {
	serve := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/version" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	cases := []struct {
		name, host, want string
	}{
		{"ollama", serve(200, `{"version":"0.17.4"}`), "ollama ok "},
		{"ollama without scheme", strings.TrimPrefix(serve(200, `{"version":"0.17.4"}`), "http://"), "ollama ok "},
		{"another server", serve(200, `<html>hello</html>`), "ollama warn "},
		{"error status", serve(500, `{"version":"0.17.4"}`), "ollama warn "},
		{"no version", serve(200, `{}`), "ollama warn "},
		{"unreachable", "http://127.0.0.1:1", "ollama warn "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r report
			checkOllama(context.Background(), c.host, r.line)
			if len(r) != 1 || !strings.HasPrefix(r[0], c.want) {
				t.Fatalf("checkOllama(%s) = %q, want a line starting %q", c.host, r, c.want)
			}
			if c.want == "ollama ok " && !strings.Contains(r[0], "ollama 0.17.4") {
				t.Errorf("the version is not reported: %q", r[0])
			}
		})
	}
}

// TestDoctorRedisAndStore: the embedded mode's in-process Redis and SQLite
// store are ok; an external Redis is named external; an unreachable one
// fails the doctor.
func TestDoctorRedisAndStore(t *testing.T) {
	cases := []struct {
		name, redis, want string
	}{
		{"embedded", "", "redis ok embedded"},
		{"external", kvtest.URL(t), "redis ok external"},
		{"unreachable", "redis://127.0.0.1:1/0", "redis FAIL "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := planesConfig(t, "--redis-url", c.redis)
			var r report
			checkRedis(context.Background(), cfg, r.line)
			if len(r) != 1 || !strings.HasPrefix(r[0], c.want) {
				t.Fatalf("checkRedis = %q, want %q", r, c.want)
			}
		})
	}
	var r report
	dir := t.TempDir()
	checkStore(context.Background(), planesConfig(t), dir, r.line)
	if len(r) != 2 || !strings.HasPrefix(r[0], "store ok sqlite "+dir) || !strings.HasPrefix(r[1], "rls ok sqlite has no row-level security") {
		t.Fatalf("checkStore = %q", r)
	}
}
