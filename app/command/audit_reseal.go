package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/postgres"
)

// resealAudit migrates every v1 (unkeyed) audit chain to the keyed v2
// encoding, printing a line per chain it re-sealed or refused. A refused
// chain (it fails v1 verification) stays as it is and keeps failing
// `audit verify`; it is reported, not fatal, so one tampered chain does not
// block the migration of the rest. Other errors are returned.
func resealAudit(ctx context.Context, st store.AuditStore, keys *audit.Keys, say func(msg string, args ...any)) error {
	err := audit.ResealAll(ctx, st, keys, func(id string, n int, err error) {
		switch {
		case errors.Is(err, audit.ErrBroken):
			say("audit chain REFUSED, not re-sealed: it fails verification as written", "tenant", id, "err", err)
		case err == nil && n > 0:
			say("audit chain re-sealed under the master key (v2)", "tenant", id, "entries", n)
		}
	})
	var broken *audit.BrokenError
	if errors.As(err, &broken) && !hasOtherErr(err) {
		return nil
	}
	return err
}

// hasOtherErr reports whether a joined error holds anything but chain refusals.
func hasOtherErr(err error) bool {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return !errors.Is(err, audit.ErrBroken)
	}
	for _, e := range j.Unwrap() {
		if hasOtherErr(e) {
			return true
		}
	}
	return false
}

// resealAtStart re-seals v1 chains when the embedded server starts: the
// process owns nyx.db, so no separate owner step is needed.
func resealAtStart(ctx context.Context, st store.AuditStore, keys *audit.Keys) error {
	return resealAudit(ctx, st, keys, func(msg string, args ...any) { slog.Warn("nyx: "+msg, args...) })
}

// resealWithOwner re-seals v1 chains on PostgreSQL as the owner connection
// of `db migrate` (the runtime role may not UPDATE audit_log). Without a
// master key it says what to run instead of failing the migration.
func resealWithOwner(ctx context.Context, cfg *config.Config, out io.Writer) error {
	master, err := secret.LoadMaster(secret.MasterOptions{Value: cfg.MasterKey})
	if errors.Is(err, secret.ErrNoMasterKey) {
		fmt.Fprintln(out, "NYX_MASTER_KEY is not set: unkeyed (v1) audit chains, if any, are not re-sealed; run `nyxcore db migrate` again with it")
		return nil
	}
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.Database.MigrateURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	return resealAudit(ctx, db, audit.NewKeys(master.AuditKeys()), printTo(out))
}

// printTo formats say's message and pairs as one line of out.
func printTo(out io.Writer) func(msg string, args ...any) {
	return func(msg string, args ...any) {
		fmt.Fprint(out, msg)
		for i := 0; i+1 < len(args); i += 2 {
			fmt.Fprintf(out, " %v=%v", args[i], args[i+1])
		}
		fmt.Fprintln(out)
	}
}

// resealEmbedded re-seals v1 chains of nyx.db in `db migrate`, with the
// master key of the data dir; a data dir without one has no chains yet.
func resealEmbedded(ctx context.Context, cfg *config.Config, st store.AuditStore, out io.Writer) error {
	master, err := secret.LoadMaster(secret.MasterOptions{Value: cfg.MasterKey, DataDir: cfg.Dir})
	if errors.Is(err, secret.ErrNoMasterKey) {
		return nil
	}
	if err != nil {
		return err
	}
	return resealAudit(ctx, st, audit.NewKeys(master.AuditKeys()), printTo(out))
}
