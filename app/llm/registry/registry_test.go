package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/store"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.Run(m)) }

const tenant = "t1"

// own is a tenant's own Ollama provider at url.
func own(url string) store.Provider {
	return store.Provider{ID: "own-box", TenantID: tenant, Kind: llm.KindOllama, Name: "Own box", BaseURL: url, Enabled: true}
}

func hi() llm.ChatRequest {
	return llm.ChatRequest{Model: ollamatest.ModelTinyEOS, Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}},
		Options: llm.Options{MaxTokens: 8}}
}

// logBuffer collects a registry's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

func newRegistry(opts registry.Options) (*registry.Registry, *logBuffer) {
	logs := &logBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	return registry.New(opts), logs
}

// chat runs one chat through reg and returns its usage, error and text.
func chat(t *testing.T, reg *registry.Registry, rows []store.Provider, providerID string) (llm.Usage, error, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var text strings.Builder
	u, err := reg.Chat(ctx, rows, providerID, hi(), func(s string) error { text.WriteString(s); return nil })
	return u, err, text.String()
}

// loaded lists the models a real Ollama has in memory: what it has served.
func loaded(t *testing.T, url string) []string {
	t.Helper()
	res, err := http.Get(url + "/api/ps")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var ps struct{ Models []struct{ Name string } }
	if err := json.NewDecoder(res.Body).Decode(&ps); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ps.Models {
		out = append(out, m.Name)
	}
	return out
}

// TestPinnedProviderFailsOverOnlyWhereAllowed: with a tenant's own Ollama
// down and the operator's built-in one up, the tenant's persona fails with
// an unavailable error (logged) and the built-in host serves nothing;
// with failover to the operator allowed, the built-in host answers and the
// usage names it.
func TestPinnedProviderFailsOverOnlyWhereAllowed(t *testing.T) {
	builtin, tenantHost := ollamatest.Start(t), ollamatest.Start(t)
	tenantHost.Stop()

	t.Run("not allowed", func(t *testing.T) {
		reg, logs := newRegistry(registry.Options{BuiltinOllama: builtin.URL()})
		rows := reg.WithBuiltin(tenant, []store.Provider{own(tenantHost.URL())})
		u, err, text := chat(t, reg, rows, "own-box")
		if !errors.Is(err, llm.ErrUnavailable) || llm.KindOf(err) != llm.KindUnavailable {
			t.Fatalf("err = %v (usage %+v), want unavailable", err, u)
		}
		if text != "" || u.Host == builtin.URL() {
			t.Fatalf("the built-in host answered a persona pinned to the tenant's host: %q, usage %+v", text, u)
		}
		if m := loaded(t, builtin.URL()); len(m) != 0 {
			t.Fatalf("the built-in host ran %v for the tenant's persona", m)
		}
		log := logs.String()
		for _, want := range []string{"tenant=" + tenant, "provider=own-box", "host=" + tenantHost.URL(), "error_class=unavailable"} {
			if !strings.Contains(log, want) {
				t.Errorf("log lacks %q:\n%s", want, log)
			}
		}
	})
	t.Run("allowed", func(t *testing.T) {
		reg, logs := newRegistry(registry.Options{BuiltinOllama: builtin.URL(), FailoverToOperator: true})
		rows := reg.WithBuiltin(tenant, []store.Provider{own(tenantHost.URL())})
		u, err, text := chat(t, reg, rows, "own-box")
		if err != nil || text == "" {
			t.Fatalf("failover: %v, text %q", err, text)
		}
		if u.Host != builtin.URL() {
			t.Fatalf("usage host = %q, want the built-in host %s that answered", u.Host, builtin.URL())
		}
		if !strings.Contains(logs.String(), "served_by="+builtin.URL()) {
			t.Fatalf("the failover was not logged:\n%s", logs)
		}
	})
}

// TestBuiltinFailsOverAmongOperatorHosts: a built-in persona whose host is
// down is served by another of the operator's servers (ollama.pool), and
// the usage names that one; a tenant's own host never serves it.
func TestBuiltinFailsOverAmongOperatorHosts(t *testing.T) {
	down, up := ollamatest.Start(t), ollamatest.Start(t)
	down.Stop()

	t.Run("pool host answers", func(t *testing.T) {
		reg, _ := newRegistry(registry.Options{BuiltinOllama: down.URL(), OperatorOllama: []string{down.URL(), up.URL()}})
		u, err, text := chat(t, reg, reg.WithBuiltin(tenant, nil), registry.BuiltinID)
		if err != nil || text == "" || u.Host != up.URL() {
			t.Fatalf("usage %+v, err %v, text %q; want an answer from the pool host %s", u, err, text, up.URL())
		}
	})
	t.Run("a tenant's host does not", func(t *testing.T) {
		reg, _ := newRegistry(registry.Options{BuiltinOllama: down.URL()})
		rows := reg.WithBuiltin(tenant, []store.Provider{own(up.URL())})
		u, err, text := chat(t, reg, rows, registry.BuiltinID)
		if !errors.Is(err, llm.ErrUnavailable) || text != "" || u.Host == up.URL() {
			t.Fatalf("usage %+v, err %v, text %q; want unavailable, not the tenant's host", u, err, text)
		}
	})
}

// TestCheckModel: a model is checked against the host a persona would use,
// with Ollama's implicit :latest; a host that cannot be asked leaves it
// unchecked rather than missing.
func TestCheckModel(t *testing.T) {
	srv := ollamatest.Start(t)
	reg, _ := newRegistry(registry.Options{BuiltinOllama: srv.URL()})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	builtin := reg.WithBuiltin(tenant, nil)[0]

	untagged := strings.TrimSuffix(ollamatest.ModelTinyEOS, ":latest")
	if name, err := reg.CheckModel(ctx, builtin, untagged); err != nil || name != ollamatest.ModelTinyEOS {
		t.Fatalf("CheckModel(%q) = %q, %v; want %q", untagged, name, err, ollamatest.ModelTinyEOS)
	}
	if _, err := reg.CheckModel(ctx, builtin, "absent"); !errors.Is(err, llm.ErrModelNotFound) || !strings.Contains(err.Error(), `"absent:latest"`) {
		t.Fatalf("a missing model: %v", err)
	}
	if _, err := reg.CheckModel(ctx, own("http://127.0.0.1:1"), "absent"); err == nil || errors.Is(err, llm.ErrModelNotFound) {
		t.Fatalf("a host that cannot be reached: %v, want unchecked", err)
	}
}
