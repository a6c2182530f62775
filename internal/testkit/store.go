package testkit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
)

// template is a migrated, seeded SQLite file copied for each test: seeding
// hashes passwords with bcrypt, too slow to repeat per test.
var template struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Main runs a package's tests and removes the template database after
// them: call it from TestMain as os.Exit(testkit.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if template.dir != "" {
		_ = os.RemoveAll(template.dir)
	}
	return code
}

// Store is a fresh copy of the seeded database, closed when the test ends.
func Store(t testing.TB) *models.Store {
	t.Helper()
	template.once.Do(func() {
		template.dir, template.err = os.MkdirTemp("", "loanflow-testkit")
		if template.err == nil {
			template.path = filepath.Join(template.dir, "template.db")
			template.err = buildTemplate(template.path)
		}
	})
	require.NoError(t, template.err, "build the template database")
	path := filepath.Join(t.TempDir(), "loanflow.db")
	data, err := os.ReadFile(template.path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	store, err := models.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	return store
}

func buildTemplate(path string) error {
	ctx := context.Background()
	store, err := models.Open(path)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	if err := store.SeedDev(ctx); err != nil {
		return err
	}
	for _, p := range []struct {
		c      Creds
		kind   string
		active bool
	}{{Other, "post", true}, {Shop, "shop", true}, {Sleepy, "post", false}} {
		hash, err := models.HashPassword(p.c.Password)
		if err != nil {
			return err
		}
		if err := store.UpsertPartner(ctx, &models.Partner{
			Username: p.c.User, Name: "Partner " + p.c.User, PartnerType: p.kind,
			PasswordHash: hash, DefaultProductCode: "consumer", Active: p.active,
		}); err != nil {
			return fmt.Errorf("seed partner %s: %w", p.c.User, err)
		}
	}
	// Fold the WAL into the main file so a plain copy is complete.
	return store.DB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}
