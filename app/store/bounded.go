package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrTimeout marks a call of a store made by WithTimeout that ran past its
// bound: the data plane is slow or blocked (a lock held, a saturated pool),
// and the caller should answer "try again" rather than wait on.
var ErrTimeout = errors.New("store: call timed out")

// WithTimeout returns st with every data-plane call bounded by d, measured
// from the call (not from the request): a request that makes several calls,
// or a stream that makes one now and then, gets d for each. A call past
// its bound fails with an error wrapping ErrTimeout (and the driver's own
// context error); one whose caller's context ended first keeps that error.
//
// It is meant for request paths. Work that must run as long as it takes —
// a turn detached from its request, maintenance over whole audit chains
// (ChainAudit, ResealAudit, RewrapProviderKeys, which pass straight
// through here) — uses the unwrapped store. Methods added to Store later
// pass through unbounded until they are listed in bounded_methods.go;
// TestBoundedCoversStore names them.
func WithTimeout(st Store, d time.Duration) Store {
	if d <= 0 {
		return st
	}
	return &bounded{Store: st, d: d}
}

// bounded is WithTimeout's wrapper; its methods are in bounded_methods.go.
type bounded struct {
	Store
	d time.Duration
}

// call runs f under a context bounded by b.d and answers when f returns or
// the bound passes, whichever is first. It does not wait for a driver that
// cannot be interrupted there (SQLite sleeping in its busy handler while
// another process holds the write lock ignores cancellation until
// busy_timeout): that call goes on in the background with its context
// already ended, so its transaction is rolled back rather than committed
// (database/sql rolls back a transaction whose context is done), and it
// ends by busy_timeout at the latest.
func call[T any](b *bounded, ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, b.d, ErrTimeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			// A driver panic would otherwise kill the process from this
			// goroutine, where the router's recovery cannot catch it.
			if p := recover(); p != nil {
				var zero T
				done <- result{zero, fmt.Errorf("store: panic: %v", p)}
			}
		}()
		v, err := f(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, check(ctx, r.err)
	case <-ctx.Done():
		var zero T
		if context.Cause(ctx) == ErrTimeout {
			return zero, fmt.Errorf("%w after %s", ErrTimeout, b.d)
		}
		return zero, ctx.Err()
	}
}

// callErr is call for a method that returns only an error.
func callErr(b *bounded, ctx context.Context, f func(context.Context) error) error {
	_, err := call(b, ctx, func(ctx context.Context) (struct{}, error) { return struct{}{}, f(ctx) })
	return err
}

// check marks err as a timeout when the bound, not the caller, ended ctx.
func check(ctx context.Context, err error) error {
	if err != nil && context.Cause(ctx) == ErrTimeout && !errors.Is(err, ErrTimeout) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}
