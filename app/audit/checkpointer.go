package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// DefaultCheckpointInterval is how often a Checkpointer signs the chains
// that moved when CheckpointOptions.Interval is zero.
const DefaultCheckpointInterval = 5 * time.Minute

// CheckpointOptions says where a Checkpointer writes. The server log always
// gets a line per checkpoint; File and Webhook are optional and operator
// configured (trusted), so they are kept away from the data plane.
type CheckpointOptions struct {
	Interval time.Duration
	File     string       // appended as JSON lines, created 0600
	Webhook  string       // each pass's checkpoints POSTed as a JSON array
	Client   *http.Client // for Webhook; nil: a client with a 10 s timeout
	Logger   *slog.Logger // nil: slog.Default()
}

// Checkpointer signs checkpoints of chain heads: once for every chain at
// Start, then every Interval for the chains its Log appended to, and once
// more at Close. With several processes on one database each signs what it
// wrote (and every head at its start); checkpoints are facts about the
// chain, so duplicates agree and verify takes them all. Its only state is
// a cache of the seq it last signed per tenant, to skip chains that did not
// move; losing it costs a duplicate checkpoint, never a missed one.
type Checkpointer struct {
	log  *Log
	o    CheckpointOptions
	mu   sync.Mutex // one pass at a time, so file lines never interleave
	last map[string]int64
	stop context.CancelFunc
	done chan struct{}
}

// NewCheckpointer returns a Checkpointer for log's chains.
func NewCheckpointer(log *Log, o CheckpointOptions) *Checkpointer {
	if o.Interval <= 0 {
		o.Interval = DefaultCheckpointInterval
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Checkpointer{log: log, o: o, last: map[string]int64{}}
}

// Start signs every chain's head, then runs the periodic passes until
// Close. A sink that fails (a webhook that is down) does not stop the
// server: it is logged and the chains are signed again on the next pass.
func (c *Checkpointer) Start(ctx context.Context) error {
	ids, err := c.log.st.AuditTenantIDs(ctx)
	if err != nil {
		return fmt.Errorf("audit: checkpoint: %w", err)
	}
	c.passOrRetry(ctx, ids)
	bg, stop := context.WithCancel(context.Background())
	c.stop, c.done = stop, make(chan struct{})
	go c.run(bg)
	return nil
}

func (c *Checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(c.o.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.passDirty(ctx)
		}
	}
}

// Close stops the periodic passes and signs the chains that moved since
// the last one, so a clean shutdown leaves no unsigned tail.
func (c *Checkpointer) Close() {
	if c.stop != nil {
		c.stop()
		<-c.done
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c.passDirty(ctx)
}

func (c *Checkpointer) passDirty(ctx context.Context) { c.passOrRetry(ctx, c.log.takeDirty()) }

// passOrRetry runs a pass over ids; on failure it logs and marks them
// moved, so the next pass signs them again.
func (c *Checkpointer) passOrRetry(ctx context.Context, ids []string) {
	if _, err := c.Pass(ctx, ids); err != nil {
		c.o.Logger.Error("nyx: audit checkpoint failed; retried next pass", "err", err)
		c.log.mu.Lock()
		for _, id := range ids {
			c.log.dirty[id] = true
		}
		c.log.mu.Unlock()
	}
}

// Pass signs the current head of each tenant's chain that moved since this
// process last signed it and writes the checkpoints out. It returns them.
func (c *Checkpointer) Pass(ctx context.Context, tenants []string) ([]Checkpoint, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Checkpoint
	for _, id := range tenants {
		head, err := c.log.st.ListAudit(ctx, id, store.FindAudit{Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("audit: checkpoint %s: %w", id, err)
		}
		if len(head) == 0 || c.last[id] == head[0].Seq {
			continue
		}
		if legacy, err := c.startsLegacy(ctx, id); err != nil || legacy {
			if err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, c.log.keys.Sign(Checkpoint{Tenant: id, Seq: head[0].Seq, Head: head[0].Hash, At: time.Now()}))
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := c.write(ctx, out); err != nil {
		return nil, err
	}
	for _, cp := range out {
		c.last[cp.Tenant] = cp.Seq
	}
	return out, nil
}

// startsLegacy reports whether the tenant's chain starts with a v1 entry:
// re-sealing it will change every MAC, so a checkpoint of it now would
// contradict the re-sealed chain. Such a chain is not checkpointed until
// `db migrate` re-seals it (it fails verify until then anyway).
func (c *Checkpointer) startsLegacy(ctx context.Context, tenantID string) (bool, error) {
	first, err := c.log.st.ListAudit(ctx, tenantID, store.FindAudit{Before: 2, Limit: 1})
	if err != nil {
		return false, fmt.Errorf("audit: checkpoint %s: %w", tenantID, err)
	}
	return len(first) == 1 && isLegacy(first[0].Hash), nil
}

// write sends checkpoints to every sink; the log line comes first, so a
// failing file or webhook still leaves the fact in the server log.
func (c *Checkpointer) write(ctx context.Context, cps []Checkpoint) error {
	for _, cp := range cps {
		c.o.Logger.Info("nyx: audit checkpoint", "tenant", cp.Tenant, "seq", cp.Seq, "head", cp.Head, "checkpoint", cp.Token())
	}
	return errors.Join(c.appendFile(cps), c.post(ctx, cps))
}

func (c *Checkpointer) appendFile(cps []Checkpoint) error {
	if c.o.File == "" {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, cp := range cps {
		_ = enc.Encode(cp) // cannot fail for this type
	}
	f, err := os.OpenFile(c.o.File, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit: checkpoint file: %w", err)
	}
	// One write per pass: O_APPEND keeps lines of several processes whole.
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("audit: checkpoint file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("audit: checkpoint file: %w", err)
	}
	return f.Close()
}

func (c *Checkpointer) post(ctx context.Context, cps []Checkpoint) error {
	if c.o.Webhook == "" {
		return nil
	}
	body, _ := json.Marshal(cps) // cannot fail for this type
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.Webhook, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("audit: checkpoint webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.o.Client.Do(req)
	if err != nil {
		return fmt.Errorf("audit: checkpoint webhook: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("audit: checkpoint webhook answered %s", resp.Status)
	}
	return nil
}
