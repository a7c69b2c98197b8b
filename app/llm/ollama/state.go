package ollama

// State is the background checker's last word on the host: checked is
// false until its first check ends, healthy whether that check reached it.
// Readiness probes read it; they never send a request of their own.
func (h *Host) State() (checked, healthy bool) {
	st := h.snapshot()
	return !st.checked.IsZero(), st.healthy
}
