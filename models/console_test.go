package models

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

func newStaff(t *testing.T, s *Store, username string) *Staff {
	t.Helper()
	st := &Staff{Username: username, Name: username, Role: lending.RoleOperations, PasswordHash: "x", Active: true}
	require.NoError(t, s.UpsertStaff(context.Background(), st))
	return st
}

func TestConsoleSessions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		st := newStaff(t, s, "alice")
		now := time.Date(2025, 3, 10, 9, 30, 0, 123456789, time.UTC)
		for _, id := range []string{"a", "b", "c"} {
			require.NoError(t, s.CreateConsoleSession(ctx, &ConsoleSession{
				ID: id, StaffID: st.ID, CSRFToken: "csrf-" + id, ClientIP: "192.0.2.1",
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour),
			}))
		}
		got, err := s.GetConsoleSession(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, "csrf-a", got.CSRFToken)
		require.True(t, got.LastSeenAt.Equal(now.Truncate(time.Microsecond)))

		require.NoError(t, s.SetConsoleSessionFlash(ctx, "a", "done"))
		require.NoError(t, s.TouchConsoleSession(ctx, "a", now.Add(time.Hour)))
		got, err = s.GetConsoleSession(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, "done", got.Flash)
		require.True(t, got.LastSeenAt.Equal(now.Add(time.Hour).Truncate(time.Microsecond)))

		// b and c have been idle for an hour; a was touched.
		n, err := s.PurgeConsoleSessions(ctx, now.Add(time.Hour), now.Add(30*time.Minute))
		require.NoError(t, err)
		require.Equal(t, int64(2), n)
		_, err = s.GetConsoleSession(ctx, "b")
		require.ErrorIs(t, err, ErrNotFound)
		// Past its absolute expiry a goes too.
		n, err = s.PurgeConsoleSessions(ctx, now.Add(12*time.Hour), now)
		require.NoError(t, err)
		require.Equal(t, int64(1), n)

		require.NoError(t, s.DeleteConsoleSession(ctx, "missing"))
	})
}

func TestConsoleEvents(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		base := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		for i, ev := range []ConsoleEvent{
			{Action: "sign_in", Target: "alice", ClientIP: "192.0.2.1", Outcome: OutcomeFailed},
			{Action: "sign_in", Target: "alice", ClientIP: "192.0.2.2", Outcome: OutcomeFailed},
			{Action: "sign_in", Target: "bob", ClientIP: "192.0.2.1", Outcome: OutcomeFailed},
			{Action: "sign_in", Target: "alice", ClientIP: "192.0.2.1", Outcome: OutcomeOK, Actor: "alice"},
		} {
			ev.At = base.Add(time.Duration(i) * time.Minute)
			require.NoError(t, s.RecordConsoleEvent(ctx, &ev))
		}
		since := base.Add(time.Minute)
		cases := []struct {
			name string
			f    ConsoleEventFilter
			want int64
		}{
			{"all", ConsoleEventFilter{}, 4},
			{"failed for alice", ConsoleEventFilter{Action: "sign_in", Outcome: OutcomeFailed, Target: "alice"}, 2},
			{"failed from an address", ConsoleEventFilter{Outcome: OutcomeFailed, ClientIP: "192.0.2.1"}, 2},
			{"since, inclusive", ConsoleEventFilter{Outcome: OutcomeFailed, Since: &since}, 2},
			{"by actor", ConsoleEventFilter{Actor: "alice"}, 1},
		}
		for _, tc := range cases {
			n, err := s.CountConsoleEvents(ctx, tc.f)
			require.NoError(t, err)
			require.Equal(t, tc.want, n, tc.name)
		}
		page, total, err := s.ListConsoleEvents(ctx, ConsoleEventFilter{Limit: 2, Offset: 1})
		require.NoError(t, err)
		require.Equal(t, int64(4), total)
		require.Len(t, page, 2)
		require.Equal(t, "bob", page[0].Target, "newest first")
	})
}

