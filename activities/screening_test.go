package activities_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/pricing"
)

func consumer() pricing.Product {
	return pricing.Product{
		Code: "consumer", Currency: "MDL", CurrencyDecimals: 2,
		MinAmount: decimal.RequireFromString("1000"), MaxAmount: decimal.RequireFromString("50000"),
		MinTermMonths: 3, MaxTermMonths: 36, AnnualInterestRate: decimal.RequireFromString("36"),
		MinAge: 18, MaxAgeAtMaturity: 70, MaxOpenLoans: 2, CashReleaseWindowDays: 30,
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAutoRejectRules(t *testing.T) {
	good := activities.ScreenInput{
		Ref: 90000, Product: consumer(), Amount: decimal.RequireFromString("2000"), TermMonths: 6,
		IdentityNumber: "I12356789T", BirthDate: date("1990-01-01"), MobilePhone: "0123456789",
		HomePhone: "012345678", AltContactPhone: "0987654321", SubmittedAt: date("2026-03-10"),
	}
	for _, tc := range []struct {
		name  string
		edit  func(*activities.ScreenInput)
		open  int64
		codes []string
	}{
		{"a good application passes", func(*activities.ScreenInput) {}, 0, []string{}},
		{"17 the day before the 18th birthday", func(in *activities.ScreenInput) { in.BirthDate = date("2008-03-11") }, 0, []string{activities.ReasonUnderAge}},
		{"18 on the birthday", func(in *activities.ScreenInput) { in.BirthDate = date("2008-03-10") }, 0, []string{}},
		{"70 at maturity is allowed", func(in *activities.ScreenInput) { in.BirthDate = date("1956-09-10") }, 0, []string{}},
		{"71 at maturity is not", func(in *activities.ScreenInput) { in.BirthDate = date("1955-09-10") }, 0, []string{activities.ReasonOverAgeAtMaturity}},
		{"amount below the range", func(in *activities.ScreenInput) { in.Amount = decimal.RequireFromString("999.99") }, 0, []string{activities.ReasonAmountOutOfRange}},
		{"amount above the range", func(in *activities.ScreenInput) { in.Amount = decimal.RequireFromString("50000.01") }, 0, []string{activities.ReasonAmountOutOfRange}},
		{"amount on the bounds", func(in *activities.ScreenInput) { in.Amount = decimal.RequireFromString("50000") }, 0, []string{}},
		{"term too short", func(in *activities.ScreenInput) { in.TermMonths = 2 }, 0, []string{activities.ReasonTermOutOfRange}},
		{"term too long", func(in *activities.ScreenInput) { in.TermMonths = 37 }, 0, []string{activities.ReasonTermOutOfRange}},
		{"13-digit personal code", func(in *activities.ScreenInput) { in.IdentityNumber = "2001234567890" }, 0, []string{}},
		{"malformed identity number", func(in *activities.ScreenInput) { in.IdentityNumber = "12356789" }, 0, []string{activities.ReasonInvalidIdentity}},
		{"mobile without the leading 0", func(in *activities.ScreenInput) { in.MobilePhone = "1234567890" }, 0, []string{activities.ReasonInvalidMobilePhone}},
		{"home phone too long", func(in *activities.ScreenInput) { in.HomePhone = "0123456789" }, 0, []string{activities.ReasonInvalidHomePhone}},
		{"alternative contact phone with letters", func(in *activities.ScreenInput) { in.AltContactPhone = "09876abcde" }, 0, []string{activities.ReasonInvalidAltPhone}},
		{"one open loan is fine", func(*activities.ScreenInput) {}, 1, []string{}},
		{"the maximum of open loans reached", func(*activities.ScreenInput) {}, 2, []string{activities.ReasonTooManyOpenLoans}},
		{"every problem at once", func(in *activities.ScreenInput) {
			in.BirthDate, in.Amount, in.TermMonths, in.IdentityNumber, in.MobilePhone = date("2010-01-01"), decimal.NewFromInt(1), 1, "x", "x"
		}, 5, []string{activities.ReasonUnderAge, activities.ReasonAmountOutOfRange, activities.ReasonTermOutOfRange,
			activities.ReasonInvalidIdentity, activities.ReasonInvalidMobilePhone, activities.ReasonTooManyOpenLoans}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.edit(&in)
			require.Equal(t, tc.codes, activities.Rules(in, tc.open))
		})
	}
}
