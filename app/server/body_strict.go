package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
)

// maxKeyDepth matches encoding/json's own nesting limit: deeper bodies are
// left to the decoder, which refuses them.
const maxKeyDepth = 10000

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkKeys walks the JSON text once before it is decoded into a value of
// type t, because encoding/json (v1; v2 still needs GOEXPERIMENT=jsonv2 in
// Go 1.26) lets the last of duplicate keys win and matches keys to fields
// ignoring case. Two spellings of one field could then mean different
// things to a proxy, a log reader and this server. It refuses duplicate
// keys at any depth (bad_json) and keys that match a field only when case
// is ignored (unknown_field). Syntax errors are left to the decoder.
func checkKeys(body []byte, t reflect.Type) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers are only skipped here; never convert them
	w := keyWalker{dec: dec}
	w.value(t, "")
	return w.err
}

// keyWalker holds the walk's decoder and its first problem; stop is set
// once the walk cannot go on (a problem or a syntax error).
type keyWalker struct {
	dec   *json.Decoder
	depth int
	stop  bool
	err   *apiError
}

func (w *keyWalker) token() (json.Token, bool) {
	tok, err := w.dec.Token()
	if err != nil {
		w.stop = true
		return nil, false
	}
	return tok, true
}

// value walks one JSON value that decodes into t (nil: no struct rules).
func (w *keyWalker) value(t reflect.Type, path string) {
	tok, ok := w.token()
	if !ok {
		return
	}
	if tok == json.Delim('{') || tok == json.Delim('[') {
		if w.depth++; w.depth > maxKeyDepth {
			w.stop = true
			return
		}
		defer func() { w.depth-- }()
	}
	switch tok {
	case json.Delim('{'):
		w.object(t, path)
	case json.Delim('['):
		elem := elemType(t)
		for !w.stop && w.dec.More() {
			w.value(elem, path+"[]")
		}
		if !w.stop {
			w.token() // ']'
		}
	}
}

// object walks the members of an object whose '{' was just read.
func (w *keyWalker) object(t reflect.Type, path string) {
	fields := jsonFields(t)
	seen := map[string]bool{}
	for !w.stop && w.dec.More() {
		tok, ok := w.token()
		if !ok {
			return
		}
		key, _ := tok.(string)
		name := key
		if path != "" {
			name = path + "." + key
		}
		if seen[key] {
			w.fail(fieldError(http.StatusBadRequest, "bad_json", name, "Key "+name+" appears more than once; send each key once."))
			return
		}
		seen[key] = true
		var next reflect.Type
		if fields != nil {
			f, ok := fields[key]
			if !ok && foldMatch(fields, key) {
				w.fail(fieldError(http.StatusBadRequest, "unknown_field", name, "Unknown field "+name+" (field names are case-sensitive)."))
				return
			}
			next = f
		} else if t != nil && t.Kind() == reflect.Map {
			next = elemType(t)
		}
		w.value(next, name)
	}
	if !w.stop {
		w.token() // '}'
	}
}

func (w *keyWalker) fail(err *apiError) { w.err, w.stop = err, true }

// target is t without pointers, or nil when t decodes itself (or is nil
// or an interface): then only duplicate keys are checked below it.
func target(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	return t
}

// elemType is the element type of a slice, array or map t, or nil.
func elemType(t reflect.Type) reflect.Type {
	t = target(t)
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return t.Elem()
	}
	return nil
}

// jsonFields maps the exact JSON names of a struct's fields (embedded
// structs' fields promoted) to their types; nil when t is not a struct.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	t = target(t)
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				if _, dup := out[k]; !dup {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// foldMatch reports whether key names a field when case is ignored.
func foldMatch(fields map[string]reflect.Type, key string) bool {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}
