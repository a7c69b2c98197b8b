// Package ollamatest gives tests a real Ollama server (v0.17.4, CPU only)
// serving two tiny generated models, so code that talks to Ollama is tested
// against the real wire protocol, scheduler and runner instead of a fake.
//
// Use it from a test package:
//
//	func TestMain(m *testing.M) { os.Exit(ollamatest.Run(m)) }
//
//	func TestChat(t *testing.T) {
//		srv := ollamatest.Start(t) // stopped when t ends
//		client := api.NewClient(mustParse(srv.URL()), http.DefaultClient)
//		...ollamatest.ModelTinyEOS...
//	}
//
// # What it builds
//
// The first Start in a process builds the real server from its Go module
// (go install github.com/ollama/ollama@v0.17.4, cgo, llama.cpp compiled for
// the CPU) and writes the two GGUF models with Ollama's own GGUF writer.
// Both land in a cache directory: $NYX_OLLAMA_CACHE if set, otherwise
// os.UserCacheDir()/nyxcore/ollama-0.17.4 (for root, under its home directory). A
// cold build takes about four minutes on two cores; afterwards Start takes
// a fraction of a second. Two test processes building at once serialize on
// a lock file in the cache directory, and every artefact is written to a
// temporary name and renamed into place.
//
// # What a machine needs
//
// Go with cgo (gcc and g++), and the two header packages that llama.cpp
// vendors but Go module zips drop:
//
//	apt-get install -y nlohmann-json3-dev libstb-dev
//
// (Debian/Ubuntu; they provide /usr/include/nlohmann and /usr/include/stb).
// The third missing header, miniaudio.h, has no Debian package; a stub is
// embedded in this package (audio input is never used). Without the system
// packages the harness falls back to `apt-get download` + `dpkg-deb -x`
// into the cache, running `apt-get update` once if the download fails; that
// path is for developer machines, CI installs the packages.
//
// When the server cannot be built or started, Start fails the test if the
// CI environment variable is truthy and skips it otherwise, with the reason
// and the fix.
//
// # The servers
//
// Every Start runs its own `ollama serve` on a free 127.0.0.1 port, with a
// temporary HOME and OLLAMA_MODELS, no OLLAMA_* variable inherited from the
// developer's environment, OLLAMA_NUM_PARALLEL=1 and models created with
// num_ctx 512 and num_thread 1 (more threads stall on small machines). Stop
// sends SIGTERM (serve then kills and reaps its runners) and, after a grace
// period, SIGKILL to the whole process group; t.Cleanup stops each server
// when its test ends and Run stops whatever is still running. Servers left
// behind by a test binary that was killed are reaped by the next Start.
package ollamatest
