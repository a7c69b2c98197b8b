package registry

// OperatorHostStates counts the operator's Ollama servers (ollama.host in
// embedded mode, ollama.pool) and those the background checker last
// reached; unchecked counts the ones not checked yet (just after start).
func (r *Registry) OperatorHostStates() (total, up, unchecked int) {
	for _, u := range r.OperatorHosts() {
		h, err := r.host(u)
		if err != nil {
			continue
		}
		total++
		switch checked, healthy := h.State(); {
		case !checked:
			unchecked++
		case healthy:
			up++
		}
	}
	return total, up, unchecked
}
