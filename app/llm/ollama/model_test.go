package ollama_test

import (
	"testing"

	"github.com/nyxcore/nyxcore/app/llm/ollama"
)

func TestCanonicalModel(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"llama3.2", "llama3.2:latest"},
		{"llama3.2:latest", "llama3.2:latest"},
		{"llama3.2:3b", "llama3.2:3b"},
		{"library/llama3.2", "library/llama3.2:latest"},
		{"registry.example.com:5000/team/model", "registry.example.com:5000/team/model:latest"},
		{"hf.co/user/repo:Q4_K_M", "hf.co/user/repo:Q4_K_M"},
		{"model@sha256:0123abcd", "model@sha256:0123abcd"},
		{"", ""},
	} {
		if got := ollama.CanonicalModel(c.in); got != c.want {
			t.Errorf("CanonicalModel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
