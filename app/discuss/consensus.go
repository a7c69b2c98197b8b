package discuss

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

// consensus runs rounds until the personas agree or the round cap is hit,
// then the moderator writes the synthesis with any remaining dissent.
func (e *Engine) consensus(ctx context.Context, t *turn, personas []store.Persona, history []store.Message) {
	if len(personas) == 0 {
		return
	}
	question := lastUser(history)
	answers := e.parallel(ctx, t, personas, history)
	maxRounds := max(t.d.MaxRounds, 1)
	round := 1
	for ; ctx.Err() == nil; round++ {
		score, method, why := e.agreement(ctx, t, personas, question, answers)
		e.st.AddRound(context.Background(), store.Round{TenantID: t.tenantID, DiscussionID: t.d.ID, TurnID: t.id, //nolint:errcheck // shown if stored; the debate goes on regardless
			Round: round, Agreement: score, Method: method, Explanation: why})
		e.pub.Publish(Topic(t.tenantID, t.d.ID), "round", map[string]any{"turn_id": t.id, "round": round, //nolint:errcheck // see Post
			"agreement": score, "method": method, "explanation": why})
		if score >= t.d.Threshold || round >= maxRounds {
			break
		}
		answers = e.revise(ctx, t, personas, history, round+1, answers)
	}
	if ctx.Err() != nil {
		return
	}
	e.moderate(ctx, t, personas, question, answers, min(round, maxRounds))
}

// revise has every persona see the others' latest answers, anonymised,
// and answer again.
func (e *Engine) revise(ctx context.Context, t *turn, personas []store.Persona, history []store.Message, round int, prev map[string]string) map[string]string {
	var mu sync.Mutex
	next := map[string]string{}
	var wg sync.WaitGroup
	for _, p := range personas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conv := conversation(p, history)
			if own, ok := prev[p.ID]; ok {
				conv.messages = append(conv.messages, llm.Message{Role: llm.RoleAssistant, Content: own})
			}
			conv.messages = append(conv.messages, llm.Message{Role: llm.RoleUser, Content: "Other participants answered the same question:\n\n" +
				others(prev, p.ID) + "\nConsider their points and give your revised answer. Keep what you still believe; change what they convinced you of."})
			text, ok := e.answer(ctx, t, p, "assistant", round, conv)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				next[p.ID] = text
			} else if old, had := prev[p.ID]; had {
				next[p.ID] = old // a failed revision keeps the last answer in the debate
			}
		}()
	}
	wg.Wait()
	return next
}

// moderate writes the final answer and the dissent note.
func (e *Engine) moderate(ctx context.Context, t *turn, personas []store.Persona, question string, answers map[string]string, round int) {
	mod := moderator(t, personas, e)
	prompt := "Question:\n" + question + "\n\nThe participants' final answers:\n\n" + others(answers, "") +
		"\nWrite the final answer that best synthesises them. Then, on a last line starting with \"Dissent:\", note any remaining disagreement, or \"Dissent: none\"."
	conv := fit(mod, []llm.Message{{Role: llm.RoleUser, Content: prompt}})
	e.answer(ctx, t, mod, "moderator", round, conv)
}

func moderator(t *turn, personas []store.Persona, e *Engine) store.Persona {
	if id := t.d.ModeratorPersonaID; id != "" {
		if p, err := e.st.GetPersona(context.Background(), t.tenantID, id); err == nil {
			return *p
		}
	}
	return personas[0]
}

// others lists answers labelled A, B, C… in a stable order, without
// saying whose they are and leaving out skip's own.
func others(answers map[string]string, skip string) string {
	ids := make([]string, 0, len(answers))
	for id := range answers {
		if id != skip {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "Answer %c:\n%s\n\n", 'A'+rune(i%26), strings.TrimSpace(answers[id]))
	}
	return b.String()
}

func lastUser(history []store.Message) string {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Role == "user" {
			return history[i].Content
		}
	}
	return ""
}

// agreement scores how far the answers agree, in 0..1, with the method and
// an explanation a person can read. A judge (the moderator persona) is
// asked for structured JSON first; if it cannot give a usable verdict the
// score is the mean pairwise word overlap of the answers.
func (e *Engine) agreement(ctx context.Context, t *turn, personas []store.Persona, question string, answers map[string]string) (float64, string, string) {
	if len(answers) < 2 {
		return 1, "trivial", "fewer than two answers to compare"
	}
	judge := moderator(t, personas, e)
	prompt := "Question:\n" + question + "\n\nAnswers:\n\n" + others(answers, "") +
		"Do these answers agree? Reply with JSON only: {\"agreement\": <number from 0 to 1>, \"explanation\": \"<one sentence>\"}"
	var out strings.Builder
	_, err := t.res.Chat(ctx, judge, request(judge, []llm.Message{{Role: llm.RoleUser, Content: prompt}}), func(s string) error {
		if out.Len() > 4096 {
			return errVerdictTooLong
		}
		out.WriteString(s)
		return nil
	})
	if err == nil {
		if score, why, ok := parseVerdict(out.String()); ok {
			return score, "judge", why
		}
	}
	score := lexical(answers)
	return score, "lexical", fmt.Sprintf("mean pairwise word overlap of %d answers is %.2f", len(answers), score)
}

var errVerdictTooLong = fmt.Errorf("verdict too long")

// parseVerdict reads {"agreement":x,"explanation":"..."} from a reply that
// may wrap it in prose or a code fence.
func parseVerdict(s string) (float64, string, bool) {
	i, j := strings.Index(s, "{"), strings.LastIndex(s, "}")
	if i < 0 || j <= i {
		return 0, "", false
	}
	var v struct {
		Agreement   *float64 `json:"agreement"`
		Explanation string   `json:"explanation"`
	}
	if json.Unmarshal([]byte(s[i:j+1]), &v) != nil || v.Agreement == nil || *v.Agreement < 0 || *v.Agreement > 1 {
		return 0, "", false
	}
	return *v.Agreement, strings.TrimSpace(v.Explanation), true
}

// lexical is the mean pairwise Jaccard similarity of the answers' word sets.
func lexical(answers map[string]string) float64 {
	var sets []map[string]bool
	for _, a := range answers {
		set := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(a), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			set[w] = true
		}
		sets = append(sets, set)
	}
	total, pairs := 0.0, 0
	for i := range sets {
		for j := i + 1; j < len(sets); j++ {
			total += jaccard(sets[i], sets[j])
			pairs++
		}
	}
	if pairs == 0 {
		return 1
	}
	return total / float64(pairs)
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
