package agreement

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// validate refuses agreements that would print a wrong or half-empty legal
// document. The schedule checks mirror how schedule.Schedule builds its
// totals (sums of the period columns), so an agreement built from a schedule
// always passes, while one whose summary contradicts its own table does not.
func (a Agreement) validate() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if a.Ref <= 0 {
		bad("ref must be positive")
	}
	for _, d := range []struct {
		name string
		zero bool
	}{
		{"date", a.Date.IsZero()},
		{"birth date", a.BirthDate.IsZero()},
		{"first repayment date", a.FirstRepaymentDate.IsZero()},
	} {
		if d.zero {
			bad("%s is required", d.name)
		}
	}
	for _, f := range []struct {
		name, value string
		required    bool
	}{
		{"lender", a.Lender, true},
		{"partner", a.Partner, true},
		{"office", a.Office, true},
		{"borrower name", a.BorrowerName, true},
		{"identity number", a.IdentityNumber, true},
		{"address", a.Address, true},
		{"phone", a.Phone, false},
	} {
		if f.required && strings.TrimSpace(f.value) == "" {
			bad("%s is required", f.name)
		}
		if err := printable(f.value); err != nil {
			bad("%s: %v", f.name, err)
		}
	}
	if !isCurrencyCode(a.Currency) {
		bad("currency %q is not a three-letter ISO 4217 code", a.Currency)
	}
	if !a.Amount.IsPositive() {
		bad("amount must be positive")
	}
	if a.TermMonths <= 0 {
		bad("term must be at least one month")
	}
	for _, v := range []struct {
		name  string
		value decimal.Decimal
	}{
		{"annual interest rate", a.AnnualInterestRate},
		{"disbursement fee", a.DisbursementFee},
		{"monthly fee", a.MonthlyFee},
		{"APR", a.APR},
		{"total interest", a.TotalInterest},
		{"total fees", a.TotalFees},
	} {
		if v.value.IsNegative() {
			bad("%s must not be negative", v.name)
		}
	}
	// The policy's own rules, so the agreement never states terms the loan
	// could not run under.
	for _, p := range a.Servicing.Validate() {
		bad("servicing %s %s", p.Field, p.Message)
	}
	problems = append(problems, a.Schedule.problems(a.TermMonths, len(a.Installments))...)
	problems = append(problems, a.scheduleProblems()...)
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidAgreement, strings.Join(problems, "; "))
	}
	return nil
}

func (a Agreement) scheduleProblems() []string {
	if len(a.Installments) == 0 {
		return []string{"the repayment schedule has no installments"}
	}
	var problems []string
	principal, interest, total := decimal.Zero, decimal.Zero, decimal.Zero
	for i, in := range a.Installments {
		if in.Number != i+1 {
			problems = append(problems, fmt.Sprintf("installment %d is numbered %d", i+1, in.Number))
		}
		if in.DueDate.IsZero() {
			problems = append(problems, fmt.Sprintf("installment %d has no due date", i+1))
		} else if i > 0 && in.DueDate.Before(a.Installments[i-1].DueDate) {
			problems = append(problems, fmt.Sprintf("installment %d is due before installment %d", i+1, i))
		}
		if in.Principal.IsNegative() || in.Interest.IsNegative() || in.Fees.IsNegative() {
			problems = append(problems, fmt.Sprintf("installment %d has a negative amount", i+1))
		}
		if sum := in.Principal.Add(in.Interest).Add(in.Fees); !sum.Equal(in.Total) {
			problems = append(problems, fmt.Sprintf("installment %d total %s is not principal+interest+fees %s", i+1, in.Total, sum))
		}
		principal = principal.Add(in.Principal)
		interest = interest.Add(in.Interest)
		total = total.Add(in.Total)
	}
	for _, c := range []struct {
		name          string
		sum, expected decimal.Decimal
	}{
		{"principal", principal, a.Amount},
		{"interest", interest, a.TotalInterest},
		{"total", total, a.TotalRepayable},
	} {
		if !c.sum.Equal(c.expected) {
			problems = append(problems, fmt.Sprintf("schedule %s sums to %s, agreement states %s", c.name, c.sum, c.expected))
		}
	}
	return problems
}

var (
	errControl = errors.New("contains a control character")
	errAstral  = errors.New("contains a character outside the Basic Multilingual Plane")
)

// printable rejects what the PDF cannot show: control characters would break
// the layout, and fpdf's UTF-8 fonts address glyphs by 16-bit code, so a
// character beyond U+FFFF (an emoji in a name) has no way to be drawn.
func printable(s string) error {
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return errControl
		case r > 0xFFFF:
			return errAstral
		}
	}
	return nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
