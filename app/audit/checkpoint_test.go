package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nyxcore/nyxcore/app/audit"
)

// TestCheckpointsReachEverySink: one pass writes the same signed
// checkpoint to the server log (as a token verify can read back), to the
// file (JSON lines, 0600) and to the webhook; a chain that did not move is
// not signed again, and one that moved is signed at Close.
func TestCheckpointsReachEverySink(t *testing.T) {
	b := openSQLite(t)
	keys := keysFor(t, serverMaster)
	tenant := seed(t, b.st, 3)
	var mu sync.Mutex
	var posted [][]audit.Checkpoint
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch []audit.Checkpoint
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil || r.Method != http.MethodPost {
			t.Errorf("webhook got %s, %v", r.Method, err)
		}
		mu.Lock()
		posted = append(posted, batch)
		mu.Unlock()
	}))
	defer hook.Close()
	var logBuf bytes.Buffer
	file := filepath.Join(t.TempDir(), "cp.jsonl")
	log := audit.New(b.st, keys)
	cp := audit.NewCheckpointer(log, audit.CheckpointOptions{File: file, Webhook: hook.URL, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	must(t, cp.Start(context.Background()))
	if got, err := cp.Pass(context.Background(), []string{tenant}); err != nil || len(got) != 0 {
		t.Fatalf("a pass over an unmoved chain signed %+v, %v", got, err)
	}
	record(t, log, tenant, 2)
	cp.Close()

	fromLog, err := audit.ReadCheckpoints(&logBuf)
	must(t, err)
	fromFile := readChecks(t, file)[tenant]
	if len(fromLog) != 2 || len(fromFile) != 2 || len(posted) != 2 {
		t.Fatalf("checkpoints: log %d, file %d, webhook %d; want 2 each (start and close)", len(fromLog), len(fromFile), len(posted))
	}
	for i, want := range []int64{3, 5} {
		if fromFile[i].Seq != want || fromLog[i].Checkpoint != fromFile[i] || posted[i][0] != fromFile[i] {
			t.Fatalf("checkpoint %d: file %+v, log %+v, webhook %+v; want seq %d everywhere", i, fromFile[i], fromLog[i], posted[i], want)
		}
	}
	if n, err := audit.Verify(context.Background(), b.st, keys, tenant, fromFile); err != nil || n != 5 {
		t.Fatalf("Verify against its own checkpoints = %d, %v", n, err)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("checkpoint file mode = %v, %v; want 0600", st.Mode().Perm(), err)
	}
}

// TestForgedCheckpointsDoNotVerify: an edited checkpoint, or one signed
// under another master key, is not valid, so an attacker cannot lower the
// seq verify holds the chain to.
func TestForgedCheckpointsDoNotVerify(t *testing.T) {
	keys := keysFor(t, serverMaster)
	good := keys.Sign(audit.Checkpoint{Tenant: "t1", Seq: 10, Head: "v2:aa"})
	edited := good
	edited.Seq = 7
	for name, c := range map[string]audit.Checkpoint{"edited seq": edited, "wrong key": keysFor(t, wrongMaster).Sign(good)} {
		if keys.Valid(c) {
			t.Errorf("%s: a forged checkpoint is valid", name)
		}
	}
	if !keys.Valid(good) {
		t.Fatal("a genuine checkpoint is not valid")
	}
	// A text log line, a JSON log line, other log lines and a file line.
	fileLine, _ := json.Marshal(good)
	lines, err := audit.ReadCheckpoints(io.MultiReader(strings.NewReader("unrelated line\n{\"msg\":\"other\"}\n"),
		strings.NewReader("time=x msg=\"nyx: audit checkpoint\" checkpoint="+good.Token()+" tenant=t1\n"),
		strings.NewReader(`{"msg":"nyx: audit checkpoint","checkpoint":"`+good.Token()+`","seq":10}`+"\n"+string(fileLine)+"\n")))
	if err != nil || len(lines) != 3 || lines[0].Line != 3 || lines[1].Line != 4 || lines[2].Line != 5 {
		t.Fatalf("ReadCheckpoints = %+v, %v", lines, err)
	}
	for _, l := range lines {
		if l.Checkpoint != good {
			t.Fatalf("line %d read as %+v, want %+v", l.Line, l.Checkpoint, good)
		}
	}
	if _, err := audit.ReadCheckpoints(strings.NewReader(`{"tenant":"t1","sig":` + "\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("a broken checkpoint line: %v, want an error naming line 1", err)
	}
}

// TestCheckpointRetriesAfterAFailingSink: a webhook that is down at start
// neither stops the server nor loses the checkpoint: the failure is
// logged and the next pass (here, at Close) signs the chain again.
func TestCheckpointRetriesAfterAFailingSink(t *testing.T) {
	b := openSQLite(t)
	tenant := seed(t, b.st, 2)
	var mu sync.Mutex
	calls, delivered := 0, 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if calls++; calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var batch []audit.Checkpoint
		if json.NewDecoder(r.Body).Decode(&batch) == nil && len(batch) == 1 && batch[0].Tenant == tenant && batch[0].Seq == 2 {
			delivered++
		}
	}))
	defer hook.Close()
	var logBuf bytes.Buffer
	cp := audit.NewCheckpointer(audit.New(b.st, keysFor(t, serverMaster)), audit.CheckpointOptions{Webhook: hook.URL, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	must(t, cp.Start(context.Background()))
	cp.Close()
	if !strings.Contains(logBuf.String(), "audit checkpoint failed") || delivered != 1 {
		t.Fatalf("webhook calls %d, delivered %d; log:\n%s", calls, delivered, logBuf.String())
	}
}
