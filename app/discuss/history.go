package discuss

import (
	"encoding/json"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

// historyReadLimit is how many messages a turn reads back from the store:
// in practice the whole discussion, since the context window (fit) trims
// far earlier. It is a named bound rather than a magic number so that the
// later bounded-history work has one place to change; raising or lowering
// it changes which old messages a turn can see.
const historyReadLimit = 100000

// convo is the messages sent to a persona and how many old ones were
// dropped to fit its context window.
type convo struct {
	messages []llm.Message
	trimmed  int
}

// conversation is what persona p sees: its system prompt, the people's
// messages, and its own earlier replies, trimmed (oldest first) to fit the
// window. Other personas' replies are not part of it.
func conversation(p store.Persona, history []store.Message) convo {
	var msgs []llm.Message
	for _, m := range history {
		switch {
		case m.Role == "user":
			msgs = append(msgs, llm.Message{Role: llm.RoleUser, Content: m.Content})
		case m.Role == "assistant" && m.PersonaID == p.ID && m.Content != "":
			msgs = append(msgs, llm.Message{Role: llm.RoleAssistant, Content: m.Content})
		}
	}
	return fit(p, msgs)
}

// fit keeps the system prompt and the newest messages within the window.
func fit(p store.Persona, msgs []llm.Message) convo {
	budget := window(p) - reserve(p) - tokens(p.SystemPrompt)
	kept, used := len(msgs), 0
	for i := len(msgs) - 1; i >= 0; i-- {
		n := tokens(msgs[i].Content)
		if used+n > budget && i < len(msgs)-1 {
			break
		}
		used += n
		kept = i
	}
	out := msgs[kept:]
	if p.SystemPrompt != "" {
		out = append([]llm.Message{{Role: llm.RoleSystem, Content: p.SystemPrompt}}, out...)
	}
	return convo{messages: out, trimmed: kept}
}

// tokens estimates a text's tokens (about four bytes each, plus framing).
func tokens(s string) int { return len(s)/4 + 4 }

func window(p store.Persona) int {
	var o llm.Options
	json.Unmarshal(p.Options, &o) //nolint:errcheck // validated when stored
	if o.NumCtx > 0 {
		return o.NumCtx
	}
	return DefaultContextWindow
}

func reserve(p store.Persona) int {
	var o llm.Options
	json.Unmarshal(p.Options, &o) //nolint:errcheck // as above
	if o.MaxTokens > 0 {
		return o.MaxTokens
	}
	return ReplyReserve
}
