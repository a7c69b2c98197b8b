package server

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

// modelView is one model of one provider.
type modelView struct {
	ProviderID    string `json:"provider_id"`
	ProviderKind  string `json:"provider_kind"`
	ProviderName  string `json:"provider_name"`
	Name          string `json:"name"`
	Family        string `json:"family"`
	ParameterSize string `json:"parameter_size"`
	Quantization  string `json:"quantization"`
	Size          int64  `json:"size"`
	ContextLength int    `json:"context_length"`
	Loaded        bool   `json:"loaded"`
	// Manageable says whether this tenant's admins may delete the model
	// (false on the operator's shared servers).
	Manageable bool `json:"manageable"`
}

// providerProblem reports a provider that could not be listed.
type providerProblem struct {
	ProviderID string `json:"provider_id"`
	Code       string `json:"code"`
	Message    string `json:"message"`
}

// listModels answers GET /api/nyx/tenants/{tenant}/models: every enabled
// provider is asked at once; one that fails is reported, not fatal.
func (a *api) listModels(e *core.RequestEvent) error {
	rows, err := a.tenantProviders(e)
	if err != nil {
		return a.fail(e, err)
	}
	ctx, cancel := context.WithTimeout(e.Request.Context(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	items, problems := []modelView{}, []providerProblem{}
	var wg sync.WaitGroup
	for _, p := range rows {
		if !p.Enabled {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := a.providerModels(ctx, p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				ae := llmError(err)
				if ae == nil {
					ae = newError(http.StatusBadGateway, "provider_unavailable", "The provider could not be reached.")
				}
				problems = append(problems, providerProblem{ProviderID: p.ID, Code: ae.Code, Message: ae.Message})
				return
			}
			items = append(items, got...)
		}()
	}
	wg.Wait()
	slices.SortFunc(items, func(x, y modelView) int {
		if x.ProviderName != y.ProviderName {
			return compare(x.ProviderName, y.ProviderName)
		}
		return compare(x.Name, y.Name)
	})
	return e.JSON(http.StatusOK, map[string]any{"items": items, "errors": problems})
}

func (a *api) providerModels(ctx context.Context, p store.Provider) ([]modelView, error) {
	live, err := a.Registry.Open(p)
	if err != nil {
		return nil, err
	}
	ms, err := live.Models(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkModelNames(ms); err != nil {
		return nil, err
	}
	out := make([]modelView, 0, len(ms))
	for _, m := range ms {
		if len(p.EnabledModels) > 0 && !slices.Contains(p.EnabledModels, m.Name) {
			continue
		}
		v := viewModel(p, m)
		v.Manageable = a.Registry.Manageable(p)
		out = append(out, v)
	}
	return out, nil
}

// maxModels bounds one provider's list: no real server has more.
const maxModels = 5000

// checkModelNames refuses a list that is not a model server's: a name that
// is not shaped like a model name, or more models than any server has.
// The whole list is refused, not filtered, since whatever answered is not
// a model server and none of its data should be shown.
func checkModelNames(ms []llm.Model) error {
	if len(ms) > maxModels {
		return llm.Errorf(llm.KindBadResponse, "", nil, "the server listed more than %d models: it does not look like a model server", maxModels)
	}
	for _, m := range ms {
		if !llm.ValidModelName(m.Name) {
			return llm.Errorf(llm.KindBadResponse, "", nil, "the server listed names that are not model names: it does not look like a model server")
		}
	}
	return nil
}

func viewModel(p store.Provider, m llm.Model) modelView {
	return modelView{ProviderID: p.ID, ProviderKind: p.Kind, ProviderName: p.Name, Name: m.Name, Family: m.Family,
		ParameterSize: m.ParameterSize, Quantization: m.Quantization, Size: m.Size, ContextLength: m.ContextLength, Loaded: m.Loaded}
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
