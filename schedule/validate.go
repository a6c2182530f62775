package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Problem is one invalid field; Field is the JSON contract's field name (with an index for list items).
type Problem struct {
	Field   string
	Message string
}

// ValidationError lists every invalid field of a request, so a caller can fix them all at once.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid loan terms: " + strings.Join(parts, "; ")
}

// Add records a problem; callers decoding JSON use it to merge their own problems with Validate's.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Limits that keep a request computable in bounded time and memory; no consumer loan comes near them.
const (
	MaxRepayments    = 1200
	MaxRepaymentGap  = 1000
	MaxDecimalPlaces = 6
	maxRateDigits    = 28
	minYear          = 1900
	maxYear          = 9999
)

var (
	maxPrincipal = decimal.New(1, 15)
	maxRatePct   = decimal.New(1, 4)
)

// Validate checks the terms after Normalize and returns a *ValidationError naming every bad field, or nil.
func (t Terms) Validate() error {
	n := t.Normalize()
	return n.validate(newRounder(n))
}

// validate checks normalized terms.
func (n Terms) validate(r rounder) error {
	v := &ValidationError{}
	if len(n.Disbursements) > 0 {
		for i, d := range n.Disbursements {
			f := fmt.Sprintf("disbursements[%d]", i)
			checkDate(v, f+".date", d.Date)
			if !d.Amount.IsPositive() {
				v.Add(f+".amount", "must be greater than zero")
			} else if places := n.Currency.DecimalPlaces; !d.Amount.Equal(d.Amount.Truncate(places)) {
				v.Add(f+".amount", "has more than the currency's %d decimal places", places)
			} else if d.Amount.GreaterThan(maxPrincipal) {
				v.Add(f+".amount", "must be less than %s", maxPrincipal)
			}
			if i > 0 && d.Date.Before(n.Disbursements[i-1].Date) {
				v.Add(f+".date", "must not be before the previous disbursement")
			}
		}
		// Fineract refuses a multi-disbursement loan whose interest is charged by whole periods
		// (LoanApplicationValidator#validatePartialPeriodSupport): its generator would charge a whole
		// period's interest on each part of a period split by a tranche. Without interest nothing
		// depends on it.
		if len(n.Disbursements) > 1 && n.Engine == EngineCumulative && n.InterestRate.IsPositive() &&
			n.InterestCalculationPeriod == InterestPeriodSameAsRepayment && !n.AllowPartialPeriodInterest {
			v.Add("disbursements", "several disbursements with interest on the cumulative engine need interest_calculation_period daily or allow_partial_period_interest")
		}
	} else {
		if !n.Principal.IsPositive() {
			v.Add("principal", "must be greater than zero")
		} else if places := n.Currency.DecimalPlaces; !n.Principal.Equal(n.Principal.Truncate(places)) {
			v.Add("principal", "has more than the currency's %d decimal places", places)
		} else if n.Principal.GreaterThan(maxPrincipal) {
			v.Add("principal", "must be less than %s", maxPrincipal)
		}
		checkDate(v, "disbursement_date", n.DisbursementDate)
	}
	if n.NumberOfRepayments < 1 || n.NumberOfRepayments > MaxRepayments {
		v.Add("number_of_repayments", "must be between 1 and %d", MaxRepayments)
	}
	if n.RepaymentEvery < 1 || n.RepaymentEvery > MaxRepaymentGap {
		v.Add("repayment_every", "must be between 1 and %d", MaxRepaymentGap)
	}
	switch n.RepaymentFrequency {
	case Days, Weeks, Months, Years:
	default:
		v.Add("repayment_frequency", "must be one of days, weeks, months, years")
	}
	if n.InterestRate.IsNegative() {
		v.Add("interest_rate", "must not be negative")
	} else if n.InterestRate.GreaterThan(maxRatePct) {
		v.Add("interest_rate", "must not exceed %s", maxRatePct)
	} else if -n.InterestRate.Exponent() > maxRateDigits {
		v.Add("interest_rate", "has more than %d decimal places", maxRateDigits)
	}
	switch n.InterestRateFrequency {
	case Months, Years:
	default:
		v.Add("interest_rate_frequency", "must be months or years")
	}
	oneOf(v, "interest_method", n.InterestMethod, InterestDecliningBalance, InterestFlat)
	oneOf(v, "amortization", n.Amortization, AmortizationEqualInstallments, AmortizationEqualPrincipal)
	oneOf(v, "interest_calculation_period", n.InterestCalculationPeriod, InterestPeriodSameAsRepayment, InterestPeriodDaily)
	oneOf(v, "days_in_year", n.DaysInYear, DaysActual, Days360, Days364, Days365)
	oneOf(v, "days_in_month", n.DaysInMonth, DaysActual, Days30)
	oneOf(v, "rounding_mode", n.RoundingMode, RoundHalfEven, RoundHalfUp, RoundDown, RoundUp)
	oneOf(v, "engine", n.Engine, EngineCumulative, EngineProgressive)
	if n.Engine == EngineProgressive && n.RepaymentFrequency == Years {
		v.Add("repayment_frequency", "years is not available with the progressive engine")
	}
	checkGrace(v, "grace_on_principal", n.GraceOnPrincipal, n.NumberOfRepayments)
	checkGrace(v, "grace_on_interest_payment", n.GraceOnInterestPayment, n.NumberOfRepayments)
	checkGrace(v, "grace_on_interest_charged", n.GraceOnInterestCharged, n.NumberOfRepayments)
	if n.Engine == EngineProgressive && (n.GraceOnPrincipal > 0 || n.GraceOnInterestPayment > 0 || n.GraceOnInterestCharged > 0) {
		v.Add("engine", "grace periods are only available with the cumulative engine")
	}
	if n.Currency.DecimalPlaces < 0 || n.Currency.DecimalPlaces > MaxDecimalPlaces {
		v.Add("currency.decimal_places", "must be between 0 and %d", MaxDecimalPlaces)
	}
	if n.Currency.InMultiplesOf < 0 || n.Currency.InMultiplesOf > 1_000_000 {
		v.Add("currency.in_multiples_of", "must be between 0 and 1000000")
	}
	if n.InstallmentInMultiplesOf < 0 || n.InstallmentInMultiplesOf > 1_000_000 {
		v.Add("installment_in_multiples_of", "must be between 0 and 1000000")
	}
	if n.FirstRepaymentDate != nil {
		checkDate(v, "first_repayment_date", *n.FirstRepaymentDate)
	}
	if n.ScheduleStartDate != nil {
		checkDate(v, "schedule_start_date", *n.ScheduleStartDate)
	}
	if n.FirstRepaymentDate != nil && !n.DisbursementDate.IsZero() && !n.FirstRepaymentDate.After(n.DisbursementDate) {
		v.Add("first_repayment_date", "must be after the disbursement date")
	}
	if n.ScheduleStartDate != nil && !n.DisbursementDate.IsZero() && n.ScheduleStartDate.After(n.DisbursementDate) {
		v.Add("schedule_start_date", "must not be after the disbursement date")
	}
	if p := n.DownPaymentPercent; p != nil {
		if p.IsNegative() || p.GreaterThanOrEqual(decimal.NewFromInt(100)) {
			v.Add("down_payment_percent", "must be at least 0 and less than 100")
		}
	}
	if p := n.FixedPrincipalPercentage; p != nil {
		if !p.IsPositive() || p.GreaterThan(decimal.NewFromInt(100)) {
			v.Add("fixed_principal_percentage", "must be greater than 0 and at most 100")
		}
		if n.Engine != EngineCumulative || (n.Amortization != AmortizationEqualPrincipal && n.InterestMethod != InterestFlat) {
			v.Add("fixed_principal_percentage", "needs the cumulative engine with equal_principal or flat interest")
		}
	}
	disbursementFees := 0
	for i, f := range n.Fees {
		field := fmt.Sprintf("fees[%d]", i)
		switch f.Type {
		case FeeDisbursement:
			disbursementFees++
		case FeeMonthly:
			if f.Deducted {
				v.Add(field+".deducted", "only a disbursement fee can be deducted")
			}
		default:
			v.Add(field+".type", "must be disbursement or monthly")
		}
		oneOf(v, field+".calculation", f.Calculation, FeeFlat, FeePercentOfPrincipal)
		if f.Amount.IsNegative() {
			v.Add(field+".amount", "must not be negative")
		} else if f.Amount.GreaterThan(maxPrincipal) {
			v.Add(field+".amount", "must be less than %s", maxPrincipal)
		}
	}
	for i, d := range n.DueDates {
		checkDate(v, fmt.Sprintf("due_dates[%d]", i), d)
	}
	if len(n.DueDates) > 0 && n.FirstRepaymentDate != nil {
		v.Add("due_dates", "cannot be combined with first_repayment_date")
	}
	if e := n.FixedEMI; e != nil {
		switch {
		case !e.IsPositive():
			v.Add("fixed_emi", "must be greater than zero")
		case !e.Equal(e.Truncate(n.Currency.DecimalPlaces)):
			v.Add("fixed_emi", "has more than the currency's %d decimal places", n.Currency.DecimalPlaces)
		case e.GreaterThan(maxPrincipal):
			v.Add("fixed_emi", "must be less than %s", maxPrincipal)
		}
		if n.InterestMethod != InterestDecliningBalance || n.Amortization != AmortizationEqualInstallments {
			v.Add("fixed_emi", "needs declining_balance interest with equal_installments")
		}
		if n.DownPaymentPercent != nil || len(n.Disbursements) > 1 {
			v.Add("fixed_emi", "needs a single disbursement without down payment")
		}
	}
	if len(v.Problems) > 0 {
		return v
	}
	if disbursementFees > 0 {
		first := n.Principal
		if len(n.Disbursements) > 0 {
			first = n.Disbursements[0].Amount
		}
		if fee := disbursementFee(n, r); fee.deducted.GreaterThanOrEqual(first) {
			v.Add("fees", "deducted fees must be less than the first disbursement")
		}
	}
	if r.money(n.Principal).IsZero() {
		v.Add("principal", "rounds to zero in the currency")
	}
	if start := scheduleStart(n); len(n.DueDates) == 0 && addPeriods(start, n.RepaymentFrequency, n.RepaymentEvery*n.NumberOfRepayments).Year() > maxYear {
		v.Add("number_of_repayments", "with repayment_every %d %s runs past the year %d", n.RepaymentEvery, n.RepaymentFrequency, maxYear)
		return v
	}
	if len(n.Disbursements) == 0 && n.FirstRepaymentDate == nil && len(n.DueDates) == 0 {
		if len(v.Problems) > 0 {
			return v
		}
		return nil
	}
	spans := repaymentSpans(n, scheduleStart(n))
	if last := spans[len(spans)-1].Due; len(n.Disbursements) > 0 {
		for i, d := range n.Disbursements {
			if !utcDate(d.Date).Before(last) {
				v.Add(fmt.Sprintf("disbursements[%d].date", i), "must be before the last repayment date %s", last.Format(time.DateOnly))
			}
		}
	}
	if n.FirstRepaymentDate != nil {
		for i := 1; i < len(spans); i++ {
			if !spans[i].Due.After(spans[i].From) {
				v.Add("first_repayment_date", "gives an empty repayment period")
				break
			}
		}
	}
	for i, sp := range spans {
		if len(n.DueDates) > 0 && (!sp.Due.After(sp.From) || !sp.Due.After(utcDate(n.DisbursementDate))) {
			v.Add(fmt.Sprintf("due_dates[%d]", i), "must be after the disbursement and the previous due date")
		}
	}
	if len(v.Problems) > 0 {
		return v
	}
	return nil
}

// checkDate requires a date within the years a schedule can be printed in.
func checkDate(v *ValidationError, field string, d time.Time) {
	if d.IsZero() {
		v.Add(field, "is required")
	} else if y := d.Year(); y < minYear || y > maxYear {
		v.Add(field, "must be between the years %d and %d", minYear, maxYear)
	}
}

func oneOf(v *ValidationError, field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.Add(field, "must be one of %s", strings.Join(allowed, ", "))
}

func checkGrace(v *ValidationError, field string, grace, repayments int) {
	if grace < 0 {
		v.Add(field, "must not be negative")
	} else if repayments > 0 && grace >= repayments {
		v.Add(field, "must be less than number_of_repayments")
	}
}

// utcDate truncates to the calendar date, in UTC, which is how every date in this package is compared.
func utcDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
