package lending_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

func consumer() lending.Product {
	return lending.Product{
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
	good := lending.Application{
		Product: consumer(), Amount: decimal.RequireFromString("2000"), TermMonths: 6,
		IdentityNumber: "I12356789T", BirthDate: date("1990-01-01"), MobilePhone: "0123456789",
		HomePhone: "012345678", AltContactPhone: "0987654321", SubmittedAt: date("2026-03-10"),
	}
	for _, tc := range []struct {
		name  string
		edit  func(*lending.Application)
		open  int64
		codes []string
	}{
		{"a good application passes", func(*lending.Application) {}, 0, []string{}},
		{"17 the day before the 18th birthday", func(in *lending.Application) { in.BirthDate = date("2008-03-11") }, 0, []string{lending.ReasonUnderAge}},
		{"18 on the birthday", func(in *lending.Application) { in.BirthDate = date("2008-03-10") }, 0, []string{}},
		{"70 at maturity is allowed", func(in *lending.Application) { in.BirthDate = date("1956-09-10") }, 0, []string{}},
		{"71 at maturity is not", func(in *lending.Application) { in.BirthDate = date("1955-09-10") }, 0, []string{lending.ReasonOverAgeAtMaturity}},
		{"amount below the range", func(in *lending.Application) { in.Amount = decimal.RequireFromString("999.99") }, 0, []string{lending.ReasonAmountOutOfRange}},
		{"amount above the range", func(in *lending.Application) { in.Amount = decimal.RequireFromString("50000.01") }, 0, []string{lending.ReasonAmountOutOfRange}},
		{"amount on the bounds", func(in *lending.Application) { in.Amount = decimal.RequireFromString("50000") }, 0, []string{}},
		{"term too short", func(in *lending.Application) { in.TermMonths = 2 }, 0, []string{lending.ReasonTermOutOfRange}},
		{"term too long", func(in *lending.Application) { in.TermMonths = 37 }, 0, []string{lending.ReasonTermOutOfRange}},
		{"term not a whole number of repayment periods", func(in *lending.Application) {
			in.Product.Schedule.RepaymentEvery, in.TermMonths = 4, 6
		}, 0, []string{lending.ReasonTermOutOfRange}},
		{"term of whole repayment periods", func(in *lending.Application) {
			in.Product.Schedule.RepaymentEvery, in.TermMonths = 3, 6
		}, 0, []string{}},
		{"13-digit personal code", func(in *lending.Application) { in.IdentityNumber = "2001234567890" }, 0, []string{}},
		{"malformed identity number", func(in *lending.Application) { in.IdentityNumber = "12356789" }, 0, []string{lending.ReasonInvalidIdentity}},
		{"mobile without the leading 0", func(in *lending.Application) { in.MobilePhone = "1234567890" }, 0, []string{lending.ReasonInvalidMobilePhone}},
		{"home phone too long", func(in *lending.Application) { in.HomePhone = "0123456789" }, 0, []string{lending.ReasonInvalidHomePhone}},
		{"alternative contact phone with letters", func(in *lending.Application) { in.AltContactPhone = "09876abcde" }, 0, []string{lending.ReasonInvalidAltPhone}},
		{"one open loan is fine", func(*lending.Application) {}, 1, []string{}},
		{"the maximum of open loans reached", func(*lending.Application) {}, 2, []string{lending.ReasonTooManyOpenLoans}},
		{"every problem at once", func(in *lending.Application) {
			in.BirthDate, in.Amount, in.TermMonths, in.IdentityNumber, in.MobilePhone = date("2010-01-01"), decimal.NewFromInt(1), 1, "x", "x"
		}, 5, []string{lending.ReasonUnderAge, lending.ReasonAmountOutOfRange, lending.ReasonTermOutOfRange,
			lending.ReasonInvalidIdentity, lending.ReasonInvalidMobilePhone, lending.ReasonTooManyOpenLoans}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.edit(&in)
			require.Equal(t, tc.codes, lending.Screen(in, tc.open))
		})
	}
}
