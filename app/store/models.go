package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors of the model-provider tables.
var (
	// ErrNameTaken means another provider or persona of the tenant has the name.
	ErrNameTaken = errors.New("name taken")
	// ErrInUse means personas still use the provider.
	ErrInUse = errors.New("in use")
)

// Provider is one of a tenant's configured model sources.
type Provider struct {
	ID       string
	TenantID string
	Kind     string
	Name     string
	BaseURL  string
	// APIKey is a sealed secret envelope (package secret), "" when unset.
	// The store never sees a key in clear text.
	APIKey        string
	APIKeyLast4   string
	EnabledModels []string // empty: every model the provider lists
	Enabled       bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// UpdateProvider lists provider fields to change; nil leaves one alone.
// APIKey set to "" removes the key (and its last four characters).
type UpdateProvider struct {
	Name          *string
	BaseURL       *string
	APIKey        *string
	APIKeyLast4   *string
	EnabledModels *[]string
	Enabled       *bool
}

// Persona is a named model configuration discussions speak through.
type Persona struct {
	ID           string
	TenantID     string
	Name         string
	Avatar       string
	Color        string
	ProviderID   string
	Model        string
	SystemPrompt string
	Temperature  *float64
	Options      json.RawMessage // a JSON object of llm options
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UpdatePersona lists persona fields to change; nil leaves one alone.
type UpdatePersona struct {
	Name             *string
	Avatar           *string
	Color            *string
	ProviderID       *string
	Model            *string
	SystemPrompt     *string
	Temperature      *float64
	ClearTemperature bool
	Options          *json.RawMessage
}

// SecretKey is a data key wrapped by the master key.
type SecretKey struct {
	ID        string
	Wrapped   string
	MasterID  string
	CreatedAt time.Time
}

// ProviderStore holds providers. Tenancy as for Store.
type ProviderStore interface {
	ListProviders(ctx context.Context, tenantID string) ([]Provider, error)
	GetProvider(ctx context.Context, tenantID, id string) (*Provider, error)
	// CreateProvider inserts p (p.TenantID set; p.ID if set, else a new id).
	CreateProvider(ctx context.Context, p Provider) (*Provider, error)
	UpdateProvider(ctx context.Context, tenantID, id string, u UpdateProvider) (*Provider, error)
	// DeleteProvider fails with ErrInUse while personas use it.
	DeleteProvider(ctx context.Context, tenantID, id string) error
}

// PersonaStore holds personas. Tenancy as for Store.
type PersonaStore interface {
	ListPersonas(ctx context.Context, tenantID string) ([]Persona, error)
	GetPersona(ctx context.Context, tenantID, id string) (*Persona, error)
	// CreatePersona inserts p (p.TenantID set; the id is generated).
	CreatePersona(ctx context.Context, p Persona) (*Persona, error)
	UpdatePersona(ctx context.Context, tenantID, id string, u UpdatePersona) (*Persona, error)
	DeletePersona(ctx context.Context, tenantID, id string) error
}

// SecretStore holds the wrapped data keys and lets key rotation visit every
// stored secret.
type SecretStore interface {
	SecretKeys(ctx context.Context) ([]SecretKey, error)
	AddSecretKey(ctx context.Context, k SecretKey) error
	// TenantIDs lists every tenant id, for maintenance that visits them all.
	TenantIDs(ctx context.Context) ([]string, error)
	// RewrapProviderKeys passes each of the tenant's stored provider keys
	// to rewrap under a row lock and stores the result when it reports a
	// change; it returns how many changed. Safe while serving.
	RewrapProviderKeys(ctx context.Context, tenantID string, rewrap func(providerID, envelope string) (string, bool, error)) (int, error)
}
