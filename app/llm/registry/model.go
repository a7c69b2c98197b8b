package registry

import (
	"context"
	"errors"
	"slices"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
	"github.com/nyxcore/nyxcore/app/store"
)

// ErrUnlisted means a cloud provider answered its model list without the
// model. Cloud APIs accept names they do not list (aliases such as
// "claude-sonnet-4-0"), so this is a doubt, not a refusal.
var ErrUnlisted = errors.New("registry: the provider does not list the model")

// CheckModel returns model as provider p names it (an Ollama model with
// its implicit ":latest" tag spelled out) and whether p has it:
//   - nil: p lists it;
//   - an llm error of kind llm.KindModelNotFound: every Ollama server the
//     provider's chats may use answered, and none has it;
//   - ErrUnlisted: a cloud provider does not list it;
//   - any other error: p could not be asked (down, refused the key, ctx
//     ended); the model is unchecked.
//
// The servers asked are the ones Chat may route the provider's chats to
// (FailoverToOperator aside: it is a stopgap, not where a persona lives).
// Bound ctx: a host that does not answer is waited for until it ends.
func (r *Registry) CheckModel(ctx context.Context, p store.Provider, model string) (string, error) {
	if p.Kind != llm.KindOllama {
		return model, r.cloudHasModel(ctx, p, model)
	}
	model = ollama.CanonicalModel(model)
	pinned, err := r.host(p.BaseURL)
	if err != nil {
		return model, err
	}
	hosts := []*ollama.Host{pinned}
	if r.operatorPool(p) {
		hosts = r.operatorHosts(pinned)
	}
	type answer struct {
		has bool
		err error
	}
	answers := make(chan answer, len(hosts))
	for _, h := range hosts { // at once: one silent host must not use up ctx for the others
		go func() { has, err := h.HasModel(ctx, model); answers <- answer{has, err} }()
	}
	var unchecked error
	for range hosts {
		a := <-answers
		switch {
		case a.err != nil:
			unchecked = a.err
		case a.has:
			return model, nil
		}
	}
	if unchecked != nil {
		return model, unchecked
	}
	return model, llm.Errorf(llm.KindModelNotFound, llm.KindOllama, nil, "the model %q is not on the provider %q", model, p.Name)
}

func (r *Registry) cloudHasModel(ctx context.Context, p store.Provider, model string) error {
	live, err := r.Open(p)
	if err != nil {
		return err
	}
	ms, err := live.Models(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ms, func(m llm.Model) bool { return m.Name == model }) {
		return ErrUnlisted
	}
	return nil
}
