package anthropic

import (
	"context"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/nyxcore/nyxcore/app/llm"
)

// DefaultMaxTokens is sent when the request sets none: the API requires
// max_tokens.
const DefaultMaxTokens = 4096

// Chat streams one message. The turn is complete only at message_stop;
// the stop reason and output tokens come in the message_delta before it.
func (p *Provider) Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	params, err := params(req)
	if err != nil {
		return llm.Usage{}, err
	}
	u := llm.Usage{Host: p.host}
	start := time.Now()
	stream := p.messages.NewStreaming(ctx, params)
	defer stream.Close()
	var stop string
	stopped := false
	for stream.Next() {
		switch ev := stream.Current().AsAny().(type) {
		case sdk.MessageStartEvent:
			mu := ev.Message.Usage
			u.PromptTokens = int(mu.InputTokens + mu.CacheCreationInputTokens + mu.CacheReadInputTokens)
		case sdk.ContentBlockDeltaEvent:
			d, ok := ev.Delta.AsAny().(sdk.TextDelta)
			if !ok || d.Text == "" {
				continue // thinking and signature deltas are not part of the reply
			}
			if u.TimeToFirstToken == 0 {
				u.TimeToFirstToken = time.Since(start)
			}
			if err := onDelta(d.Text); err != nil {
				return u, err
			}
		case sdk.MessageDeltaEvent:
			stop = string(ev.Delta.StopReason)
			u.CompletionTokens = int(ev.Usage.OutputTokens)
		case sdk.MessageStopEvent:
			stopped = true
		}
	}
	u.Total = time.Since(start)
	if err := stream.Err(); err != nil || !stopped {
		return u, p.endError(ctx, err)
	}
	u.DoneReason = doneReason(stop)
	return u, nil
}

// endError explains a stream that stopped before message_stop.
func (p *Provider) endError(ctx context.Context, err error) error {
	if err != nil {
		return p.classify(ctx, err, opChat)
	}
	if e := llm.FromContext(ctx, llm.KindAnthropic); e != nil {
		return e
	}
	return llm.Errorf(llm.KindBadResponse, llm.KindAnthropic, nil, "stream ended early: no message_stop arrived")
}

// params maps the request onto a Messages body. System messages, wherever
// they are in the conversation, become the top-level system blocks. API
// version 2026-10-21 refuses temperature, top_p and top_k with a 400 even at
// their defaults, and has no seed, so those options are not sent.
func params(req llm.ChatRequest) (sdk.MessageNewParams, error) {
	p := sdk.MessageNewParams{Model: sdk.Model(req.Model), MaxTokens: DefaultMaxTokens, StopSequences: req.Options.Stop}
	if req.Options.MaxTokens > 0 {
		p.MaxTokens = int64(req.Options.MaxTokens)
	}
	for _, m := range req.Messages {
		switch m.Role {
		case llm.RoleSystem:
			p.System = append(p.System, sdk.TextBlockParam{Text: m.Content})
		case llm.RoleUser:
			p.Messages = append(p.Messages, sdk.NewUserMessage(sdk.NewTextBlock(m.Content)))
		case llm.RoleAssistant:
			p.Messages = append(p.Messages, sdk.NewAssistantMessage(sdk.NewTextBlock(m.Content)))
		default:
			return p, llm.Errorf(llm.KindInvalid, llm.KindAnthropic, nil, "unknown message role %q", m.Role)
		}
	}
	if len(p.Messages) == 0 {
		return p, llm.Errorf(llm.KindInvalid, llm.KindAnthropic, nil, "a chat needs at least one user or assistant message")
	}
	return p, nil
}

// doneReason normalises Anthropic's stop reasons: end_turn and
// stop_sequence are a normal stop, max_tokens is length; tool_use,
// pause_turn, refusal and others are kept.
func doneReason(stop string) string {
	switch stop {
	case "end_turn", "stop_sequence":
		return "stop"
	case "max_tokens":
		return "length"
	}
	return stop
}
