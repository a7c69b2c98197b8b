package llm

import (
	"regexp"
	"strings"
	"unicode"
)

// ExcerptLimit is the most characters of an upstream's own text a user
// ever sees.
const ExcerptLimit = 120

// addressLike matches URLs, IPv4 and bracketed or bare IPv6 addresses
// and host:port pairs, which an excerpt never carries: the message is for
// the tenant, and an internal server's addresses are not theirs to map.
var addressLike = regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://\S*|\[[0-9a-f:.%]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\b|\b[a-z0-9.-]+:\d{2,5}\b`)

// Excerpt is an upstream's error text made fit to show a tenant: control
// and other unprintable characters dropped, whitespace collapsed,
// addresses replaced by "[address]", at most ExcerptLimit characters. Use
// it only on text the upstream sent as its error message (a JSON error
// field), never on a raw body.
func Excerpt(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case !unicode.IsPrint(r):
			return -1
		}
		return r
	}, s)
	s = addressLike.ReplaceAllString(s, "[address]")
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > ExcerptLimit {
		return string(r[:ExcerptLimit]) + "…"
	}
	return s
}

// modelNameChars is what model names are made of across Ollama
// (llama3.2:3b, hf.co/org/repo:Q4_K_M), OpenAI-compatible servers
// (gpt-4o-mini, meta-llama/Llama-3.1-8B-Instruct), Anthropic and Google
// (models/gemini-2.0-flash).
var modelNameChars = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$`)

// MaxModelName is the longest model name accepted from a server.
const MaxModelName = 200

// ValidModelName reports whether a name a server listed looks like a
// model name. A server that is not a model server (any local service a
// URL can reach) would otherwise have its data shown as model names.
func ValidModelName(name string) bool {
	return len(name) <= MaxModelName && modelNameChars.MatchString(name)
}
