package google

import (
	"context"
	"time"

	"google.golang.org/genai"

	"github.com/nyxcore/nyxcore/app/llm"
)

// Chat streams one generation. The turn is complete only once a frame
// carried a finishReason; usage comes with the frames.
func (p *Provider) Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	contents, cfg, err := request(req)
	if err != nil {
		return llm.Usage{}, err
	}
	u := llm.Usage{Host: p.host}
	start := time.Now()
	var finish string
	for resp, err := range p.client.Models.GenerateContentStream(ctx, req.Model, contents, cfg) {
		if err != nil {
			u.Total = time.Since(start)
			return u, p.classify(ctx, err, opChat)
		}
		if m := resp.UsageMetadata; m != nil {
			// Thinking tokens are billed as output.
			u.PromptTokens, u.CompletionTokens = int(m.PromptTokenCount), int(m.CandidatesTokenCount+m.ThoughtsTokenCount)
		}
		if f := resp.PromptFeedback; f != nil && f.BlockReason != "" {
			return u, llm.Errorf(llm.KindInvalid, llm.KindGoogle, nil, "the prompt was blocked: %s", f.BlockReason)
		}
		if len(resp.Candidates) == 0 {
			continue
		}
		c := resp.Candidates[0]
		if err := deliver(c.Content, onDelta, &u, start); err != nil {
			return u, err
		}
		if c.FinishReason != "" && c.FinishReason != genai.FinishReasonUnspecified {
			finish = string(c.FinishReason)
		}
	}
	u.Total = time.Since(start)
	if finish == "" {
		if e := llm.FromContext(ctx, llm.KindGoogle); e != nil {
			return u, e
		}
		return u, llm.Errorf(llm.KindBadResponse, llm.KindGoogle, nil, "stream ended early: no finishReason arrived")
	}
	u.DoneReason = doneReason(finish)
	return u, nil
}

// deliver passes the text parts of one frame on, skipping thoughts.
func deliver(c *genai.Content, onDelta func(string) error, u *llm.Usage, start time.Time) error {
	if c == nil {
		return nil
	}
	for _, part := range c.Parts {
		if part == nil || part.Thought || part.Text == "" {
			continue
		}
		if u.TimeToFirstToken == 0 {
			u.TimeToFirstToken = time.Since(start)
		}
		if err := onDelta(part.Text); err != nil {
			return err
		}
	}
	return nil
}

// request maps the chat onto contents and a config: system messages become
// the SystemInstruction, assistant turns the "model" role. Automatic
// continuation is off so that a broken stream is reported, not re-sent.
func request(req llm.ChatRequest) ([]*genai.Content, *genai.GenerateContentConfig, error) {
	o := req.Options
	cfg := &genai.GenerateContentConfig{AutomaticContinuation: genai.Ptr(false), StopSequences: o.Stop, MaxOutputTokens: int32(o.MaxTokens)}
	if o.Temperature != nil {
		cfg.Temperature = genai.Ptr(float32(*o.Temperature))
	}
	if o.TopP != nil {
		cfg.TopP = genai.Ptr(float32(*o.TopP))
	}
	if o.TopK != nil {
		cfg.TopK = genai.Ptr(float32(*o.TopK))
	}
	if o.Seed != nil {
		cfg.Seed = genai.Ptr(int32(*o.Seed))
	}
	var contents []*genai.Content
	for _, m := range req.Messages {
		switch m.Role {
		case llm.RoleSystem:
			if cfg.SystemInstruction == nil {
				cfg.SystemInstruction = &genai.Content{}
			}
			cfg.SystemInstruction.Parts = append(cfg.SystemInstruction.Parts, genai.NewPartFromText(m.Content))
		case llm.RoleUser:
			contents = append(contents, genai.NewContentFromText(m.Content, genai.RoleUser))
		case llm.RoleAssistant:
			contents = append(contents, genai.NewContentFromText(m.Content, genai.RoleModel))
		default:
			return nil, nil, llm.Errorf(llm.KindInvalid, llm.KindGoogle, nil, "unknown message role %q", m.Role)
		}
	}
	if len(contents) == 0 {
		return nil, nil, llm.Errorf(llm.KindInvalid, llm.KindGoogle, nil, "a chat needs at least one user or assistant message")
	}
	return contents, cfg, nil
}

// doneReason normalises Gemini's finish reasons: STOP is stop, MAX_TOKENS
// is length; SAFETY, RECITATION and the rest are kept.
func doneReason(finish string) string {
	switch finish {
	case string(genai.FinishReasonStop):
		return "stop"
	case string(genai.FinishReasonMaxTokens):
		return "length"
	}
	return finish
}
