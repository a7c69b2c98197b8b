package hooks

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/realtime"
)

// Session identifies the generation of rec's tokens: PocketBase signs them
// with the record's token key and changes the key on a password or email
// change and on "log out everywhere", which invalidates every earlier
// token. It is a digest, so it can travel with a Revocation between
// processes without revealing the key.
func Session(rec *core.Record) string {
	sum := sha256.Sum256([]byte(rec.TokenKey()))
	return hex.EncodeToString(sum[:16])
}

// RegisterRevocation ends the live streams of a user whose account is
// deleted (every tenant, including the memberships the deletion removes)
// and of a user whose tokens were invalidated (the streams opened with
// an older token key).
func RegisterRevocation(app core.App, r realtime.Revoker) {
	app.OnRecordAfterUpdateSuccess(UsersCollection).BindFunc(func(e *core.RecordEvent) error {
		// Only a changed token key invalidates tokens. Should Original be
		// stale (a record saved twice), the revocation is merely repeated:
		// it ends only streams whose Session differs from the current one.
		if e.Record.Original().TokenKey() != e.Record.TokenKey() {
			revoke(e, r, realtime.Revocation{UserID: e.Record.Id, Session: Session(e.Record), Reason: realtime.ReasonSignedOut})
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess(UsersCollection).BindFunc(func(e *core.RecordEvent) error {
		revoke(e, r, realtime.Revocation{UserID: e.Record.Id, Reason: realtime.ReasonUserDeleted})
		return e.Next()
	})
}

func revoke(e *core.RecordEvent, r realtime.Revoker, rv realtime.Revocation) {
	if err := r.Revoke(e.Context, rv); err != nil {
		e.App.Logger().Error("nyx: revoke streams", "reason", rv.Reason, "user", rv.UserID, "error", err.Error())
	}
}
