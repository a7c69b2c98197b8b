package server

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/tools/router"
)

// identityPeek is how much of an authentication request's body is read to
// find the account it names. Those bodies are a few hundred bytes; one
// padded past this is charged to a single "oversized" account per IP, so
// padding cannot dodge the per-account limit.
const identityPeek = 64 << 10

// oversized is the identity of a body too long to read; no account name
// can equal it, since names are read from the body and this holds a NUL.
const oversized = "\x00oversized"

// identityForm has the fields, with PocketBase's own tags, that name the
// account in its authentication forms. Binding it the way PocketBase binds
// its forms (router.Event.BindBody: JSON keys matched case-insensitively,
// form values, multipart, XML) reads the identity PocketBase will act on,
// whatever spelling a client uses.
type identityForm struct {
	Identity string `form:"identity" json:"identity"`
	OTPId    string `form:"otpId" json:"otpId"`
	Email    string `form:"email" json:"email"`
	NewEmail string `form:"newEmail" json:"newEmail"`
}

// requestIdentity reads field from r's body, lower-cased and trimmed, and
// leaves the body for PocketBase to read in full.
func requestIdentity(r *http.Request, field string) string {
	buf, complete := peekBody(r)
	if !complete {
		return oversized
	}
	probe := r.Clone(r.Context())
	probe.Body = io.NopCloser(bytes.NewReader(buf))
	var f identityForm
	ev := router.Event{Request: probe}
	if ev.BindBody(&f) != nil {
		return "" // PocketBase will refuse the body too
	}
	v := map[string]string{"identity": f.Identity, "otpId": f.OTPId, "email": f.Email, "newEmail": f.NewEmail}[field]
	return strings.ToLower(strings.TrimSpace(v))
}

// peekBody reads up to identityPeek bytes of r's body and puts them back.
// PocketBase's router wraps every body in a RereadableReadCloser, which
// rewinds itself once read to the end; a longer body gets the read part
// put in front of the rest. complete says the whole body was read.
func peekBody(r *http.Request) (buf []byte, complete bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, identityPeek+1))
	complete = err == nil && len(buf) <= identityPeek
	if _, rewinds := r.Body.(router.Rereader); !complete || !rewinds {
		r.Body = &peekedBody{head: bytes.NewReader(buf), rest: r.Body}
	}
	return buf, complete
}

// peekedBody is a body whose first bytes were read already: it serves
// them again, then the rest. Reread (PocketBase's JSON binding calls it)
// goes to the underlying RereadableReadCloser, which kept a copy of
// everything read from it, the peeked bytes included.
type peekedBody struct {
	head *bytes.Reader
	rest io.ReadCloser
}

func (p *peekedBody) Read(b []byte) (int, error) {
	if p.head != nil {
		if n, _ := p.head.Read(b); n > 0 {
			return n, nil
		}
		p.head = nil
	}
	return p.rest.Read(b)
}

// Reread implements router.Rereader.
func (p *peekedBody) Reread() {
	if rr, ok := p.rest.(router.Rereader); ok {
		p.head = nil
		rr.Reread()
	}
}

// Close implements io.Closer.
func (p *peekedBody) Close() error { return p.rest.Close() }
