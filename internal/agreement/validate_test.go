package agreement

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestRenderRejectsInvalidAgreements(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name    string
		change  func(a *Agreement)
		message string
	}{
		{"no ref", func(a *Agreement) { a.Ref = 0 }, "ref must be positive"},
		{"no date", func(a *Agreement) { a.Date = time.Time{} }, "date is required"},
		{"no birth date", func(a *Agreement) { a.BirthDate = time.Time{} }, "birth date is required"},
		{"no first repayment date", func(a *Agreement) { a.FirstRepaymentDate = time.Time{} }, "first repayment date is required"},
		{"blank lender", func(a *Agreement) { a.Lender = "  " }, "lender is required"},
		{"no partner", func(a *Agreement) { a.Partner = "" }, "partner is required"},
		{"no office", func(a *Agreement) { a.Office = "" }, "office is required"},
		{"no borrower", func(a *Agreement) { a.BorrowerName = "" }, "borrower name is required"},
		{"no identity number", func(a *Agreement) { a.IdentityNumber = "" }, "identity number is required"},
		{"no address", func(a *Agreement) { a.Address = "" }, "address is required"},
		{"control character", func(a *Agreement) { a.Address = "Main St\n12" }, "address: contains a control character"},
		{"emoji", func(a *Agreement) { a.BorrowerName = "John 😀" }, "borrower name: contains a character outside"},
		{"lower-case currency", func(a *Agreement) { a.Currency = "mkd" }, "currency \"mkd\""},
		{"long currency", func(a *Agreement) { a.Currency = "MKDD" }, "ISO 4217"},
		{"zero amount", func(a *Agreement) { a.Amount = decimal.Zero }, "amount must be positive"},
		{"no term", func(a *Agreement) { a.TermMonths = 0 }, "term must be at least one month"},
		{"negative rate", func(a *Agreement) { a.AnnualInterestRate = d("-1") }, "annual interest rate must not be negative"},
		{"negative fee", func(a *Agreement) { a.MonthlyFee = d("-0.01") }, "monthly fee must not be negative"},
		{"negative APR", func(a *Agreement) { a.APR = d("-5") }, "APR must not be negative"},
		{"no installments", func(a *Agreement) { a.Installments = nil }, "no installments"},
		{"misnumbered", func(a *Agreement) { a.Installments[1].Number = 5 }, "installment 2 is numbered 5"},
		{"no due date", func(a *Agreement) { a.Installments[2].DueDate = time.Time{} }, "installment 3 has no due date"},
		{"dates out of order", func(a *Agreement) {
			a.Installments[1].DueDate = a.Installments[0].DueDate.AddDate(0, 0, -1)
		}, "installment 2 is due before installment 1"},
		{"row total wrong", func(a *Agreement) {
			a.Installments[0].Total = a.Installments[0].Total.Add(d("0.01"))
		}, "installment 1 total"},
		{"negative part", func(a *Agreement) {
			a.Installments[0].Fees = d("-15")
			a.Installments[0].Total = a.Installments[0].Principal.Add(a.Installments[0].Interest).Add(d("-15"))
		}, "installment 1 has a negative amount"},
		{"principal does not add up", func(a *Agreement) { a.Amount = a.Amount.Add(d("1")) }, "schedule principal sums to 12500"},
		{"interest does not add up", func(a *Agreement) { a.TotalInterest = d("1") }, "schedule interest sums to"},
		{"total does not add up", func(a *Agreement) { a.TotalRepayable = d("1") }, "schedule total sums to"},
		{"negative early-repayment fee", func(a *Agreement) { a.Servicing.EarlyRepaymentFeePercent = d("-1") }, "servicing early_repayment_fee_percent must not be negative"},
		{"negative late fee", func(a *Agreement) { a.Servicing.LateFee = d("-50") }, "servicing late_fee must not be negative"},
		{"negative penalty rate", func(a *Agreement) { a.Servicing.PenaltyRate = d("-36") }, "servicing penalty_rate must not be negative"},
		{"negative penalty cap", func(a *Agreement) { a.Servicing.PenaltyCapPercent = d("-20") }, "servicing penalty_cap_percent must not be negative"},
		{"negative grace days", func(a *Agreement) { a.Servicing.PenaltyGraceDays = -3 }, "servicing penalty_grace_days must be between 0 and"},
		{"unknown allocation order", func(a *Agreement) { a.Servicing.AllocationOrder = "fees_first" }, "servicing allocation_order must be one of"},
		{"unknown prepayment strategy", func(a *Agreement) { a.Servicing.PrepaymentStrategy = "skip" }, "servicing prepayment_strategy must be one of"},
		{"unknown interest method", func(a *Agreement) { a.Schedule.InterestMethod = "compound" }, `schedule interest_method "compound" must be one of declining_balance, flat`},
		{"unknown amortization", func(a *Agreement) { a.Schedule.Amortization = "balloon" }, `schedule amortization "balloon" must be one of equal_installments, equal_principal`},
		{"unknown interest calculation", func(a *Agreement) { a.Schedule.InterestCalculation = "hourly" }, `schedule interest_calculation_period "hourly" must be one of same_as_repayment, daily`},
		{"negative repayment every", func(a *Agreement) { a.Schedule.RepaymentEvery = -2 }, "schedule repayment_every must be a whole number of months"},
		{"term not whole periods", func(a *Agreement) { a.Schedule.RepaymentEvery = 5 }, "schedule repayment_every 5 does not divide the term of 6 months"},
		{"negative grace", func(a *Agreement) { a.Schedule.GraceOnPrincipal = -1 }, "schedule grace_on_principal must be between 0 and 5"},
		{"grace over every installment", func(a *Agreement) { a.Schedule.GraceOnInterestPayment = 6 }, "schedule grace_on_interest_payment must be between 0 and 5"},
		{"interest grace over every installment", func(a *Agreement) { a.Schedule.GraceOnInterestCharged = 6 }, "schedule grace_on_interest_charged must be between 0 and 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleAgreement("John Smith", 6)
			require.NoError(t, a.validate(), "the fixture itself must be valid")
			tt.change(&a)
			doc, err := Render("eng", a)
			require.ErrorIs(t, err, ErrInvalidAgreement)
			require.ErrorContains(t, err, tt.message)
			require.Nil(t, doc)
		})
	}
}

// A language problem is reported before a content problem: the caller's
// language parameter is checked first.
func TestRenderChecksLanguageFirst(t *testing.T) {
	_, err := Render("xxx", Agreement{})
	require.ErrorIs(t, err, ErrUnknownLanguage)
	require.NotErrorIs(t, err, ErrInvalidAgreement)
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Agreement{}.validate()
	require.ErrorIs(t, err, ErrInvalidAgreement)
	for _, msg := range []string{"ref must be positive", "lender is required", "amount must be positive", "no installments"} {
		require.ErrorContains(t, err, msg)
	}
}

// A phone number is optional; a blank one is fine.
func TestValidateAllowsMissingPhoneAndZeroFees(t *testing.T) {
	a := sampleAgreement("John Smith", 6)
	a.Phone = ""
	a.DisbursementFee = decimal.Zero
	a.AnnualInterestRate = decimal.Zero
	require.NoError(t, a.validate())
}
