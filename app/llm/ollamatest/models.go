package ollamatest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// chatTemplate renders messages as <|role|>content lines; the tiny models
// ignore the prompt's meaning anyway.
const chatTemplate = "{{- range .Messages }}<|{{ .Role }}|>{{ .Content }}\n{{ end }}<|assistant|>"

// modelParameters are the Modelfile PARAMETERs of every model: a small
// context keeps loading fast, and one thread avoids the 80–250 ms per-token
// stalls the default thread count causes on a 2-core machine.
var modelParameters = map[string]any{"num_ctx": 512, "num_thread": 1}

// createModels does what `ollama create -f Modelfile` does, over the API:
// upload each GGUF as a blob, then create the model from it.
func (s *Server) createModels(art *artefacts) error {
	base, err := url.Parse(s.URL())
	if err != nil {
		return err
	}
	client := api.NewClient(base, http.DefaultClient)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for name, m := range art.models {
		if err := createModel(ctx, client, name, m); err != nil {
			return fmt.Errorf("ollamatest: create %s: %w", name, err)
		}
	}
	return nil
}

func createModel(ctx context.Context, client *api.Client, name string, m model) error {
	f, err := os.Open(m.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := client.CreateBlob(ctx, m.digest, f); err != nil {
		return fmt.Errorf("upload blob: %w", err)
	}
	req := &api.CreateRequest{
		Model:      strings.TrimSuffix(name, ":latest"),
		Files:      map[string]string{filepath.Base(m.path): m.digest},
		Template:   chatTemplate,
		Parameters: modelParameters,
	}
	var last api.ProgressResponse
	if err := client.Create(ctx, req, func(p api.ProgressResponse) error { last = p; return nil }); err != nil {
		return err
	}
	if last.Status != "success" { // the client returns nil on a cut stream
		return fmt.Errorf("create ended with status %q", last.Status)
	}
	return nil
}
