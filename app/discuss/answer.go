package discuss

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

// DefaultContextWindow is assumed for a persona whose model's window is
// unknown; ReplyReserve is kept free for the reply.
const (
	DefaultContextWindow = 8192
	ReplyReserve         = 1024
)

// usageView is the usage stored with a message and shown by the API.
type usageView struct {
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	TTFTms           int64   `json:"ttft_ms"`
	TotalMs          int64   `json:"total_ms"`
	TokensPerSecond  float64 `json:"tokens_per_second"`
	DoneReason       string  `json:"done_reason,omitempty"`
	NumCtx           int     `json:"num_ctx,omitempty"`
	TruncationRisk   bool    `json:"truncation_risk,omitempty"`
	// Estimated marks counts the meter estimated from the streamed text
	// because the stream ended without the provider's (stop, interrupt,
	// provider error).
	Estimated bool `json:"estimated,omitempty"`
	// Host is the server that answered (an Ollama host of a pool).
	Host string `json:"host,omitempty"`
	// ErrorCode is the stable code of a provider failure (the API's:
	// provider_unavailable, provider_stalled, ...), with the message's error.
	ErrorCode string `json:"error_code,omitempty"`
}

// answer streams one persona's reply into a new message and returns its
// text and whether it finished normally. The message is written every
// FlushEvery while streaming and once more with its final status, on a
// context of its own so a stop or shutdown cannot lose the last write.
func (e *Engine) answer(ctx context.Context, t *turn, p store.Persona, role string, round int, conv convo) (string, bool) {
	topic := Topic(t.tenantID, t.d.ID)
	meta, _ := json.Marshal(map[string]any{"trimmed": conv.trimmed})
	id := store.NewID()

	var mu sync.Mutex
	var buf strings.Builder
	dirty := false
	// The provider is asked at once; the reply's row is written meanwhile
	// (after the posted message, which Post may still be writing). Deltas
	// wait for the row, so subscribers see the message before its text.
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ready := make(chan struct{})
	var msg *store.Message
	var stopFlush func()
	go func() {
		defer close(ready)
		if !t.saved() {
			cancel(errNotSaved)
			return
		}
		m, err := e.st.AddMessage(context.Background(), store.Message{ID: id, TenantID: t.tenantID, DiscussionID: t.d.ID, TurnID: t.id,
			Role: role, PersonaID: p.ID, Status: store.StatusStreaming, Round: round, ProviderID: p.ProviderID, Model: p.Model, Metadata: meta})
		if err != nil {
			cancel(err)
			return
		}
		msg = m
		e.publishMessage(t, m)
		stopFlush = e.flusher(t, id, &mu, &buf, &dirty)
	}()
	res, err := t.res.Chat(cctx, p, request(p, conv.messages), func(text string) error {
		<-ready
		if msg == nil {
			return context.Cause(cctx)
		}
		mu.Lock()
		buf.WriteString(text)
		dirty = true
		mu.Unlock()
		e.pub.PublishDelta(topic, id, text)
		return nil
	})
	<-ready
	if msg == nil {
		return "", false // nothing was stored, so nothing is shown
	}
	stopFlush()
	e.pub.Flush(topic)
	usage := res.Usage

	status := finalStatus(ctx, err)
	if status == store.StatusDone && err != nil {
		status = store.StatusError
	}
	errText, errCode := "", ""
	if status == store.StatusError {
		errText, errCode = err.Error(), llm.Code(err)
	}
	mu.Lock()
	text := buf.String()
	mu.Unlock()
	u, _ := json.Marshal(usageView{PromptTokens: usage.PromptTokens, CompletionTokens: usage.CompletionTokens,
		TTFTms: usage.TimeToFirstToken.Milliseconds(), TotalMs: usage.Total.Milliseconds(), TokensPerSecond: usage.TokensPerSecond(),
		DoneReason: usage.DoneReason, NumCtx: usage.NumCtx, TruncationRisk: usage.TruncationRisk, Estimated: res.Estimated, Host: usage.Host, ErrorCode: errCode})
	wctx, cancelWrite := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelWrite()
	final, werr := e.st.UpdateMessage(wctx, t.tenantID, id, store.MessageUpdate{Content: text, Status: status, Usage: u, Error: errText})
	if werr == nil {
		e.publishMessage(t, final)
	}
	return text, status == store.StatusDone
}

// flusher writes the streamed text every FlushEvery while it changes.
func (e *Engine) flusher(t *turn, id string, mu *sync.Mutex, buf *strings.Builder, dirty *bool) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(e.opts.FlushEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				mu.Lock()
				text, changed := buf.String(), *dirty
				*dirty = false
				mu.Unlock()
				if changed {
					e.st.UpdateMessage(context.Background(), t.tenantID, id, store.MessageUpdate{Content: text, Status: store.StatusStreaming}) //nolint:errcheck // the final write repeats it
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// request builds the chat request of a persona.
func request(p store.Persona, msgs []llm.Message) llm.ChatRequest {
	var o llm.Options
	if len(p.Options) > 0 {
		json.Unmarshal(p.Options, &o) //nolint:errcheck // validated when stored
	}
	o.Temperature = p.Temperature
	return llm.ChatRequest{Model: p.Model, Messages: msgs, Options: o}
}

func (e *Engine) publishMessage(t *turn, m *store.Message) {
	e.pub.Publish(Topic(t.tenantID, t.d.ID), "message", ViewMessage(m)) //nolint:errcheck // see Post
}

// MessageView is a message as the API and the stream show it.
type MessageView struct {
	ID        string          `json:"id"`
	Seq       int64           `json:"seq"`
	TurnID    string          `json:"turn_id"`
	Role      string          `json:"role"`
	PersonaID string          `json:"persona_id"`
	AuthorID  string          `json:"author_id,omitempty"`
	Content   string          `json:"content"`
	Status    string          `json:"status"`
	Round     int             `json:"round,omitempty"`
	Provider  string          `json:"provider_id,omitempty"`
	Model     string          `json:"model,omitempty"`
	Usage     json.RawMessage `json:"usage"`
	Error     string          `json:"error,omitempty"`
	Metadata  json.RawMessage `json:"metadata"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// ViewMessage renders a stored message.
func ViewMessage(m *store.Message) MessageView {
	return MessageView{ID: m.ID, Seq: m.Seq, TurnID: m.TurnID, Role: m.Role, PersonaID: m.PersonaID, AuthorID: m.AuthorID,
		Content: m.Content, Status: m.Status, Round: m.Round, Provider: m.ProviderID, Model: m.Model, Usage: m.Usage,
		Error: m.Error, Metadata: m.Metadata, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}
