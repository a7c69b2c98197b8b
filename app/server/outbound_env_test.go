package server_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
)

// configEnv is an env whose registry is built exactly as the server builds
// it (registry.ConfigOptions over outbound.Parse of outbound.allow) from
// the default configuration in mode, after edit.
func configEnv(t *testing.T, open func(t *testing.T) store.Store, mode string, edit func(*config.Config)) *env {
	return newEnvRegistry(t, open, func(cfg *config.Config) *registry.Registry {
		c := *cfg
		if mode == config.ModeProduction {
			c.Database.URL = "postgres://nyx@db.invalid/nyx"
		}
		if edit != nil {
			edit(&c)
		}
		guard, err := outbound.Parse(c.Outbound.Allow)
		if err != nil {
			t.Fatal(err)
		}
		key, err := secret.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		ring, err := secret.NewKeyring(key)
		if err != nil {
			t.Fatal(err)
		}
		return registry.New(registry.ConfigOptions(&c, ring, guard))
	}, nil)
}

// modes are the two ways a server runs.
var modes = []string{config.ModeEmbedded, config.ModeProduction}

// superuser signs in a PocketBase superuser as "root".
func (e *env) superuser() {
	col, err := e.app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		e.t.Fatal(err)
	}
	rec := core.NewRecord(col)
	rec.SetEmail("root@example.com")
	rec.SetPassword("password-root-1234")
	if err := e.app.Save(rec); err != nil {
		e.t.Fatal(err)
	}
	tok, err := rec.NewAuthToken()
	if err != nil {
		e.t.Fatal(err)
	}
	e.tokens["root"] = tok
}

// fakeOllama speaks the part of Ollama's wire format the model screens
// use, and counts the management calls that reach it.
type fakeOllama struct {
	*httptest.Server
	deletes, pulls atomic.Int32
}

func startFakeOllama(t *testing.T) *fakeOllama {
	f := &fakeOllama{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answerOllamaInfo(w, r) {
			return
		}
		switch r.URL.Path {
		case "/api/delete":
			f.deletes.Add(1)
		case "/api/pull":
			f.pulls.Add(1)
			w.Write([]byte(`{"status":"success"}` + "\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// answerOllamaInfo answers the read-only endpoints of an Ollama with one
// model, llama3.2:1b (version, tags, ps, show), and reports whether r was
// one of them.
func answerOllamaInfo(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/version":
		w.Write([]byte(`{"version":"0.17.4"}`))
	case "/api/tags":
		w.Write([]byte(`{"models":[{"name":"llama3.2:1b","model":"llama3.2:1b","size":1000,"details":{"family":"llama"}}]}`))
	case "/api/ps":
		w.Write([]byte(`{"models":[]}`))
	case "/api/show":
		w.Write([]byte(`{"model_info":{"llama.context_length":8192}}`))
	default:
		return false
	}
	return true
}

// listenCounting is a TCP service (think Redis) that counts connections.
func listenCounting(t *testing.T) (string, *atomic.Int32) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := &atomic.Int32{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Write([]byte("-ERR unknown command\r\n"))
			c.Close()
		}
	}()
	return l.Addr().String(), n
}
