package agreement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/loanflow/loanflow/schedule"
)

// The values a Schedule may hold; an empty one is the first, the engine's
// default. They index a language's texts.
var (
	interestMethods      = [2]string{schedule.InterestDecliningBalance, schedule.InterestFlat}
	amortizations        = [2]string{schedule.AmortizationEqualInstallments, schedule.AmortizationEqualPrincipal}
	interestCalculations = [2]string{schedule.InterestPeriodSameAsRepayment, schedule.InterestPeriodDaily}
)

// choice is the index of v among values, the default for empty; -1 when
// it is unknown (validate refuses that).
func choice(values [2]string, v string) int {
	if v == "" {
		return 0
	}
	return slices.Index(values[:], v)
}

// every is the months between installments.
func (s Schedule) every() int { return max(s.RepaymentEvery, 1) }

// scheduleTerms are the placeholders of the clauses' schedule sentences,
// chosen by the product's settings. A monthly declining-balance annuity
// without grace adds nothing, so its clauses read as they always have.
func scheduleTerms(l *language, a Agreement, monthlyFee string) []string {
	s := a.Schedule
	often := 0
	if s.every() > 1 {
		often = 1
	}
	method := max(choice(interestMethods, s.InterestMethod), 0)
	every := l.every(s.every(), l.months(s.every()))
	fill := strings.NewReplacer("{every}", every, "{monthlyFee}", monthlyFee).Replace

	var interest, repayment []string
	if choice(interestCalculations, s.InterestCalculation) == 1 {
		interest = append(interest, l.dailyInterest)
	}
	interest = appendGrace(interest, l, l.graceOnInterestCharged, s.GraceOnInterestCharged)
	interest = appendGrace(interest, l, l.graceOnInterestPayment, s.GraceOnInterestPayment)
	if choice(amortizations, s.Amortization) == 1 {
		repayment = append(repayment, l.equalPrincipal[method])
	}
	repayment = appendGrace(repayment, l, l.graceOnPrincipal, s.GraceOnPrincipal)
	return []string{
		"{every}", every,
		"{interestBase}", l.interestBase[method],
		"{installmentsIncluded}", fill(l.installmentsIncluded[often]),
		"{installmentsRepaid}", fill(l.installmentsRepaid[often]),
		"{administrationFee}", fill(l.administrationFee[often]),
		"{interestTerms}", sentences(interest),
		"{repaymentTerms}", sentences(repayment),
	}
}

// appendGrace adds the sentence on a grace of n installments, if any: the
// first text for one installment, the second for {grace}, the first n.
func appendGrace(to []string, l *language, texts [2]string, n int) []string {
	switch {
	case n <= 0:
		return to
	case n == 1:
		return append(to, texts[0])
	default:
		return append(to, strings.ReplaceAll(texts[1], "{grace}", l.firstInstallments(n)))
	}
}

// sentences are extra sentences following one of a clause's, each after a
// space; none leave the clause as it was.
func sentences(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return " " + strings.Join(s, " ")
}

// monthlyFeeLabel is the main terms' name of the fee charged with every
// installment: monthly only when installments are.
func (l *language) monthlyFeeLabel(s Schedule) string {
	if s.every() > 1 {
		return l.installmentFee
	}
	return l.monthlyFee
}

// problems are the settings the clauses could not state truthfully, each
// naming its field: unknown values, and a term or grace the loan's
// installments do not have.
func (s Schedule) problems(termMonths, installments int) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, c := range []struct {
		field, value string
		values       [2]string
	}{
		{"interest_method", s.InterestMethod, interestMethods},
		{"amortization", s.Amortization, amortizations},
		{"interest_calculation_period", s.InterestCalculation, interestCalculations},
	} {
		if choice(c.values, c.value) < 0 {
			bad("schedule %s %q must be one of %s", c.field, c.value, strings.Join(c.values[:], ", "))
		}
	}
	if s.RepaymentEvery < 0 {
		bad("schedule repayment_every must be a whole number of months, at least 1")
	} else if termMonths > 0 && termMonths%s.every() != 0 {
		bad("schedule repayment_every %d does not divide the term of %d months", s.every(), termMonths)
	}
	for _, g := range []struct {
		field string
		n     int
	}{
		{"grace_on_principal", s.GraceOnPrincipal},
		{"grace_on_interest_payment", s.GraceOnInterestPayment},
		{"grace_on_interest_charged", s.GraceOnInterestCharged},
	} {
		if g.n < 0 || g.n >= max(installments, 1) {
			bad("schedule %s must be between 0 and %d, fewer than the installments", g.field, max(installments-1, 0))
		}
	}
	return problems
}
