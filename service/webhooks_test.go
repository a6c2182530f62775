package service

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit/testdb"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// webhookService is a Service over an empty, migrated database of the
// dialect, with one partner.
func webhookService(t *testing.T, dialect string) (*Service, *models.Store, *models.Partner) {
	t.Helper()
	store, err := models.Open(testdb.DSN(t, dialect))
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	ctx := context.Background()
	require.NoError(t, store.Migrate(ctx))
	p := &models.Partner{Username: "hooked", Name: "Hooked", PartnerType: "post", PasswordHash: "x", DefaultProductCode: "consumer", Active: true}
	require.NoError(t, store.UpsertPartner(ctx, p))
	now := time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)
	return New(Deps{Store: store, Now: func() time.Time { return now }}), store, p
}

// A rotation and its Idempotency-Key are stored together: retries with the
// key, even at once, rotate once and answer the secret it made; a retry
// that comes after a later rotation rotates nothing.
func TestWebhookRotationHappensOncePerKey(t *testing.T) {
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, store, p := webhookService(t, dialect)
			ctx := context.Background()
			_, _, _, err := s.RotateWebhookSecret(ctx, p, "")
			require.Equal(t, failure.KindInvalid, failure.KindOf(err), "the key is required")
			_, _, _, err = s.RotateWebhookSecret(ctx, p, "k")
			require.Equal(t, failure.KindNotFound, failure.KindOf(err), "no endpoint yet")
			_, first, err := s.PutWebhook(ctx, p, "https://hooks.example/in", []string{string(lending.EventStatusChanged)})
			require.NoError(t, err)

			secrets := make([]string, 8)
			replays := make([]bool, len(secrets))
			var wg sync.WaitGroup
			for i := range secrets {
				wg.Go(func() {
					var err error
					_, secrets[i], replays[i], err = s.RotateWebhookSecret(ctx, p, "a")
					require.NoError(t, err)
				})
			}
			wg.Wait()
			rotated := 0
			for i, sec := range secrets {
				require.Equal(t, secrets[0], sec, "every retry answers the one secret")
				if !replays[i] {
					rotated++
				}
			}
			require.Equal(t, 1, rotated)
			require.NotEqual(t, first, secrets[0])
			afterA, err := store.WebhookEndpoint(ctx, p.ID)
			require.NoError(t, err)
			opened, err := s.webhooks.Secrets.Open(afterA.Secret)
			require.NoError(t, err)
			require.Equal(t, secrets[0], opened)
			previous, err := s.webhooks.Secrets.Open(afterA.PreviousSecret)
			require.NoError(t, err)
			require.Equal(t, first, previous, "rotated once: the previous secret is the first")

			_, second, replayed, err := s.RotateWebhookSecret(ctx, p, "b")
			require.NoError(t, err)
			require.False(t, replayed)
			require.NotEqual(t, secrets[0], second)

			_, _, _, err = s.RotateWebhookSecret(ctx, p, "a")
			require.Equal(t, failure.KindConflict, failure.KindOf(err))
			now, err := store.WebhookEndpoint(ctx, p.ID)
			require.NoError(t, err)
			opened, err = s.webhooks.Secrets.Open(now.Secret)
			require.NoError(t, err)
			require.Equal(t, second, opened, "a late retry does not rotate")
		})
	}
}

// An admin's edit changes the URL and the private-address exception
// together, and never makes an endpoint the partner removed.
func TestEditWebhookNeedsTheEndpoint(t *testing.T) {
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, store, p := webhookService(t, dialect)
			ctx := context.Background()
			by := Admin{Staff: &models.Staff{Username: "root", Role: lending.RoleAdmin, Active: true}}
			events := []string{string(lending.EventSettled)}
			_, err := s.EditWebhook(ctx, by, p.Username, "https://10.0.0.5/in", events, true)
			require.Equal(t, failure.KindNotFound, failure.KindOf(err))
			_, err = store.WebhookEndpoint(ctx, p.ID)
			require.ErrorIs(t, err, models.ErrNotFound, "the edit made none")

			_, _, err = s.PutWebhook(ctx, p, "https://hooks.example/in", events)
			require.NoError(t, err)
			ep, err := s.EditWebhook(ctx, by, p.Username, "https://10.0.0.5/in", events, true)
			require.NoError(t, err)
			require.True(t, ep.AllowPrivate)
			require.Equal(t, "https://10.0.0.5/in", ep.URL)

			// Refused input changes neither.
			_, err = s.EditWebhook(ctx, by, p.Username, "https://10.0.0.6/in", []string{"nope"}, false)
			require.Equal(t, failure.KindInvalid, failure.KindOf(err))
			ep, err = store.WebhookEndpoint(ctx, p.ID)
			require.NoError(t, err)
			require.True(t, ep.AllowPrivate)
			require.Equal(t, "https://10.0.0.5/in", ep.URL)
		})
	}
}
