package ollama

import "strings"

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
