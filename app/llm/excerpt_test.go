package llm_test

import (
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/llm"
)

func TestExcerpt(t *testing.T) {
	cases := []struct{ in, want string }{
		{"model is overloaded", "model is overloaded"},
		{"bad\x00\x1b[31m key\r\n\tthere", "bad[31m key there"},
		{"dial http://10.0.0.5:8080/x failed", "dial [address] failed"},
		{"cannot reach 192.168.1.7:6379 or 10.0.0.1", "cannot reach [address] or [address]"},
		{"at [::1]:5432 and fe80::1", "at [address] and [address]"},
		{"redis.internal:6379 refused", "[address] refused"},
		{"use model llama3.2:3b please", "use model llama3.2:3b please"},
	}
	for _, c := range cases {
		if got := llm.Excerpt(c.in); got != c.want {
			t.Errorf("Excerpt(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := llm.Excerpt(strings.Repeat("x", 500))
	if n := len([]rune(long)); n != llm.ExcerptLimit+1 {
		t.Errorf("a long text kept %d characters", n)
	}
}

func TestValidModelName(t *testing.T) {
	for _, ok := range []string{"llama3.2:3b", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "gpt-4o-mini", "models/gemini-2.0-flash",
		"meta-llama/Llama-3.1-8B-Instruct", "claude-3-5-haiku-20241022"} {
		if !llm.ValidModelName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "-ERR unknown command", "password: hunter2", "<html>", "a\nb", strings.Repeat("a", 201), "{\"k\":1}", "_private"} {
		if llm.ValidModelName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
