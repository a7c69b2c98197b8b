package secret

import (
	"encoding/binary"
	"errors"
)

// adTag versions the additional-data encoding; changing the encoding means
// a new tag, or old envelopes would silently stop opening.
const adTag = "nyxcore/secret/ad/v1"

// errNoPurpose rejects an AD without purpose: a value bound to nothing
// could be moved to any field of its tenant.
var errNoPurpose = errors.New("secret: AD.Purpose is required")

// AD is what a sealed value is bound to. Tenant is the owning tenant's id,
// or "" for global values; Purpose names the field, for example
// "provider:<id>:api_key". Opening with a different AD fails with ErrDecrypt.
type AD struct {
	Tenant  string
	Purpose string
}

func (a AD) validate() error {
	if a.Purpose == "" {
		return errNoPurpose
	}
	return nil
}

// encode returns the GCM additional data for a value sealed under kid.
// Each field is length-prefixed, so no two (kid, tenant, purpose) triples
// share an encoding whatever bytes they contain; the kid is included so the
// whole header is authenticated, not only the key it selects.
func (a AD) encode(kid string) []byte {
	fields := [...]string{kid, a.Tenant, a.Purpose}
	n := len(adTag)
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(f)
	}
	b := make([]byte, 0, n)
	b = append(b, adTag...)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}
