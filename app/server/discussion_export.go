package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

// exportDiscussion answers GET /api/nyx/tenants/{tenant}/discussions/{id}/export
// with ?format=md (default) or json, as a download.
func (a *api) exportDiscussion(e *core.RequestEvent) error {
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	format := e.Request.URL.Query().Get("format")
	if format == "" {
		format = "md"
	}
	if format != "md" && format != "json" {
		return a.fail(e, fieldError(http.StatusBadRequest, "invalid_field", "format", "Export as md or json."))
	}
	ctx := e.Request.Context()
	msgs, err := a.Store.ListMessages(ctx, d.TenantID, d.ID, 0, 100000)
	if err != nil {
		return a.fail(e, err)
	}
	rounds, err := a.Store.ListRounds(ctx, d.TenantID, d.ID)
	if err != nil {
		return a.fail(e, err)
	}
	names := map[string]string{}
	if ps, err := a.Store.ListPersonas(ctx, d.TenantID); err == nil {
		for _, p := range ps {
			names[p.ID] = p.Name
		}
	}
	a.record(e, d.TenantID, "discussion.export", "discussion", d.ID, map[string]any{"format": format})
	file := "discussion-" + d.ID + "." + format
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	if format == "json" {
		return e.JSON(http.StatusOK, map[string]any{"discussion": a.viewDiscussion(d), "messages": viewMessages(msgs),
			"rounds": viewRounds(rounds), "persona_names": names})
	}
	return e.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(markdown(d, msgs, rounds, names)))
}

func markdown(d *store.Discussion, msgs []store.Message, rounds []store.Round, names map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n_Mode: %s · exported from nyxCore_\n\n", d.Title, d.Mode)
	for _, m := range msgs {
		who := "You"
		switch m.Role {
		case "assistant":
			who = names[m.PersonaID]
		case "moderator":
			who = "Moderator (" + names[m.PersonaID] + ")"
		}
		if who == "" {
			who = "Persona"
		}
		head := "## " + who
		if m.Round > 0 && d.Mode == store.ModeConsensus {
			head += fmt.Sprintf(" — round %d", m.Round)
		}
		if m.Status != store.StatusDone {
			head += " (" + m.Status + ")"
		}
		fmt.Fprintf(&b, "%s\n\n%s\n\n", head, strings.TrimSpace(m.Content))
	}
	if len(rounds) > 0 {
		b.WriteString("## Agreement by round\n\n| round | agreement | how |\n|---|---|---|\n")
		for _, r := range rounds {
			fmt.Fprintf(&b, "| %d | %.2f | %s: %s |\n", r.Round, r.Agreement, r.Method, strings.ReplaceAll(r.Explanation, "|", "/"))
		}
	}
	return b.String()
}
