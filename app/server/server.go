// Package server wires nyxCore's HTTP API, web app and lifecycle into
// PocketBase: routes under /api/nyx, the embedded web app at /, and the
// middleware chain auth -> tenant resolution -> membership and role.
package server

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/ownership"
	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

// Deps is what the API needs; the serve command builds it.
type Deps struct {
	Config *config.Config
	Store  store.Store
	KV     *kv.Client
	// Registry opens the tenant's model providers.
	Registry *registry.Registry
	// Engine runs discussion turns; Hub streams their events.
	Engine *discuss.Engine
	Hub    *realtime.Hub
	// Revoker ends streams whose access a change takes away; nil: Hub
	// (this process's streams, as long as events are not shared).
	Revoker realtime.Revoker
	// Audit records security-relevant actions.
	Audit *audit.Log
	// Limiter and Limits bound requests per IP, user and tenant; a nil
	// Limiter turns limits off (tests of other behaviour).
	Limiter *ratelimit.Limiter
	Limits  ratelimit.Limits
	// Budgets limit LLM tokens; nil: unlimited.
	Budgets *budget.Budgets
	// Ownership issues and checks custom-domain proofs.
	Ownership *ownership.Verifier
	// DomainVerified, if set, is told each newly verified custom domain
	// (the certificate manager forgets an earlier refusal of it).
	DomainVerified func(domain string)
	// LocalRoot is the local CA's root certificate (PEM) in self-signed
	// TLS mode, served for download; nil otherwise.
	LocalRoot []byte
}

// api holds the dependencies of every handler.
type api struct {
	Deps
	resolver *tenant.Resolver
	// meter is the one metered model-call path (persona try-outs); the
	// engine's turns use their own meter over the same budgets.
	meter      *meter.Meter
	readyCache readyCache
}

// Register binds the API and web app routes to app's router when it serves.
func Register(app core.App, deps Deps) {
	a := &api{Deps: deps}
	// Handlers and the tenant resolver get a store whose every call is
	// bounded (api.store_timeout); turns and hooks keep the unbounded one.
	a.Store = store.WithTimeout(deps.Store, deps.Config.API.StoreTimeout)
	a.resolver = &tenant.Resolver{BaseDomain: deps.Config.BaseDomain, Lookup: TenantLookup(a.Store)}
	a.meter = meter.New(registry.Personas{Registry: deps.Registry, Providers: a.Store}, deps.Budgets)
	a.meter.Stall = meter.Stall{FirstToken: deps.Config.LLM.FirstTokenTimeout, Idle: deps.Config.LLM.IdleTimeout}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "nyxRoutes",
		Func: func(se *core.ServeEvent) error {
			a.routes(se)
			return se.Next()
		},
	})
}

// TenantLookup finds tenants in st by verified custom domain, id or slug,
// for the request resolver and the certificate manager.
func TenantLookup(st store.Store) tenant.Lookup { return storeLookup{st} }

