// Package hooks bridges PocketBase's control plane and nyxCore's data
// plane: it mirrors `users` records (id, email, name) into the store, keeps
// a user who is some tenant's only owner from being deleted, and
// reconciles the mirror at start in case a hook was missed.
package hooks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/store"
)

// UsersCollection is the auth collection nyxCore's people sign in with.
const UsersCollection = "users"

// Register binds the mirror hooks to app, and, when log is set, records
// password sign-ins (successful or not) in the account's own history.
func Register(app core.App, st store.Store, log *audit.Log) {
	if log != nil {
		app.OnRecordAuthWithPasswordRequest(UsersCollection).BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
			err := e.Next()
			if e.Record != nil {
				action := "auth.signin"
				if err != nil {
					action = "auth.signin_failed"
				}
				recordSignIn(e.RequestEvent, st, log, e.Record, action)
			}
			return err
		})
	}
	mirror := func(e *core.RecordEvent) error {
		if err := st.UpsertUser(e.Context, userOf(e.Record)); err != nil {
			e.App.Logger().Error("nyx: mirror user", "id", e.Record.Id, "error", err.Error())
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(UsersCollection).BindFunc(mirror)
	app.OnRecordAfterUpdateSuccess(UsersCollection).BindFunc(mirror)

	app.OnRecordDelete(UsersCollection).BindFunc(func(e *core.RecordEvent) error {
		sole, err := st.OwnedSoleTenants(e.Context, e.Record.Id)
		if err != nil {
			return fmt.Errorf("nyx: check tenants owned by %s: %w", e.Record.Id, err)
		}
		if len(sole) > 0 {
			return router.NewBadRequestError(fmt.Sprintf("This user is the only owner of %s: make someone else owner or delete the tenant first.",
				strings.Join(sole, ", ")), nil)
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess(UsersCollection).BindFunc(func(e *core.RecordEvent) error {
		if err := st.DeleteUser(e.Context, e.Record.Id); err != nil {
			e.App.Logger().Error("nyx: remove user from data plane", "id", e.Record.Id, "error", err.Error())
		}
		return e.Next()
	})
}

// Reconcile makes the mirror match the users collection: every user is
// upserted, and mirror rows of users that no longer exist are removed
// (unless that would orphan a tenant, which is logged instead).
func Reconcile(ctx context.Context, app core.App, st store.Store) error {
	records, err := app.FindAllRecords(UsersCollection)
	if err != nil {
		return fmt.Errorf("hooks: reconcile: %w", err)
	}
	live := make(map[string]bool, len(records))
	for _, r := range records {
		live[r.Id] = true
		if err := st.UpsertUser(ctx, userOf(r)); err != nil {
			return fmt.Errorf("hooks: reconcile: %w", err)
		}
	}
	ids, err := st.ListUserIDs(ctx)
	if err != nil {
		return fmt.Errorf("hooks: reconcile: %w", err)
	}
	for _, id := range ids {
		if live[id] {
			continue
		}
		err := st.DeleteUser(ctx, id)
		if errors.Is(err, store.ErrLastOwner) {
			app.Logger().Warn("nyx: a deleted user still owns tenants alone; kept in the mirror", "id", id)
			continue
		}
		if err != nil {
			return fmt.Errorf("hooks: reconcile: %w", err)
		}
	}
	return nil
}

func userOf(r *core.Record) store.User {
	return store.User{ID: r.Id, Email: r.Email(), Name: r.GetString("name")}
}

// RecordAccountEvent records action (e.g. "auth.limit_exceeded") about
// rec's account the way sign-ins are recorded, for events the API sees
// outside PocketBase's own hooks.
func RecordAccountEvent(e *core.RequestEvent, st store.Store, log *audit.Log, rec *core.Record, action string) {
	recordSignIn(e, st, log, rec, action)
}

// recordSignIn writes action (a sign-in, a failed one, or another event
// about the account) to rec's own account history. It used to go into the
// audit log of every tenant rec belongs to, which handed a person's
// sign-in times, IPs and user agents to every tenant admin who had added
// them; tenants now never see it (entries written before stay: the audit
// chain is append-only). log is unused and kept for callers.
func recordSignIn(e *core.RequestEvent, st store.Store, log *audit.Log, rec *core.Record, action string) {
	err := st.AppendAccountEvent(e.Request.Context(), store.AccountEvent{UserID: rec.Id, Action: action,
		IP: e.RealIP(), UserAgent: e.Request.UserAgent()})
	if err != nil {
		e.App.Logger().Error("nyx: record account event", "user", rec.Id, "action", action, "error", err.Error())
	}
}
