package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// unit parses a systemd unit into section.key -> values (in order).
func unit(t *testing.T) map[string][]string {
	t.Helper()
	keys := map[string][]string{}
	section := ""
	for _, line := range strings.Split(readFile(t, "deploy/nyxcore.service"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			keys[section+"."+k] = append(keys[section+"."+k], v)
		}
	}
	return keys
}

func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if inCI() {
			t.Fatal("systemd-analyze is missing (Debian package systemd); CI must verify the unit")
		}
		t.Skip("systemd-analyze not found: install systemd to verify deploy/nyxcore.service")
	}
	u := unit(t)
	exec0 := strings.Fields(u["Service.ExecStart"][0])[0]
	dir := t.TempDir()
	text := strings.ReplaceAll(readFile(t, "deploy/nyxcore.service"), "ExecStart="+exec0, "ExecStart="+binary(t))
	path := filepath.Join(dir, "nyxcore.service")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// Unknown or misspelt keys are only warnings: they must not be there.
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "nyxcore.service") {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}
}

func TestSystemdUnitIsSandboxedAndStopsGracefully(t *testing.T) {
	u := unit(t)
	want := map[string]string{
		"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
		"PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
		"ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "RestrictNamespaces": "yes",
		"LockPersonality": "yes", "MemoryDenyWriteExecute": "yes", "RestrictSUIDSGID": "yes",
		"Restart": "on-failure", "DynamicUser": "yes", "CapabilityBoundingSet": "CAP_NET_BIND_SERVICE",
		"AmbientCapabilities": "CAP_NET_BIND_SERVICE", "KillSignal": "SIGTERM",
	}
	for k, v := range want {
		if got := u["Service."+k]; len(got) != 1 || got[0] != v {
			t.Errorf("%s=%q; want %s", k, got, v)
		}
	}
	if f := u["Service.SystemCallFilter"]; len(f) == 0 || f[0] != "@system-service" {
		t.Errorf("SystemCallFilter=%q; want @system-service first", f)
	}
	if fam := strings.Fields(strings.Join(u["Service.RestrictAddressFamilies"], " ")); len(fam) == 0 || len(fam) > 3 {
		t.Errorf("RestrictAddressFamilies=%q; want AF_INET AF_INET6 AF_UNIX at most", fam)
	}
	if d, err := time.ParseDuration(strings.Join(u["Service.TimeoutStopSec"], "")); err != nil || d < 5*time.Second {
		t.Errorf("TimeoutStopSec=%q: running turns need about 3 s to end interrupted", u["Service.TimeoutStopSec"])
	}
	if ef := u["Service.EnvironmentFile"]; len(ef) != 1 {
		t.Errorf("EnvironmentFile=%q; want one configuration file", ef)
	}
	state := u["Service.StateDirectory"]
	dirSet := false
	for _, e := range u["Service.Environment"] {
		k, v, _ := strings.Cut(e, "=")
		if !isSetting(k) {
			t.Errorf("Environment=%s: not a nyxCore setting", e)
		}
		if k == "NYX_DIR" {
			dirSet = len(state) == 1 && v == "/var/lib/"+state[0]
		}
	}
	if !dirSet {
		t.Errorf("NYX_DIR must be the StateDirectory %q under /var/lib (ProtectSystem=strict leaves nothing else writable)", state)
	}
	if got := u["Service.ExecStart"]; len(got) != 1 || !strings.HasSuffix(got[0], "nyxcore serve") {
		t.Errorf("ExecStart=%q; want .../nyxcore serve", got)
	}
}
