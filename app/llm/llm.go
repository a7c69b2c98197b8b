// Package llm is nyxCore's one interface to language models: local Ollama
// hosts and cloud providers (OpenAI and OpenAI-compatible servers,
// Anthropic, Google) behind the same Provider contract, with typed errors
// and a per-tenant registry.
package llm

import (
	"context"
	"time"
)

// Kinds of provider.
const (
	KindOllama    = "ollama"
	KindOpenAI    = "openai"
	KindAnthropic = "anthropic"
	KindGoogle    = "google"
)

// Kinds lists every provider kind, in the order the UI offers them.
var Kinds = []string{KindOllama, KindOpenAI, KindAnthropic, KindGoogle}

// Roles of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one turn of a conversation.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Options tune generation. Nil or zero fields leave the provider's default.
type Options struct {
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"top_p,omitempty"`
	TopK        *int     `json:"top_k,omitempty"`
	Seed        *int     `json:"seed,omitempty"`
	MaxTokens   int      `json:"max_tokens,omitempty"` // Ollama num_predict
	Stop        []string `json:"stop,omitempty"`
	// NumCtx is the context window to run with (Ollama); 0 lets the
	// provider derive it from the model's context length.
	NumCtx int `json:"num_ctx,omitempty"`
}

// ChatRequest is one streamed completion.
type ChatRequest struct {
	Model    string
	Messages []Message
	Options  Options
}

// Usage is the final record of a streamed chat.
type Usage struct {
	PromptTokens     int           `json:"prompt_tokens"`
	CompletionTokens int           `json:"completion_tokens"`
	TimeToFirstToken time.Duration `json:"time_to_first_token"`
	Total            time.Duration `json:"total"`
	Load             time.Duration `json:"load,omitempty"`
	PromptEval       time.Duration `json:"prompt_eval,omitempty"`
	Eval             time.Duration `json:"eval,omitempty"`
	// DoneReason is the provider's stop reason, normalised to "stop",
	// "length", or the provider's own word for anything else.
	DoneReason string `json:"done_reason"`
	// NumCtx is the context window the request ran with, when known.
	NumCtx int `json:"num_ctx,omitempty"`
	// TruncationRisk is set when the prompt was estimated to fill most of
	// the context window, so the provider may have dropped its start.
	TruncationRisk bool   `json:"truncation_risk,omitempty"`
	Host           string `json:"host,omitempty"`
}

// TokensPerSecond is the generation speed, 0 when unknown.
func (u Usage) TokensPerSecond() float64 {
	d := u.Eval
	if d <= 0 {
		d = u.Total - u.TimeToFirstToken
	}
	if d <= 0 || u.CompletionTokens == 0 {
		return 0
	}
	return float64(u.CompletionTokens) / d.Seconds()
}

// Model describes one model a provider can run.
type Model struct {
	Name          string    `json:"name"`
	Family        string    `json:"family,omitempty"`
	ParameterSize string    `json:"parameter_size,omitempty"`
	Quantization  string    `json:"quantization,omitempty"`
	Size          int64     `json:"size,omitempty"`
	ContextLength int       `json:"context_length,omitempty"`
	Loaded        bool      `json:"loaded"`
	Digest        string    `json:"digest,omitempty"`
	ModifiedAt    time.Time `json:"modified_at,omitempty"`
}

// Provider is one configured model source.
//
// Contract: safe for concurrent use. Chat calls onDelta with each piece of
// generated text in order, from the calling goroutine, and returns the
// usage once the provider signalled the end; a stream that ends without
// that signal is an error, never a silent success. Returning an error from
// onDelta stops generation and is returned. All errors are *Error values
// (errors.Is against the Err* kinds).
type Provider interface {
	Kind() string
	Models(ctx context.Context) ([]Model, error)
	Chat(ctx context.Context, req ChatRequest, onDelta func(text string) error) (Usage, error)
	Health(ctx context.Context) error
}

// PullProgress is one step of a model download.
type PullProgress struct {
	Status    string `json:"status"`
	Digest    string `json:"digest,omitempty"`
	Total     int64  `json:"total,omitempty"`
	Completed int64  `json:"completed,omitempty"`
}

// ModelManager is implemented by providers that can fetch and remove
// models on their host (Ollama).
type ModelManager interface {
	Pull(ctx context.Context, model string, progress func(PullProgress) error) error
	Delete(ctx context.Context, model string) error
}
