package models

import (
	"context"
	"errors"
	"fmt"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/servicing"
	"github.com/shopspring/decimal"
	"gorm.io/gorm/clause"
)

// DevAccount is a login the dev seed creates, with its clear-text
// password, so `loanflow dev` can print them. Kind is "partner" or "staff".
type DevAccount struct {
	Kind     string
	Username string
	Password string
	Name     string
	Role     lending.Role // staff only
}

// DevAccounts lists the seeded logins. Dev mode only: these passwords are
// public.
func DevAccounts() []DevAccount {
	return []DevAccount{
		{Kind: "partner", Username: "demo", Password: "demo-secret", Name: "Demo Post Office"},
		{Kind: "staff", Username: "underwriter", Password: "underwriter-secret", Name: "Underwriter One", Role: lending.RoleUnderwriter},
		{Kind: "staff", Username: "underwriter2", Password: "underwriter2-secret", Name: "Underwriter Two", Role: lending.RoleUnderwriter},
		{Kind: "staff", Username: "operations", Password: "operations-secret", Name: "Operations", Role: lending.RoleOperations},
		{Kind: "staff", Username: "admin", Password: "admin-secret", Name: "Administrator", Role: lending.RoleAdmin},
	}
}

// DevProducts returns the seeded products: one consumer product booked on
// no ledger and lent by us, and the same terms routed to each provider.
func DevProducts() []Product {
	base := Product{
		Currency:               "MDL",
		CurrencyDecimals:       2,
		MinAmount:              decimal.NewFromInt(1000),
		MaxAmount:              decimal.NewFromInt(50000),
		MinTermMonths:          3,
		MaxTermMonths:          36,
		AnnualInterestRate:     decimal.NewFromInt(36),
		DisbursementFeePercent: decimal.Zero,
		MonthlyFeePercent:      decimal.Zero,
		MinAge:                 18,
		MaxAgeAtMaturity:       70,
		MaxOpenLoans:           2,
		CashReleaseWindowDays:  30,
		FourEyesThreshold:      decimal.NewFromInt(30000),
		Ledger:                 lending.LedgerNone,
		Lender:                 lending.LenderSelf,
		// Servicing: no early-repayment fee; late payments draw a 50.00
		// late fee and 36 % a year on the overdue principal after 3 days'
		// grace, at most 20 % of the principal in all.
		PrepaymentStrategy:       servicing.StrategyNextInstallments,
		AllocationOrder:          servicing.OrderPenaltiesFeesInterestPrincipal,
		EarlyRepaymentFeePercent: decimal.Zero,
		PenaltyGraceDays:         3,
		LateFee:                  decimal.NewFromInt(50),
		PenaltyRate:              decimal.NewFromInt(36),
		PenaltyCapPercent:        decimal.NewFromInt(20),
		DelinquencyBuckets:       "30,60,90",
		HolidayInterest:          servicing.HolidayFirstInstallment,
		Schedule:                 lending.Schedule{}.Normalized(),
		Active:                   true,
	}
	variants := []struct {
		code, name string
		ledger     lending.Ledger
		lender     lending.Lender
	}{
		{"consumer", "Consumer loan", lending.LedgerNone, lending.LenderSelf},
		{"fineract", "Consumer loan, booked in Fineract", lending.LedgerFineract, lending.LenderSelf},
		{"mambu", "Consumer loan, booked in Mambu", lending.LedgerMambu, lending.LenderSelf},
		{"iute", "Consumer loan, funded by Iute Credit", lending.LedgerNone, lending.LenderIute},
		{"julo", "Consumer loan, funded by JULO", lending.LedgerNone, lending.LenderJulo},
	}
	out := make([]Product, 0, len(variants))
	for _, v := range variants {
		p := base
		p.Code, p.Name, p.Ledger, p.Lender = v.code, v.name, v.ledger, v.lender
		out = append(out, p)
	}
	return out
}

// SeedDev writes the dev-mode data: the DevProducts and the DevAccounts
// (partner demo, of type "post", defaulting to product consumer). It seeds
// only what is missing, so it is repeatable and a restart of the dev stack
// keeps what was changed since: a disabled account stays disabled, an
// edited product keeps its terms, a changed password stays changed.
func (s *Store) SeedDev(ctx context.Context) error {
	for _, p := range DevProducts() {
		if err := s.insertMissing(ctx, &p); err != nil {
			return fmt.Errorf("models: seed product %s: %w", p.Code, err)
		}
	}
	for _, a := range DevAccounts() {
		if err := s.seedAccount(ctx, a); err != nil {
			return fmt.Errorf("models: seed %s %s: %w", a.Kind, a.Username, err)
		}
	}
	return nil
}

// insertMissing inserts row unless its unique key is taken.
func (s *Store) insertMissing(ctx context.Context, row any) error {
	return writeErr("seed", s.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(row).Error)
}

func (s *Store) seedAccount(ctx context.Context, a DevAccount) error {
	var err error
	switch a.Kind {
	case "partner":
		_, err = s.PartnerByUsername(ctx, a.Username)
	case "staff":
		_, err = s.StaffByUsername(ctx, a.Username)
	default:
		return fmt.Errorf("unknown account kind %q", a.Kind)
	}
	if !errors.Is(err, ErrNotFound) {
		return err // nil: the account exists and is left as it is
	}
	hash, err := HashPassword(a.Password)
	if err != nil {
		return err
	}
	if a.Kind == "partner" {
		return s.insertMissing(ctx, &Partner{
			Username: a.Username, Name: a.Name, PartnerType: "post",
			PasswordHash: hash, DefaultProductCode: "consumer", Active: true,
		})
	}
	return s.insertMissing(ctx, &Staff{
		Username: a.Username, Name: a.Name, Role: a.Role,
		PasswordHash: hash, Active: true,
	})
}
