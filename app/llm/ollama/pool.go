package ollama

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
)

// refresh updates the host's health, model list and loaded models. It is
// what the background checker runs; requests only read the result.
func (h *Host) refresh(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st := hostState{checked: time.Now(), models: map[string]bool{}, loaded: map[string]bool{}}
	list, err := h.client.List(ctx)
	if err == nil {
		for _, m := range list.Models {
			st.models[CanonicalModel(m.Name)] = true
		}
		running, rerr := h.client.ListRunning(ctx)
		if rerr == nil {
			for _, m := range running.Models {
				st.loaded[CanonicalModel(m.Name)] = true
			}
		}
		err = rerr
	}
	st.healthy, st.err = err == nil, err
	h.mu.Lock()
	h.state = st
	h.mu.Unlock()
}

func (h *Host) snapshot() hostState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.state
}

// markDown records a failure seen on the request path, so the next
// request tries another host first without waiting for the checker.
func (h *Host) markDown(err error) {
	h.mu.Lock()
	h.state.healthy, h.state.err, h.state.checked = false, err, time.Now()
	h.mu.Unlock()
}

// Healthy reports the last known health; unknown counts as healthy.
func (h *Host) Healthy() bool {
	st := h.snapshot()
	return st.checked.IsZero() || st.healthy
}

// Checker refreshes hosts in the background. It is safe for concurrent use.
type Checker struct {
	mu    sync.Mutex
	hosts map[string]*Host
}

// NewChecker returns a Checker with no hosts.
func NewChecker() *Checker { return &Checker{hosts: map[string]*Host{}} }

// Watch adds h to the hosts checked.
func (c *Checker) Watch(h *Host) {
	c.mu.Lock()
	c.hosts[h.URL()] = h
	c.mu.Unlock()
}

// Run checks every watched host each interval until ctx ends.
func (c *Checker) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		c.CheckNow(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckNow refreshes every watched host concurrently and waits.
func (c *Checker) CheckNow(ctx context.Context) {
	c.mu.Lock()
	hosts := make([]*Host, 0, len(c.hosts))
	for _, h := range c.hosts {
		hosts = append(hosts, h)
	}
	c.mu.Unlock()
	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		go func() { defer wg.Done(); h.refresh(ctx) }()
	}
	wg.Wait()
}

// Route orders hosts for model: healthy hosts where it is loaded, then
// healthy hosts that have it, then hosts not checked yet, then hosts last
// seen down (their state may be stale); preferred wins ties. Healthy hosts
// known to lack the model are left out. model may omit Ollama's implicit
// ":latest" tag, as it may when asking Ollama itself.
func Route(hosts []*Host, model, preferred string) []*Host {
	model = CanonicalModel(model)
	type cand struct {
		h    *Host
		rank int
	}
	var cands []cand
	for _, h := range hosts {
		st := h.snapshot()
		switch {
		case st.checked.IsZero():
			cands = append(cands, cand{h, 2})
		case !st.healthy:
			cands = append(cands, cand{h, 3})
		case st.loaded[model]:
			cands = append(cands, cand{h, 0})
		case st.models[model]:
			cands = append(cands, cand{h, 1})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].rank != cands[j].rank {
			return cands[i].rank < cands[j].rank
		}
		return cands[i].h.URL() == preferred && cands[j].h.URL() != preferred
	})
	out := make([]*Host, len(cands))
	for i, c := range cands {
		out[i] = c.h
	}
	return out
}

// Chat runs req on the best host for its model and fails over to the next
// while a host is unreachable and nothing has been streamed yet.
func Chat(ctx context.Context, hosts []*Host, preferred string, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	route := Route(hosts, req.Model, preferred)
	if len(route) == 0 {
		return llm.Usage{}, llm.Errorf(llm.KindModelNotFound, "ollama", nil, "no Ollama host has the model %q", req.Model)
	}
	var lastErr error
	for _, h := range route {
		streamed := false
		usage, err := h.Chat(ctx, req, func(s string) error { streamed = true; return onDelta(s) })
		if err == nil || streamed || !errors.Is(err, llm.ErrUnavailable) {
			return usage, err
		}
		h.markDown(err)
		lastErr = err
	}
	return llm.Usage{}, lastErr
}
