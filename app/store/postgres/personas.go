package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

const personaColumns = `id, tenant_id, name, avatar, color, provider_id, model, system_prompt, temperature, options, created_at, updated_at`

func scanPersona(row pgx.Row) (*store.Persona, error) {
	var p store.Persona
	var opts string
	if err := row.Scan(&p.ID, &p.TenantID, &p.Name, &p.Avatar, &p.Color, &p.ProviderID, &p.Model, &p.SystemPrompt,
		&p.Temperature, &opts, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	p.Options = json.RawMessage(opts)
	return &p, nil
}

func optionsText(o json.RawMessage) string {
	if len(o) == 0 {
		return "{}"
	}
	return string(o)
}

// ListPersonas returns the tenant's personas by name.
func (db *DB) ListPersonas(ctx context.Context, tenantID string) ([]store.Persona, error) {
	out := []store.Persona{}
	err := db.queryTenant(ctx, tenantID, `SELECT `+personaColumns+` FROM personas WHERE tenant_id = $1 ORDER BY lower(name)`,
		[]any{tenantID}, func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Persona, error) {
				p, err := scanPersona(r)
				if err != nil {
					return store.Persona{}, err
				}
				return *p, nil
			})
			return err
		})
	return out, mapErr("list personas", err)
}

// GetPersona returns one persona of the tenant.
func (db *DB) GetPersona(ctx context.Context, tenantID, id string) (*store.Persona, error) {
	var p *store.Persona
	err := db.queryTenant(ctx, tenantID, `SELECT `+personaColumns+` FROM personas WHERE tenant_id = $1 AND id = $2`,
		[]any{tenantID, id}, func(rows pgx.Rows) error {
			var err error
			p, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (*store.Persona, error) { return scanPersona(r) })
			return err
		})
	if err != nil {
		return nil, mapErr("get persona", err)
	}
	return p, nil
}

// CreatePersona inserts a persona with a new id.
func (db *DB) CreatePersona(ctx context.Context, p store.Persona) (*store.Persona, error) {
	var out *store.Persona
	err := db.withTenantTx(ctx, p.TenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanPersona(tx.QueryRow(ctx, `INSERT INTO personas
			(tenant_id, id, name, avatar, color, provider_id, model, system_prompt, temperature, options)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+personaColumns,
			p.TenantID, store.NewID(), p.Name, p.Avatar, p.Color, p.ProviderID, p.Model, p.SystemPrompt, p.Temperature, optionsText(p.Options)))
		return err
	})
	if err != nil {
		return nil, mapErr("create persona", nameTaken(err))
	}
	return out, nil
}

// UpdatePersona changes the given fields.
func (db *DB) UpdatePersona(ctx context.Context, tenantID, id string, u store.UpdatePersona) (*store.Persona, error) {
	var opts *string
	if u.Options != nil {
		o := optionsText(*u.Options)
		opts = &o
	}
	var out *store.Persona
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanPersona(tx.QueryRow(ctx, `UPDATE personas SET
				name = COALESCE($3, name), avatar = COALESCE($4, avatar), color = COALESCE($5, color),
				provider_id = COALESCE($6, provider_id), model = COALESCE($7, model),
				system_prompt = COALESCE($8, system_prompt),
				temperature = CASE WHEN $10 THEN NULL ELSE COALESCE($9, temperature) END,
				options = COALESCE($11, options), updated_at = now()
			WHERE tenant_id = $1 AND id = $2 RETURNING `+personaColumns,
			tenantID, id, u.Name, u.Avatar, u.Color, u.ProviderID, u.Model, u.SystemPrompt, u.Temperature, u.ClearTemperature, opts))
		return err
	})
	if err != nil {
		return nil, mapErr("update persona", nameTaken(err))
	}
	return out, nil
}

// DeletePersona deletes a persona.
func (db *DB) DeletePersona(ctx context.Context, tenantID, id string) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM personas WHERE tenant_id = $1 AND id = $2`, tenantID, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return mapErr("delete persona", err)
}