func TestAdminChangesAreAudited(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		st := newStaff(t, s, "carol")
		now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		for _, id := range []string{"s1", "s2"} {
			require.NoError(t, s.CreateConsoleSession(ctx, &ConsoleSession{ID: id, StaffID: st.ID, CSRFToken: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
		}
		ev := func(action string) *ConsoleEvent {
			return &ConsoleEvent{At: now, Actor: "admin", Action: action, Target: "staff carol", Outcome: OutcomeOK}
		}
		require.NoError(t, s.SetStaffPassword(ctx, st.ID, "new-hash", "s1", ev("reset")))
		n, err := s.CountStaffConsoleSessions(ctx, st.ID)
		require.NoError(t, err)
		require.Equal(t, int64(1), n, "all but the kept session end")
		require.NoError(t, s.SetStaffActive(ctx, st.ID, false, ev("disable")))
		n, err = s.CountStaffConsoleSessions(ctx, st.ID)
		require.NoError(t, err)
		require.Zero(t, n, "disabling ends every session")
		require.NoError(t, s.SetStaffRole(ctx, st.ID, lending.RoleAdmin, ev("role")))
		got, err := s.StaffByID(ctx, st.ID)
		require.NoError(t, err)
		require.Equal(t, "new-hash", got.PasswordHash)
		require.False(t, got.Active)
		require.Equal(t, lending.RoleAdmin, got.Role)

		// A failed change records nothing.
		require.ErrorIs(t, s.SetStaffRole(ctx, 99999, lending.RoleAdmin, ev("ghost")), ErrNotFound)
		require.ErrorIs(t, s.CreateStaff(ctx, &Staff{Username: "carol", Name: "dup", Role: lending.RoleAdmin, PasswordHash: "x"}, ev("dup")), ErrConflict)
		events, total, err := s.ListConsoleEvents(ctx, ConsoleEventFilter{Actor: "admin"})
		require.NoError(t, err)
		require.Equal(t, int64(3), total)
		require.Equal(t, "role", events[0].Action)

		p := &Partner{Username: "shop", Name: "Shop", PartnerType: "retail", PasswordHash: "x", DefaultProductCode: "consumer", Active: true}
		require.NoError(t, s.CreatePartner(ctx, p, ev("create partner")))
		require.NoError(t, s.SetPartnerPassword(ctx, p.ID, "rotated", ev("rotate")))
		require.NoError(t, s.SetPartnerActive(ctx, p.ID, false, ev("disable partner")))
		gotP, err := s.PartnerByID(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, "rotated", gotP.PasswordHash)
		require.False(t, gotP.Active)
	})
}

func TestUpdateProductTerms(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := DevProducts()[0]
		require.NoError(t, s.UpsertProduct(ctx, &p))
		upd := p
		upd.MaxAmount = decimal.RequireFromString("60000.50")
		upd.FourEyesThreshold = decimal.Zero
		upd.Active = false
		upd.Currency = "EUR" // not editable: ignored
		upd.LateFee = decimal.NewFromInt(25)
		upd.DelinquencyBuckets = "15,45"
		upd.AllocationOrder = "due_first_then_advance"
		ev := &ConsoleEvent{At: time.Now(), Actor: "admin", Action: "update_product", Outcome: OutcomeOK}
		require.NoError(t, s.UpdateProductTerms(ctx, &upd, ev))
		got, err := s.GetProduct(ctx, p.Code)
		require.NoError(t, err)
		require.True(t, upd.MaxAmount.Equal(got.MaxAmount))
		require.True(t, got.FourEyesThreshold.IsZero())
		require.False(t, got.Active)
		require.Equal(t, "MDL", got.Currency)
		require.True(t, got.LateFee.Equal(decimal.NewFromInt(25)))
		require.Equal(t, "15,45", got.DelinquencyBuckets)
		require.Equal(t, "due_first_then_advance", got.AllocationOrder)

		missing := upd
		missing.Code = "gold"
		require.ErrorIs(t, s.UpdateProductTerms(ctx, &missing, ev), ErrNotFound)
	})
}
