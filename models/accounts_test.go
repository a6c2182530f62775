package models

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
)

// PartnerByUsername reads on a statement of its own: it must return the row
// exactly as GORM reads it, see changes at once, and answer ErrNotFound the
// same way inside a transaction and out.
func TestPartnerByUsernameReadsTheRowAsStored(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		created := createPartner(t, s, "reader")
		require.NoError(t, s.SetPartnerRateLimit(ctx, created.ID, 2.5, 7, audit()))

		got, err := s.PartnerByUsername(ctx, "reader")
		require.NoError(t, err)
		want, err := s.PartnerByID(ctx, created.ID) // through GORM
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.Equal(t, 2.5, got.RatePerSecond)
		require.Equal(t, 7, got.RateBurst)
		require.True(t, got.Active)

		require.NoError(t, s.SetPartnerActive(ctx, created.ID, false, audit()))
		require.NoError(t, s.SetPartnerPassword(ctx, created.ID, "rotated", audit()))
		got, err = s.PartnerByUsername(ctx, "reader")
		require.NoError(t, err)
		require.False(t, got.Active, "a disabled partner reads disabled on the next read")
		require.Equal(t, "rotated", got.PasswordHash)

		_, err = s.PartnerByUsername(ctx, "nobody")
		require.ErrorIs(t, err, ErrNotFound)
		require.NoError(t, s.DB.Transaction(func(tx *gorm.DB) error {
			in, err := s.WithTx(tx).PartnerByUsername(ctx, "reader")
			require.NoError(t, err)
			require.Equal(t, got, in)
			_, err = s.WithTx(tx).PartnerByUsername(ctx, "nobody")
			require.ErrorIs(t, err, ErrNotFound)
			return nil
		}))

		require.NoError(t, s.Close())
		_, err = s.PartnerByUsername(ctx, "reader")
		require.Error(t, err, "a closed store reads nothing")
	})
}

func audit() *ConsoleEvent {
	return &ConsoleEvent{At: time.Now().UTC(), Actor: "admin", Action: "test", Target: "reader", Outcome: "ok"}
}
