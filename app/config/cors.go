package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// CORS lists the other sites whose pages may call the API. The web app is
// served from the API's own origin and needs none.
type CORS struct {
	Origins string `mapstructure:"origins"`
}

// List splits cors.origins into origins, lowercased as browsers send them.
func (c CORS) List() []string {
	var out []string
	for _, o := range strings.Split(c.Origins, ",") {
		if o = strings.ToLower(strings.TrimSpace(o)); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// Tenant tunes the tenant registry.
type Tenant struct {
	// SlugHold is how long a slug given up by a rename stays with its tenant.
	SlugHold time.Duration `mapstructure:"slug_hold"`
}

// validateCORS accepts only exact origins: a wildcard would hand every
// site the API, and a path or trailing slash never matches a browser's
// Origin header, which would fail silently.
func (c *Config) validateCORS() []error {
	var errs []error
	for _, o := range c.CORS.List() {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.Contains(o, "*") {
			errs = append(errs, fmt.Errorf("cors.origins (NYX_CORS_ORIGINS) %q must be an exact origin such as https://app.example.com", o))
		}
	}
	return errs
}

func (c *Config) validateTenant() []error {
	if c.Tenant.SlugHold < 0 {
		return []error{fmt.Errorf("tenant.slug_hold (NYX_TENANT_SLUG_HOLD) must not be negative")}
	}
	return nil
}
