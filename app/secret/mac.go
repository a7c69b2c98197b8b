package secret

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
)

// MAC returns HMAC-SHA256 over purpose and parts under a key derived from
// the master key, for values the server must recognise later without
// storing them (such as custom-domain verification tokens). Each input is
// length-prefixed, so no two different (purpose, parts) lists collide, and
// purposes keep one use's tags from being valid for another. The result
// changes when the master key does.
func (m *Master) MAC(purpose string, parts ...string) []byte {
	h := hmac.New(sha256.New, m.mac)
	for _, p := range append([]string{purpose}, parts...) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}
