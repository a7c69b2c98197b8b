package certs

import "crypto/tls"

// CipherSuites is the TLS 1.2 suites the server offers: the ECDHE AEAD
// suites of Mozilla's "intermediate" profile (AES-GCM and
// ChaCha20-Poly1305). CBC suites are left out, so padding-oracle attacks
// such as LUCKY13 have nothing to work on; TLS 1.3 suites are not
// configurable in Go and are all AEAD.
func CipherSuites() []uint16 {
	return []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
		tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
}
