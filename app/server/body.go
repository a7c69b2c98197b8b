package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// decode reads exactly one JSON object into dst: the body must be JSON,
// within the size limit, with no unknown fields, no duplicate keys, keys
// spelled with the fields' exact case, not null, and nothing after it. The
// Content-Type is not checked, so `curl -d '{...}'` works as people expect.
func (a *api) decode(e *core.RequestEvent, dst any) error {
	return decodeLimited(e, dst, a.Config.API.MaxBodyBytes)
}

// decodeLimited is decode with an explicit size limit.
func decodeLimited(e *core.RequestEvent, dst any, limit int64) error {
	body, err := io.ReadAll(io.LimitReader(e.Request.Body, limit+1))
	if err != nil {
		return newError(http.StatusBadRequest, "bad_body", "The request body could not be read.")
	}
	if int64(len(body)) > limit {
		return newError(http.StatusRequestEntityTooLarge, "body_too_large", "The request body is larger than the server accepts.")
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return errNotObject
	}
	if err := checkKeys(body, reflect.TypeOf(dst)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return newError(http.StatusBadRequest, "bad_json", "The body must hold exactly one JSON object.")
	}
	return nil
}

var errNotObject = newError(http.StatusBadRequest, "bad_json", "The body must be a JSON object.")

func jsonError(err error) *apiError {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return newError(http.StatusBadRequest, "bad_json", "The request body is empty; send a JSON object.")
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return errNotObject
	case errors.As(err, &typeErr):
		return fieldError(http.StatusBadRequest, "invalid_field", typeErr.Field, "Field "+typeErr.Field+" has the wrong type: want "+typeErr.Type.String()+".")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldError(http.StatusBadRequest, "unknown_field", field, "Unknown field "+field+".")
	}
	return newError(http.StatusBadRequest, "bad_json", "The body is not valid JSON: "+err.Error()+".")
}
