package secret

// AuditKeys returns copies of the two HMAC keys of the audit log, derived
// from the master key with HKDF-SHA256 (info "nyxcore audit chain v1" and
// "nyxcore audit checkpoint v1"). They never touch the database, so a
// database writer cannot recompute an entry's MAC or sign a checkpoint.
func (m *Master) AuditKeys() (chain, checkpoint []byte) {
	return append([]byte(nil), m.auditChain...), append([]byte(nil), m.auditCheckpoint...)
}
