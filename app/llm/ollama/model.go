package ollama

import (
	"context"
	"strings"
)

// CanonicalModel spells an Ollama model name the way Ollama lists it:
// a name without a tag means the "latest" tag, so "llama3.2" and
// "llama3.2:latest" name one model. Only the last path segment carries
// a tag ("registry:5000/team/model" has none); names pinned by digest
// ("model@sha256:…") and empty names are left alone.
func CanonicalModel(name string) string {
	if name == "" || strings.Contains(name, "@") {
		return name
	}
	last := name[strings.LastIndex(name, "/")+1:]
	if last == "" || strings.Contains(last, ":") {
		return name
	}
	return name + ":latest"
}

// HasModel asks the host whether it has model, reading only its model
// list (no per-model details): what a persona form needs to check a name.
// Names compare as Ollama compares them, an untagged one meaning :latest.
func (h *Host) HasModel(ctx context.Context, model string) (bool, error) {
	list, err := h.client.List(ctx)
	if err != nil {
		return false, h.classify(ctx, err)
	}
	want := CanonicalModel(model)
	for _, m := range list.Models {
		if CanonicalModel(m.Name) == want || CanonicalModel(m.Model) == want {
			return true, nil
		}
	}
	return false, nil
}