func (a *api) routes(se *core.ServeEvent) {
	r := se.Router
	a.cors(r)
	r.BindFunc(securityHeaders())
	r.BindFunc(a.authLimit) // PocketBase's sign-in, OTP, reset and sign-up routes
	g := r.Group("/api/nyx")
	g.BindFunc(a.noStore)
	g.GET("/health", a.health)
	g.GET("/health/live", a.health)
	g.GET("/health/ready", a.ready)
	g.GET("/tls/root.crt", a.tlsRoot)
	r.GET(ownership.PathPrefix+"{token}", a.wellKnownDomain).BindFunc(a.rateLimit)

	op := g.Group("/operator")
	op.BindFunc(a.requireSuperuser, a.rateLimit)
	op.GET("/ollama", a.listOperatorHosts)
	op.POST("/models/pull", a.pullOperatorModel)
	op.DELETE("/models", a.deleteOperatorModel)

	authed := g.Group("")
	authed.BindFunc(a.requireUser)
	authed.GET("/me", a.me).BindFunc(a.rateLimit)
	authed.GET("/me/activity", a.myActivity).BindFunc(a.rateLimit)
	authed.GET("/invitations", a.myInvitations).BindFunc(a.rateLimit)
	authed.POST("/invitations/accept", a.acceptInvitationToken).BindFunc(a.rateLimit)
	authed.POST("/invitations/decline", a.declineInvitationToken).BindFunc(a.rateLimit)
	authed.POST("/invitations/{id}/accept", a.acceptInvitation).BindFunc(a.rateLimit)
	authed.POST("/invitations/{id}/decline", a.declineInvitation).BindFunc(a.rateLimit)
	authed.GET("/tenants", a.listTenants).BindFunc(a.rateLimit)
	authed.POST("/tenants", a.createTenant).BindFunc(a.rateLimit)

	t := authed.Group("/tenants/{tenant}")
	t.BindFunc(a.tenantScope, a.rateLimit)
	t.GET("", a.getTenant).BindFunc(requireRole(tenant.RoleViewer))
	t.PATCH("", a.updateTenant).BindFunc(requireRole(tenant.RoleAdmin))
	t.DELETE("", a.deleteTenant).BindFunc(requireRole(tenant.RoleOwner))
	t.GET("/domain", a.getDomain).BindFunc(requireRole(tenant.RoleAdmin))
	t.POST("/domain/verify", a.verifyDomain).BindFunc(requireRole(tenant.RoleAdmin))
	t.GET("/members", a.listMembers).BindFunc(requireRole(tenant.RoleViewer))
	t.POST("/members", a.addMember).BindFunc(requireRole(tenant.RoleAdmin))
	t.PATCH("/members/{userId}", a.updateMember).BindFunc(requireRole(tenant.RoleAdmin))
	t.DELETE("/members/{userId}", a.removeMember) // members may remove themselves: checked inside
	t.GET("/invitations", a.listInvitations).BindFunc(requireRole(tenant.RoleAdmin))
	t.DELETE("/invitations/{id}", a.revokeInvitation).BindFunc(requireRole(tenant.RoleAdmin))

	t.GET("/providers", a.listProviders).BindFunc(requireRole(tenant.RoleViewer))
	t.POST("/providers", a.createProvider).BindFunc(requireRole(tenant.RoleAdmin))
	t.PATCH("/providers/{id}", a.updateProvider).BindFunc(requireRole(tenant.RoleAdmin))
	t.DELETE("/providers/{id}", a.deleteProvider).BindFunc(requireRole(tenant.RoleAdmin))
	t.POST("/providers/{id}/test", a.testProvider).BindFunc(requireRole(tenant.RoleAdmin))
	t.GET("/models", a.listModels).BindFunc(requireRole(tenant.RoleViewer))
	t.POST("/models/pull", a.pullModel).BindFunc(requireRole(tenant.RoleAdmin))
	t.DELETE("/models", a.deleteModel).BindFunc(requireRole(tenant.RoleAdmin))
	t.GET("/personas", a.listPersonas).BindFunc(requireRole(tenant.RoleViewer))
	t.POST("/personas", a.createPersona).BindFunc(requireRole(tenant.RoleMember))
	t.GET("/personas/{id}", a.getPersona).BindFunc(requireRole(tenant.RoleViewer))
	t.PATCH("/personas/{id}", a.updatePersona).BindFunc(requireRole(tenant.RoleMember))
	t.DELETE("/personas/{id}", a.deletePersona).BindFunc(requireRole(tenant.RoleMember))
	t.POST("/personas/{id}/try", a.tryPersona).BindFunc(requireRole(tenant.RoleMember))
	t.GET("/events", a.tenantEvents).BindFunc(requireRole(tenant.RoleViewer))
	t.GET("/audit", a.listAudit).BindFunc(requireRole(tenant.RoleAdmin))
	t.GET("/usage", a.usage).BindFunc(requireRole(tenant.RoleViewer))
	t.GET("/discussions", a.listDiscussions).BindFunc(requireRole(tenant.RoleViewer))
	t.POST("/discussions", a.createDiscussion).BindFunc(requireRole(tenant.RoleMember))
	t.GET("/discussions/{id}", a.getDiscussion).BindFunc(requireRole(tenant.RoleViewer))
	t.PATCH("/discussions/{id}", a.renameDiscussion).BindFunc(requireRole(tenant.RoleMember))
	t.DELETE("/discussions/{id}", a.deleteDiscussion).BindFunc(requireRole(tenant.RoleMember))
	t.POST("/discussions/{id}/messages", a.postMessage).BindFunc(requireRole(tenant.RoleMember))
	t.POST("/discussions/{id}/stop", a.stopTurn).BindFunc(requireRole(tenant.RoleMember))
	t.POST("/discussions/{id}/regenerate", a.regenerate).BindFunc(requireRole(tenant.RoleMember))
	t.GET("/discussions/{id}/events", a.discussionEvents).BindFunc(requireRole(tenant.RoleViewer))
	t.GET("/discussions/{id}/export", a.exportDiscussion).BindFunc(requireRole(tenant.RoleViewer))

	// Unknown API paths answer JSON 404, never the web app. Methods are
	// spelled out: a method-less pattern would conflict with GET /{path...}.
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		r.Route(m, "/api/{path...}", notFound)
	}
	r.GET("/{path...}", webApp())
}
