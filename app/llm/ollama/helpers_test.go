package ollama_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ollama/ollama/api"
)

func client(t *testing.T, base string) *api.Client {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(u, http.DefaultClient)
}

// runningContext is the context length the server loaded model with.
func runningContext(t *testing.T, base, model string) int {
	ps, err := client(t, base).ListRunning(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ps.Models {
		if m.Name == model {
			return m.ContextLength
		}
	}
	t.Fatalf("%s is not loaded: %+v", model, ps.Models)
	return 0
}

func copyModel(t *testing.T, base, from, to string) error {
	return client(t, base).Copy(context.Background(), &api.CopyRequest{Source: from, Destination: to})
}
