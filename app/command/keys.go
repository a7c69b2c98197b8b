package command

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
)

// keys loads the data keys that encrypt stored secrets: wrapped by the
// master key in the data plane, opened at start, and re-read when a value
// names a key this process has not seen (another process rotated).
type keys struct {
	master *secret.Master
	st     store.SecretStore
	ring   *secret.Keyring
	mu     sync.Mutex
	loaded map[string]bool
}

// openKeys loads the master key (generating it in the data dir in embedded
// mode) and every data key, creating the first one on a new database.
func openKeys(ctx context.Context, cfg *config.Config, dataDir string, st store.SecretStore) (*keys, error) {
	master, err := secret.LoadMaster(secret.MasterOptions{Value: cfg.MasterKey, DataDir: dataDir, Generate: cfg.Mode() == config.ModeEmbedded})
	if err != nil {
		return nil, err
	}
	k := &keys{master: master, st: st, loaded: map[string]bool{}}
	if err := k.Reload(ctx); err != nil {
		return nil, err
	}
	if k.ring == nil {
		if _, err := k.add(ctx); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Reload adds data keys stored since the last load.
func (k *keys) Reload(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	stored, err := k.st.SecretKeys(ctx)
	if err != nil {
		return err
	}
	for _, s := range stored {
		if k.loaded[s.ID] {
			continue
		}
		if s.MasterID != k.master.ID() {
			return fmt.Errorf("secret key %s was wrapped by master key %s, but this server has master key %s: set NYX_MASTER_KEY to the key the data was written with", s.ID, s.MasterID, k.master.ID())
		}
		key, err := k.master.UnwrapKey(s.ID, s.Wrapped, s.CreatedAt)
		if err != nil {
			return fmt.Errorf("secret key %s: %w", s.ID, err)
		}
		if err := k.adopt(key); err != nil {
			return err
		}
	}
	return nil
}

// adopt puts key into the keyring; callers hold mu.
func (k *keys) adopt(key secret.Key) error {
	var err error
	if k.ring == nil {
		k.ring, err = secret.NewKeyring(key)
	} else {
		err = k.ring.Add(key)
	}
	if err == nil {
		k.loaded[key.ID] = true
	}
	return err
}

// add creates, stores and adopts a new data key.
func (k *keys) add(ctx context.Context) (secret.Key, error) {
	key, err := secret.NewKey()
	if err != nil {
		return key, err
	}
	wrapped, err := k.master.WrapKey(key)
	if err != nil {
		return key, err
	}
	if err := k.st.AddSecretKey(ctx, store.SecretKey{ID: key.ID, Wrapped: wrapped, MasterID: k.master.ID(), CreatedAt: key.CreatedAt}); err != nil {
		return key, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return key, k.adopt(key)
}

// rotate re-seals every stored provider key with the newest data key,
// tenant by tenant, each under row locks; running it again continues
// where an interrupted run stopped.
func (k *keys) rotate(ctx context.Context, st store.Store) (int, error) {
	current := k.ring.CurrentID()
	tenants, err := st.TenantIDs(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	log := audit.New(st, audit.NewKeys(k.master.AuditKeys()))
	for _, tenantID := range tenants {
		n, err := st.RewrapProviderKeys(ctx, tenantID, func(providerID, env string) (string, bool, error) {
			if kid, err := secret.KeyID(env); err == nil && kid == current {
				return "", false, nil
			}
			ad := registry.KeyAD(tenantID, providerID)
			clear, err := k.ring.Open(env, ad)
			if err != nil {
				return "", false, fmt.Errorf("provider %s of tenant %s: %w", providerID, tenantID, err)
			}
			next, err := k.ring.Seal(clear, ad)
			return next, err == nil, err
		})
		total += n
		if err != nil {
			return total, err
		}
		if err := log.Record(ctx, audit.Entry{TenantID: tenantID, Action: "keys.rotate", TargetType: "secret_key", TargetID: current,
			Details: map[string]any{"reencrypted": n}}); err != nil {
			return total, err
		}
	}
	return total, nil
}

func newKeys(cfg *config.Config, dataDir func() string, record func(*cobra.Command) *cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage the keys that encrypt stored secrets"}
	var resume bool
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Add a data key and re-encrypt every stored secret with it (safe while serving; --resume continues an interrupted run)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			st, err := openStore(ctx, cfg, dataDir())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Check(ctx); err != nil {
				return schemaHint(err)
			}
			k, err := openKeys(ctx, cfg, dataDir(), st)
			if err != nil {
				return err
			}
			if !resume {
				key, err := k.add(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.OutOrStdout(), "added data key %s\n", key.ID)
			}
			n, err := k.rotate(ctx, st)
			fmt.Fprintf(c.OutOrStdout(), "re-encrypted %d secrets with key %s\n", n, k.ring.CurrentID())
			if err != nil {
				return errors.Join(err, errors.New("run `nyxcore keys rotate --resume` to continue"))
			}
			return nil
		},
	}
	rotate.Flags().BoolVar(&resume, "resume", false, "continue with the newest key instead of adding one")
	cmd.AddCommand(record(rotate))
	return cmd
}

// reloadEvery re-reads data keys periodically so a server adopts keys that
// `keys rotate` added while it was running.
func (k *keys) reloadEvery(ctx context.Context, d time.Duration, logf func(string, ...any)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := k.Reload(ctx); err != nil {
				logf("nyx: reload secret keys", "error", err.Error())
			}
		}
	}
}
