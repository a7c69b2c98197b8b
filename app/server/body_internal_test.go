package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

type strictInner struct {
	Seed int `json:"seed"`
}

type strictEmbedded struct {
	Tag string `json:"tag"`
}

type strictBody struct {
	strictEmbedded
	Name   string                 `json:"name"`
	Inner  *strictInner           `json:"inner"`
	List   []strictInner          `json:"list"`
	Labels map[string]strictInner `json:"labels"`
	Any    any                    `json:"any"`
	Opt    optString              `json:"opt"`
	Plain  string
	Hidden string `json:"-"`
}

// TestDecodeStrict: what decodeLimited accepts and refuses, with the code
// and the field named.
func TestDecodeStrict(t *testing.T) {
	cases := []struct {
		body, code, field string
	}{
		{`{"name":"a"}`, "", ""},
		{`{"name":"a","tag":"t","Plain":"p","inner":{"seed":1},"list":[{"seed":1},{"seed":2}],"opt":null}`, "", ""},
		{`{"labels":{"A":{"seed":1},"a":{"seed":2}}}`, "", ""}, // map keys are data: case is free
		{`{"any":{"X":1,"x":2}}`, "", ""},
		{`{"name":"a","name":"b"}`, "bad_json", "name"},
		{`{"inner":{"seed":1,"seed":1}}`, "bad_json", "inner.seed"},
		{`{"list":[{"seed":1},{"seed":1,"seed":2}]}`, "bad_json", "list[].seed"},
		{`{"labels":{"k":{"seed":1},"k":{"seed":2}}}`, "bad_json", "labels.k"},
		{`{"any":{"deep":[{"x":1,"x":2}]}}`, "bad_json", "any.deep[].x"},
		{`{"Name":"a"}`, "unknown_field", "Name"},
		{`{"TAG":"a"}`, "unknown_field", "TAG"},
		{`{"plain":"a"}`, "unknown_field", "plain"},
		{`{"inner":{"SEED":1}}`, "unknown_field", "inner.SEED"},
		{`{"labels":{"k":{"Seed":1}}}`, "unknown_field", "labels.k.Seed"},
		{`{"Hidden":"a"}`, "unknown_field", "Hidden"},
		{`{"other":1}`, "unknown_field", "other"},
		{`null`, "bad_json", ""},
		{"  null \n", "bad_json", ""},
		{``, "bad_json", ""},
		{`[]`, "bad_json", ""},
		{`{"name":"a"}{}`, "bad_json", ""},
		{`{"name":`, "bad_json", ""},
		{`{"name":1}`, "invalid_field", "name"},
		{strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "bad_json", ""},
		{`{"any":` + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20001), "bad_json", ""},
	}
	for _, c := range cases {
		name := c.body
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			e := &core.RequestEvent{}
			e.Request = httptest.NewRequest("POST", "/api/nyx/x", strings.NewReader(c.body))
			var dst strictBody
			err := decodeLimited(e, &dst, 1<<20)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			ae, ok := err.(*apiError)
			if !ok || ae.Code != c.code || ae.Status != 400 {
				t.Fatalf("got %T %v, want 400 %s", err, err, c.code)
			}
			if got, _ := ae.Data["field"].(string); got != c.field {
				t.Fatalf("field = %q, want %q (%s)", got, c.field, ae.Message)
			}
		})
	}
}
