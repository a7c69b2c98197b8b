package config

import (
	"strings"
	"testing"
	"time"
)

func TestCORSAndSlugHoldSettings(t *testing.T) {
	cfg, _, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.CORS.List()) != 0 || cfg.Tenant.SlugHold != 30*24*time.Hour {
		t.Fatalf("defaults: cors %q, slug hold %s", cfg.CORS.Origins, cfg.Tenant.SlugHold)
	}
	t.Setenv("NYX_CORS_ORIGINS", " https://App.example.com, http://localhost:5173 ")
	t.Setenv("NYX_TENANT_SLUG_HOLD", "48h")
	if cfg, _, err = Load(nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.CORS.List(), " "); got != "https://app.example.com http://localhost:5173" || cfg.Tenant.SlugHold != 48*time.Hour {
		t.Fatalf("cors %q, slug hold %s", got, cfg.Tenant.SlugHold)
	}
	for _, bad := range []string{"*", "https://*.example.com", "https://app.example.com/", "app.example.com", "ftp://x.example"} {
		t.Setenv("NYX_CORS_ORIGINS", bad)
		if _, _, err := Load(nil); err == nil || !strings.Contains(err.Error(), "NYX_CORS_ORIGINS") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	t.Setenv("NYX_CORS_ORIGINS", "")
	t.Setenv("NYX_TENANT_SLUG_HOLD", "-1h")
	if _, _, err := Load(nil); err == nil || !strings.Contains(err.Error(), "NYX_TENANT_SLUG_HOLD") {
		t.Errorf("negative hold: err = %v", err)
	}
}
