// Package e2e holds the end-to-end tests and benchmarks: they build the
// nyxcore binary from the module root's main package and drive it as a
// person or an operator would (serve, sign up, back up, TLS, doctor),
// against real PostgreSQL, Redis and Ollama. It has no code of its own.
package e2e
