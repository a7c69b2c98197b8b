package secret

// HKDF labels of the audit log's keys: entries are MACed under one,
// checkpoints signed under the other, so neither key's use can stand in
// for the other's.
const (
	auditChainInfo      = "nyxcore audit chain v1"
	auditCheckpointInfo = "nyxcore audit checkpoint v1"
)

// AuditKeys returns copies of the two HMAC keys of the audit log, derived
// from the master key with HKDF-SHA256 (info "nyxcore audit chain v1" and
// "nyxcore audit checkpoint v1"). They never touch the database, so a
// database writer cannot recompute an entry's MAC or sign a checkpoint.
func (m *Master) AuditKeys() (chain, checkpoint []byte) {
	return append([]byte(nil), m.auditChain...), append([]byte(nil), m.auditCheckpoint...)
}
