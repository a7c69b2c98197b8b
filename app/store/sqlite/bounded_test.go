package sqlite_test

import (
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/storetest"
)

// TestConformanceBounded: the request paths' store (every call bounded by
// api.store_timeout) behaves exactly like the driver it wraps.
func TestConformanceBounded(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return store.WithTimeout(open(t), 10*time.Second) })
}
