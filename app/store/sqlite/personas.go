package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/nyxcore/nyxcore/app/store"
)

const personaColumns = `id, tenant_id, name, avatar, color, provider_id, model, system_prompt, temperature, options, created_at, updated_at`

func scanPersona(row scanner) (*store.Persona, error) {
	var p store.Persona
	var opts, created, updated string
	if err := row.Scan(&p.ID, &p.TenantID, &p.Name, &p.Avatar, &p.Color, &p.ProviderID, &p.Model, &p.SystemPrompt,
		&p.Temperature, &opts, &created, &updated); err != nil {
		return nil, err
	}
	p.Options = json.RawMessage(opts)
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
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
	rows, err := db.reader.QueryContext(ctx, `SELECT `+personaColumns+` FROM personas WHERE tenant_id = ? ORDER BY lower(name)`, tenantID)
	if err != nil {
		return nil, mapErr("list personas", err)
	}
	defer rows.Close()
	out := []store.Persona{}
	for rows.Next() {
		p, err := scanPersona(rows)
		if err != nil {
			return nil, mapErr("list personas", err)
		}
		out = append(out, *p)
	}
	return out, mapErr("list personas", rows.Err())
}

// GetPersona returns one persona of the tenant.
func (db *DB) GetPersona(ctx context.Context, tenantID, id string) (*store.Persona, error) {
	p, err := scanPersona(db.reader.QueryRowContext(ctx, `SELECT `+personaColumns+` FROM personas WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, mapErr("get persona", err)
	}
	return p, nil
}

// CreatePersona inserts a persona with a new id.
func (db *DB) CreatePersona(ctx context.Context, p store.Persona) (*store.Persona, error) {
	var out *store.Persona
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tenantExists(ctx, tx, p.TenantID); err != nil {
			return err
		}
		ts := now()
		var err error
		out, err = scanPersona(tx.QueryRowContext(ctx, `INSERT INTO personas
			(tenant_id, id, name, avatar, color, provider_id, model, system_prompt, temperature, options, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+personaColumns,
			p.TenantID, store.NewID(), p.Name, p.Avatar, p.Color, p.ProviderID, p.Model, p.SystemPrompt, p.Temperature, optionsText(p.Options), ts, ts))
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
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanPersona(tx.QueryRowContext(ctx, `UPDATE personas SET
				name = COALESCE(?3, name), avatar = COALESCE(?4, avatar), color = COALESCE(?5, color),
				provider_id = COALESCE(?6, provider_id), model = COALESCE(?7, model),
				system_prompt = COALESCE(?8, system_prompt),
				temperature = CASE WHEN ?10 THEN NULL ELSE COALESCE(?9, temperature) END,
				options = COALESCE(?11, options), updated_at = ?12
			WHERE tenant_id = ?1 AND id = ?2 RETURNING `+personaColumns,
			tenantID, id, u.Name, u.Avatar, u.Color, u.ProviderID, u.Model, u.SystemPrompt, u.Temperature, u.ClearTemperature, opts, now()))
		return err
	})
	if err != nil {
		return nil, mapErr("update persona", nameTaken(err))
	}
	return out, nil
}

// DeletePersona deletes a persona.
func (db *DB) DeletePersona(ctx context.Context, tenantID, id string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		return deleteOne(ctx, tx, `DELETE FROM personas WHERE tenant_id = ? AND id = ?`, tenantID, id)
	})
	return mapErr("delete persona", err)
}
