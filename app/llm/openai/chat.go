package openai

import (
	"context"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/nyxcore/nyxcore/app/llm"
)

// Chat streams one completion. The turn is complete only once a chunk
// carried a finish_reason; usage comes from the include_usage chunk that
// follows it.
func (p *Provider) Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	params, opts, err := p.params(req)
	if err != nil {
		return llm.Usage{}, err
	}
	u := llm.Usage{Host: p.host}
	start := time.Now()
	stream := p.chat.NewStreaming(ctx, params, opts...)
	defer stream.Close()
	var finish string
	for stream.Next() {
		ch := stream.Current()
		if ch.JSON.Usage.Valid() {
			u.PromptTokens, u.CompletionTokens = int(ch.Usage.PromptTokens), int(ch.Usage.CompletionTokens)
		}
		for _, c := range ch.Choices {
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				if u.TimeToFirstToken == 0 {
					u.TimeToFirstToken = time.Since(start)
				}
				if err := onDelta(c.Delta.Content); err != nil {
					return u, err
				}
			}
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	u.Total = time.Since(start)
	if err := stream.Err(); err != nil || finish == "" {
		return u, p.endError(ctx, err)
	}
	// OpenAI's words are already the normal form: stop, length, or its own
	// (content_filter, tool_calls).
	u.DoneReason = finish
	return u, nil
}

// endError explains a stream that stopped without a finish_reason.
func (p *Provider) endError(ctx context.Context, err error) error {
	if err != nil {
		return p.classify(ctx, err, opChat)
	}
	if e := llm.FromContext(ctx, llm.KindOpenAI); e != nil {
		return e
	}
	return llm.Errorf(llm.KindBadResponse, llm.KindOpenAI, nil, "stream ended early: no finish_reason arrived")
}

// params maps the request onto the chat completions body. Options only
// some servers know are added as extra JSON fields.
func (p *Provider) params(req llm.ChatRequest) (sdk.ChatCompletionNewParams, []option.RequestOption, error) {
	msgs, err := messages(req.Messages)
	if err != nil {
		return sdk.ChatCompletionNewParams{}, nil, err
	}
	o := req.Options
	params := sdk.ChatCompletionNewParams{
		Model:         req.Model,
		Messages:      msgs,
		StreamOptions: sdk.ChatCompletionStreamOptionsParam{IncludeUsage: sdk.Bool(true)},
	}
	if o.Temperature != nil {
		params.Temperature = sdk.Float(*o.Temperature)
	}
	if o.TopP != nil {
		params.TopP = sdk.Float(*o.TopP)
	}
	if o.Seed != nil {
		params.Seed = sdk.Int(int64(*o.Seed))
	}
	if len(o.Stop) > 0 {
		params.Stop = sdk.ChatCompletionNewParamsStopUnion{OfStringArray: o.Stop}
	}
	var opts []option.RequestOption
	switch {
	case o.MaxTokens > 0 && p.official:
		// OpenAI's reasoning models refuse the older max_tokens.
		params.MaxCompletionTokens = sdk.Int(int64(o.MaxTokens))
	case o.MaxTokens > 0:
		// Compatible servers know max_tokens; not all know the newer name.
		params.MaxTokens = sdk.Int(int64(o.MaxTokens))
	}
	if o.TopK != nil && !p.official {
		opts = append(opts, option.WithJSONSet("top_k", *o.TopK))
	}
	return params, opts, nil
}

func messages(in []llm.Message) ([]sdk.ChatCompletionMessageParamUnion, error) {
	if len(in) == 0 {
		return nil, llm.Errorf(llm.KindInvalid, llm.KindOpenAI, nil, "a chat needs at least one message")
	}
	out := make([]sdk.ChatCompletionMessageParamUnion, 0, len(in))
	for _, m := range in {
		switch m.Role {
		case llm.RoleSystem:
			out = append(out, sdk.SystemMessage(m.Content))
		case llm.RoleUser:
			out = append(out, sdk.UserMessage(m.Content))
		case llm.RoleAssistant:
			out = append(out, sdk.AssistantMessage(m.Content))
		default:
			return nil, llm.Errorf(llm.KindInvalid, llm.KindOpenAI, nil, "unknown message role %q", m.Role)
		}
	}
	return out, nil
}
