package models

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestCachedProduct: quotes and submissions read a product from memory; an
// edit through the store is seen at once, one made elsewhere (another API
// process) once productCacheTTL has passed, and no caller can change what
// the next one reads.
func TestCachedProduct(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
		s.products.now = func() time.Time { return now }
		p := DevProducts()[0]
		require.NoError(t, s.UpsertProduct(ctx, &p))

		got, err := s.CachedProduct(ctx, p.Code)
		require.NoError(t, err)
		require.True(t, got.MaxAmount.Equal(p.MaxAmount))
		got.MaxAmount = decimal.NewFromInt(1) // the caller's own copy

		elsewhere := func(max string) {
			t.Helper()
			require.NoError(t, s.DB.Exec("UPDATE products SET max_amount = ? WHERE code = ?", max, p.Code).Error)
		}
		elsewhere("70000")
		got, err = s.CachedProduct(ctx, p.Code)
		require.NoError(t, err)
		require.True(t, got.MaxAmount.Equal(p.MaxAmount), "within the TTL: the cached product, untouched by the caller before")

		now = now.Add(productCacheTTL)
		got, err = s.CachedProduct(ctx, p.Code)
		require.NoError(t, err)
		require.Equal(t, "70000", got.MaxAmount.String(), "an edit made elsewhere shows once the TTL is over")

		upd := *got
		upd.MaxAmount = decimal.NewFromInt(80000)
		ev := &ConsoleEvent{At: now, Actor: "admin", Action: "update_product", Outcome: OutcomeOK}
		require.NoError(t, s.UpdateProductTerms(ctx, &upd, ev))
		got, err = s.CachedProduct(ctx, p.Code)
		require.NoError(t, err)
		require.Equal(t, "80000", got.MaxAmount.String(), "an admin's edit through this store shows at once")

		p.MaxAmount = decimal.NewFromInt(90000)
		require.NoError(t, s.UpsertProduct(ctx, &p))
		got, err = s.CachedProduct(ctx, p.Code)
		require.NoError(t, err)
		require.Equal(t, "90000", got.MaxAmount.String())

		_, err = s.CachedProduct(ctx, "no-such-product")
		require.ErrorIs(t, err, ErrNotFound)
	})
}
