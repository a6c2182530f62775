package models

import (
	"context"
	"testing"

	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestPasswords(t *testing.T) {
	hash, err := HashPassword("demo-secret")
	require.NoError(t, err)
	require.NotContains(t, hash, "demo-secret")
	cases := []struct {
		name, hash, password string
		want                 bool
	}{
		{"right password", hash, "demo-secret", true},
		{"wrong password", hash, "demo-secreT", false},
		{"empty password", hash, "", false},
		{"unknown user", "", "demo-secret", false},
		{"malformed hash", "not-a-bcrypt-hash", "demo-secret", false},
		{"plain text stored", "demo-secret", "demo-secret", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, CheckPassword(tc.hash, tc.password))
		})
	}
}

func TestSeedDevIsRepeatable(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		require.NoError(t, s.SeedDev(ctx))

		demo, err := s.PartnerByUsername(ctx, "demo")
		require.NoError(t, err)
		require.Equal(t, "Demo Post Office", demo.Name)
		require.Equal(t, "post", demo.PartnerType)
		require.Equal(t, "consumer", demo.DefaultProductCode)
		require.True(t, demo.Active)
		require.True(t, CheckPassword(demo.PasswordHash, "demo-secret"))

		wantStaff := map[string]lending.Role{
			"admin": lending.RoleAdmin, "operations": lending.RoleOperations,
			"underwriter": lending.RoleUnderwriter, "underwriter2": lending.RoleUnderwriter,
		}
		staff, err := s.ListStaff(ctx)
		require.NoError(t, err)
		require.Len(t, staff, len(wantStaff))
		for _, st := range staff {
			require.Equal(t, wantStaff[st.Username], st.Role, st.Username)
			require.True(t, st.Active)
			require.True(t, CheckPassword(st.PasswordHash, st.Username+"-secret"), st.Username)
		}

		products, err := s.ListProducts(ctx)
		require.NoError(t, err)
		type route struct{ ledger, lender string }
		wantRoutes := map[string]route{
			"consumer": {"none", "self"}, "fineract": {"fineract", "self"}, "mambu": {"mambu", "self"},
			"iute": {"none", "iute"}, "julo": {"none", "julo"},
		}
		require.Len(t, products, len(wantRoutes))
		for _, p := range products {
			require.Equal(t, wantRoutes[p.Code], route{string(p.Ledger), string(p.Lender)}, p.Code)
			require.Equal(t, "MDL", p.Currency)
			require.Equal(t, int32(2), p.CurrencyDecimals)
			require.Equal(t, "1000", p.MinAmount.String())
			require.Equal(t, "50000", p.MaxAmount.String())
			require.Equal(t, []int{3, 36}, []int{p.MinTermMonths, p.MaxTermMonths})
			require.Equal(t, "36", p.AnnualInterestRate.String())
			require.True(t, p.DisbursementFeePercent.IsZero())
			require.True(t, p.MonthlyFeePercent.IsZero())
			require.Equal(t, []int{18, 70, 2, 30}, []int{p.MinAge, p.MaxAgeAtMaturity, p.MaxOpenLoans, p.CashReleaseWindowDays})
			require.Equal(t, "30000", p.FourEyesThreshold.String())
			require.True(t, p.Active)
		}

		// Someone changes the demo password, disables an underwriter and
		// edits a product's rate; a second seed (a restart of the dev
		// stack) keeps all of it and duplicates nothing.
		newHash, err := HashPassword("changed")
		require.NoError(t, err)
		demo.PasswordHash = newHash
		require.NoError(t, s.UpsertPartner(ctx, demo))
		uw, err := s.StaffByUsername(ctx, "underwriter")
		require.NoError(t, err)
		require.NoError(t, s.DB.Model(&Staff{}).Where("id = ?", uw.ID).Update("active", false).Error)
		require.NoError(t, s.DB.Model(&Product{}).Where("code = ?", "consumer").Update("annual_interest_rate", decimal.NewFromInt(24)).Error)
		require.NoError(t, s.SeedDev(ctx))
		uw, err = s.StaffByUsername(ctx, "underwriter")
		require.NoError(t, err)
		require.False(t, uw.Active, "a disabled account stays disabled")
		consumer, err := s.GetProduct(ctx, "consumer")
		require.NoError(t, err)
		require.Equal(t, "24", consumer.AnnualInterestRate.String(), "an edited product keeps its terms")

		demo2, err := s.PartnerByUsername(ctx, "demo")
		require.NoError(t, err)
		require.Equal(t, demo.ID, demo2.ID)
		require.True(t, CheckPassword(demo2.PasswordHash, "changed"))
		require.False(t, CheckPassword(demo2.PasswordHash, "demo-secret"))
		partners, err := s.ListPartners(ctx)
		require.NoError(t, err)
		require.Len(t, partners, 1)
		staff, err = s.ListStaff(ctx)
		require.NoError(t, err)
		require.Len(t, staff, len(wantStaff))
		products, err = s.ListProducts(ctx)
		require.NoError(t, err)
		require.Len(t, products, len(wantRoutes))
	})
}

func TestUpsertsAndLookups(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		st := &Staff{Username: "ana", Name: "Ana", Role: lending.RoleUnderwriter, PasswordHash: "h1", Active: true}
		require.NoError(t, s.UpsertStaff(ctx, st))
		id := st.ID

		// Update by username: fields change, an empty hash keeps the old.
		st2 := &Staff{Username: "ana", Name: "Ana M.", Role: lending.RoleOperations, Active: false}
		require.NoError(t, s.UpsertStaff(ctx, st2))
		require.Equal(t, id, st2.ID)
		got, err := s.StaffByUsername(ctx, "ana")
		require.NoError(t, err)
		require.Equal(t, "Ana M.", got.Name)
		require.Equal(t, lending.RoleOperations, got.Role)
		require.False(t, got.Active)
		require.Equal(t, "h1", got.PasswordHash)

		_, err = s.StaffByUsername(ctx, "nobody")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.PartnerByUsername(ctx, "nobody")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.GetProduct(ctx, "nothing")
		require.ErrorIs(t, err, ErrNotFound)

		p := DevProducts()[0]
		require.NoError(t, s.UpsertProduct(ctx, &p))
		p.MaxAmount = dec("75000.5")
		p.Active = false
		require.NoError(t, s.UpsertProduct(ctx, &p))
		prod, err := s.GetProduct(ctx, "consumer")
		require.NoError(t, err)
		require.Equal(t, p.ID, prod.ID)
		require.Equal(t, "75000.5", prod.MaxAmount.String())
		require.False(t, prod.Active)

		for _, name := range []string{"zeta", "alpha"} {
			createPartner(t, s, name)
		}
		partners, err := s.ListPartners(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"alpha", "zeta"}, []string{partners[0].Username, partners[1].Username})
	})
}
