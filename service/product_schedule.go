package service

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
)

// scheduleFields are a product's schedule settings as the admin API and
// the audit log name them: the engine's `loanflow schedule` names, but for
// the currency's in-multiples-of, which a product has beside its currency.
func scheduleFields(s lending.Schedule) [][2]string {
	i, i64 := strconv.Itoa, func(n int64) string { return strconv.FormatInt(n, 10) }
	return [][2]string{
		{"interest_method", s.InterestMethod}, {"amortization", s.Amortization},
		{"interest_calculation_period", s.InterestCalculationPeriod},
		{"allow_partial_period_interest", strconv.FormatBool(s.AllowPartialPeriodInterest)},
		{"days_in_year", s.DaysInYear}, {"days_in_month", s.DaysInMonth}, {"repayment_every", i(s.RepaymentEvery)},
		{"grace_on_principal", i(s.GraceOnPrincipal)}, {"grace_on_interest_payment", i(s.GraceOnInterestPayment)},
		{"grace_on_interest_charged", i(s.GraceOnInterestCharged)}, {"rounding_mode", s.RoundingMode},
		{"installment_in_multiples_of", i64(s.InstallmentInMultiplesOf)},
		{"currency_in_multiples_of", i64(s.CurrencyInMultiplesOf)}, {"engine", s.Engine},
	}
}

// checkSchedule checks the product's schedule settings. The engine's own
// validation (schedule.Terms.Validate, the rule `loanflow schedule` applies
// too) judges them, on the terms of the product's smallest, shortest loan;
// what it cannot know is checked here: every term at the ends of the range
// is a whole number of repayment periods, and a product booked in a ledger
// keeps the schedule the booking sends.
func checkSchedule(p *models.Product, today time.Time, errs *failure.FieldErrors) {
	add := func(field, format string, args ...any) {
		if !errs.Has(field) {
			errs.Add(field, format, args...)
		}
	}
	sc := p.Schedule
	switch every := sc.RepaymentEvery; {
	case every < 1 || every > 600:
		add("repayment_every", "a whole number of months from 1 to 600")
	case !errs.Has("min_term_months") && !errs.Has("max_term_months") &&
		(p.MinTermMonths%every != 0 || p.MaxTermMonths%every != 0):
		add("repayment_every", "must divide the minimum and maximum terms (%d and %d months): a term is a whole number of repayment periods",
			p.MinTermMonths, p.MaxTermMonths)
	}
	if sc.CurrencyInMultiplesOf != 0 && p.CurrencyDecimals != 0 {
		add("currency_in_multiples_of", "applies only to a currency without decimals (currency_decimals 0); 0 for none")
	}
	// Without whole periods the terms' number of repayments means nothing.
	if !errs.Has("repayment_every") {
		shortest := termsProbe{p.MinAmount, p.MinTermMonths, "min"}
		terms := p.Snapshot().Terms(shortest.amount, shortest.months, today)
		if ve := (*schedule.ValidationError)(nil); errors.As(terms.Validate(), &ve) {
			for _, pr := range ve.Problems {
				field, msg := shortest.name(pr, terms)
				add(field, "%s", msg)
			}
		}
	}
	if p.Ledger.Books() {
		want := scheduleFields(lending.Schedule{}.Normalized())
		for i, f := range scheduleFields(sc.Normalized()) {
			if f[1] != want[i][1] {
				add(f[0], "must be %s: loans of a product booked in %s are booked as a monthly declining-balance annuity with the ledger product's settings",
					want[i][1], p.Ledger)
			}
		}
	}
}

// termsProbe is a trial loan at one end of the product's ranges.
type termsProbe struct {
	amount decimal.Decimal
	months int
	end    string // min | max
}

// name is the product field and message of a problem the engine found in
// the probe's terms t: the engine names its own fields, which a product
// mostly shares.
func (pr termsProbe) name(p schedule.Problem, t schedule.Terms) (string, string) {
	msg := strings.ReplaceAll(p.Message, "number_of_repayments",
		fmt.Sprintf("the %d repayments of a %d-month loan", t.NumberOfRepayments, pr.months))
	switch field := p.Field; {
	case field == "principal":
		return pr.end + "_amount", msg
	case field == "number_of_repayments":
		return pr.end + "_term_months", msg
	case field == "interest_rate":
		return "annual_interest_rate", msg
	case field == "currency.decimal_places":
		return "currency_decimals", msg
	case field == "currency.in_multiples_of":
		return "currency_in_multiples_of", msg
	case field == "fees":
		return "disbursement_fee_percent", msg
	case strings.HasPrefix(field, "fees["):
		var i int
		if _, err := fmt.Sscanf(field, "fees[%d]", &i); err == nil && i < len(t.Fees) && t.Fees[i].Type == schedule.FeeMonthly {
			return "monthly_fee_percent", msg
		}
		return "disbursement_fee_percent", msg
	default:
		return field, msg
	}
}
