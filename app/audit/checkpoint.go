package audit

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// checkpointTag versions what a checkpoint signature covers.
const checkpointTag = "nyxcore/audit/checkpoint/v1"

// tokenPrefix starts a checkpoint written inside a log line, so verify can
// pick checkpoints out of the server log as well as out of a JSON-lines file.
const tokenPrefix = "nyxcp1."

// Checkpoint is a signed fact about a chain: at time At, tenant's chain
// ended at entry Seq whose MAC was Head. It is written outside the data
// plane, so deleting a chain's tail, or the whole chain, contradicts it.
// Checkpoints are idempotent: any process may sign what it sees, and two
// processes that saw the same head sign the same fact.
type Checkpoint struct {
	Tenant string    `json:"tenant"`
	Seq    int64     `json:"seq"`
	Head   string    `json:"head"`
	At     time.Time `json:"at"`
	Sig    string    `json:"sig"`
}

// Sign fills in c's signature: HMAC-SHA256 under the checkpoint key.
func (k *Keys) Sign(c Checkpoint) Checkpoint {
	c.At = c.At.UTC().Truncate(time.Second)
	c.Sig = hex.EncodeToString(k.checkpointMAC(c))
	return c
}

// Valid reports whether c's signature is the checkpoint key's.
func (k *Keys) Valid(c Checkpoint) bool {
	sig, err := hex.DecodeString(c.Sig)
	return err == nil && hmac.Equal(sig, k.checkpointMAC(c))
}

func (k *Keys) checkpointMAC(c Checkpoint) []byte {
	h := hmac.New(sha256.New, k.checkpoint)
	for _, f := range []string{checkpointTag, c.Tenant, strconv.FormatInt(c.Seq, 10), c.Head, c.At.UTC().Format(time.RFC3339)} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return h.Sum(nil)
}

// Token returns c as one word for a log line: "nyxcp1." and base64url JSON.
func (c Checkpoint) Token() string {
	b, _ := json.Marshal(c) // a struct of strings, an int and a time: cannot fail
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// CheckpointLine is one checkpoint read back, with where it came from.
type CheckpointLine struct {
	Checkpoint
	Line int
}

// ReadCheckpoints reads checkpoints from r: lines that are a checkpoint's
// JSON (the checkpoint file) or that contain its token (the server log).
// Other lines are skipped; a line that looks like a checkpoint but does
// not parse is an error naming the line.
func ReadCheckpoints(r io.Reader) ([]CheckpointLine, error) {
	var out []CheckpointLine
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		c, ok, err := parseCheckpoint(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("audit: checkpoint line %d: %w", n, err)
		}
		if ok {
			out = append(out, CheckpointLine{Checkpoint: c, Line: n})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit: read checkpoints: %w", err)
	}
	return out, nil
}

// parseCheckpoint reads one line: a token anywhere in it (a text or JSON
// log line), else a JSON object with a signature (the checkpoint file).
func parseCheckpoint(line string) (Checkpoint, bool, error) {
	var c Checkpoint
	line = strings.TrimSpace(line)
	var raw []byte
	switch i := strings.Index(line, tokenPrefix); {
	case i >= 0:
		word := line[i+len(tokenPrefix):]
		if end := strings.IndexFunc(word, notBase64URL); end >= 0 {
			word = word[:end]
		}
		b, err := base64.RawURLEncoding.DecodeString(word)
		if err != nil {
			return c, false, fmt.Errorf("bad checkpoint token: %w", err)
		}
		raw = b
	case strings.HasPrefix(line, "{") && strings.Contains(line, `"sig"`):
		raw = []byte(line)
	default:
		return c, false, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, false, fmt.Errorf("bad checkpoint: %w", err)
	}
	if c.Tenant == "" || c.Seq < 1 || c.Sig == "" {
		return c, false, fmt.Errorf("checkpoint lacks tenant, seq or sig")
	}
	return c, true, nil
}

func notBase64URL(r rune) bool {
	return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_'
}
