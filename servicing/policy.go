package servicing

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// Allocation orders: the order a payment covers the components of each installment, oldest installment
// first. The names are Fineract's repayment strategies.
const (
	// OrderPenaltiesFeesInterestPrincipal is Fineract's mifos-standard strategy and loanflow's default.
	OrderPenaltiesFeesInterestPrincipal = "penalties_fees_interest_principal"
	OrderInterestPrincipalPenaltiesFees = "interest_principal_penalties_fees"
	OrderPrincipalInterestPenaltiesFees = "principal_interest_penalties_fees"
	// OrderDueFirstThenAdvance covers installments already due with penalties, fees, interest,
	// principal, and pays installments in advance principal first, then penalties, fees, interest
	// (Fineract's due-penalty-fee-interest-principal-in-advance-principal-penalty-fee-interest), so money
	// paid early shortens the debt instead of prepaying interest.
	OrderDueFirstThenAdvance = "due_first_then_advance"
)

// Prepayment strategies: what money beyond what is due does.
const (
	// StrategyNextInstallments pays the next installments in order and leaves the schedule as it is
	// (the Iute rule, loanflow's default).
	StrategyNextInstallments = "next_installments"
	// StrategyReduceInstallment repays principal and re-amortizes the rest over the same installments.
	StrategyReduceInstallment = "reduce_installment"
	// StrategyReduceTerm repays principal and keeps the installment, so fewer installments remain.
	StrategyReduceTerm = "reduce_term"
)

// Payment-holiday rules: where the interest of the deferred periods goes.
const (
	// HolidayFirstInstallment adds it to the first installment moved (the default).
	HolidayFirstInstallment = "first_installment"
	// HolidayCapitalize adds it to the principal, re-amortized over the moved installments.
	HolidayCapitalize = "capitalize"
)

// Day counts, with schedule's names: days in year actual | 360 | 365, days in month actual | 30.
const (
	DaysActual = schedule.DaysActual
	Days360    = schedule.Days360
	Days365    = schedule.Days365
	Days30     = schedule.Days30
)

// BucketCurrent is the delinquency bucket of a loan with nothing past due.
const BucketCurrent = "current"

// Limits of a policy's numbers; no consumer product comes near them.
const (
	maxGraceDays   = 3650
	maxBuckets     = 12
	maxPercent     = 100
	maxPenaltyRate = 1000
	maxRateDigits  = 10
)

// Policy is the product's servicing settings. Its zero value is the demo product's: the terms' day
// count, today's allocation order (penalties, fees, interest, principal), next_installments, no
// early-repayment fee, no penalties, buckets 30/60/90, deferred interest on the first moved
// installment. The loan's currency and rounding mode come from its schedule.Terms.
type Policy struct {
	// DaysInYear and DaysInMonth are the day count of accrual; empty means the terms'. Days30 counts
	// months as 30 days (30E/360: the 31st counts as the 30th) in a 360-day year unless DaysInYear
	// is 365; actual/actual splits days by the length of the calendar year they fall in.
	DaysInYear  string `json:"days_in_year"`
	DaysInMonth string `json:"days_in_month"`
	// AllocationOrder is one of the Order constants; empty means OrderPenaltiesFeesInterestPrincipal.
	AllocationOrder string `json:"allocation_order"`
	// PrepaymentStrategy is the default Strategy for money beyond what is due; empty means
	// StrategyNextInstallments.
	PrepaymentStrategy string `json:"prepayment_strategy"`
	// EarlyRepaymentFeePercent is the fee on principal repaid early by a settlement, in percent; the
	// Directive's caps apply on top (see Quote).
	EarlyRepaymentFeePercent decimal.Decimal `json:"early_repayment_fee_percent"`
	// PenaltyGraceDays is how many days past its due date an installment may stay unpaid before it
	// draws penalties.
	PenaltyGraceDays int `json:"penalty_grace_days"`
	// LateFee is charged once per installment still unpaid after the grace days.
	LateFee decimal.Decimal `json:"late_fee"`
	// PenaltyRate is an annual rate in percent on an installment's overdue principal, accrued daily
	// after the grace days.
	PenaltyRate decimal.Decimal `json:"penalty_rate"`
	// PenaltyCapPercent caps all penalties ever charged at this percent of the principal paid out;
	// zero means no cap.
	PenaltyCapPercent decimal.Decimal `json:"penalty_cap_percent"`
	// Buckets are the delinquency buckets' upper bounds in days past due, ascending; empty means
	// 30, 60, 90 (buckets current, 1-30, 31-60, 61-90, 90+).
	Buckets []int `json:"buckets"`
	// HolidayInterest is the default Holiday rule; empty means HolidayFirstInstallment.
	HolidayInterest string `json:"holiday_interest"`
}

// FieldProblem is one invalid setting; Field is its JSON name.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every invalid setting, so a caller can report them all at once.
type ValidationError struct {
	Problems []FieldProblem
}

func (e *ValidationError) Error() string {
	msg := "servicing: invalid policy"
	for i, p := range e.Problems {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		msg += sep + p.Field + " " + p.Message
	}
	return msg
}

// Validate names every invalid setting; nil means the policy can be used.
func (p Policy) Validate() []FieldProblem {
	var out []FieldProblem
	add := func(field, format string, args ...any) {
		out = append(out, FieldProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	oneOf := func(field, value string, allowed ...string) {
		if value != "" && !slices.Contains(allowed, value) {
			add(field, "must be one of %v", allowed)
		}
	}
	oneOf("days_in_year", p.DaysInYear, DaysActual, Days360, Days365)
	oneOf("days_in_month", p.DaysInMonth, DaysActual, Days30)
	oneOf("allocation_order", p.AllocationOrder, OrderPenaltiesFeesInterestPrincipal, OrderInterestPrincipalPenaltiesFees,
		OrderPrincipalInterestPenaltiesFees, OrderDueFirstThenAdvance)
	oneOf("prepayment_strategy", p.PrepaymentStrategy, StrategyNextInstallments, StrategyReduceInstallment, StrategyReduceTerm)
	oneOf("holiday_interest", p.HolidayInterest, HolidayFirstInstallment, HolidayCapitalize)
	percent := func(field string, v decimal.Decimal, limit int64) {
		switch {
		case v.IsNegative():
			add(field, "must not be negative")
		case v.GreaterThan(decimal.NewFromInt(limit)):
			add(field, "must not exceed %d", limit)
		case -v.Exponent() > maxRateDigits:
			add(field, "has more than %d decimal places", maxRateDigits)
		}
	}
	percent("early_repayment_fee_percent", p.EarlyRepaymentFeePercent, maxPercent)
	percent("penalty_rate", p.PenaltyRate, maxPenaltyRate)
	percent("penalty_cap_percent", p.PenaltyCapPercent, maxPercent)
	if p.LateFee.IsNegative() {
		add("late_fee", "must not be negative")
	} else if p.LateFee.GreaterThan(decimal.New(1, 15)) {
		add("late_fee", "must be less than 1e15")
	}
	if p.PenaltyGraceDays < 0 || p.PenaltyGraceDays > maxGraceDays {
		add("penalty_grace_days", "must be between 0 and %d", maxGraceDays)
	}
	if len(p.Buckets) > maxBuckets {
		add("buckets", "must have at most %d bounds", maxBuckets)
	}
	for i, b := range p.Buckets {
		if b < 1 || (i > 0 && b <= p.Buckets[i-1]) {
			add("buckets", "must be positive day counts in ascending order")
			break
		}
	}
	return out
}

// effective is p with every empty setting resolved against the terms, or the problems that leaves.
func (p Policy) effective(t schedule.Terms) (Policy, []FieldProblem) {
	problems := p.Validate()
	if p.DaysInYear == "" {
		p.DaysInYear = t.DaysInYear
		if p.DaysInYear == schedule.Days364 {
			problems = append(problems, FieldProblem{Field: "days_in_year",
				Message: "the terms' 364 is not an accrual day count: set actual, 360 or 365"})
		}
	}
	p.DaysInMonth = cmp.Or(p.DaysInMonth, t.DaysInMonth)
	p.AllocationOrder = cmp.Or(p.AllocationOrder, OrderPenaltiesFeesInterestPrincipal)
	p.PrepaymentStrategy = cmp.Or(p.PrepaymentStrategy, StrategyNextInstallments)
	p.HolidayInterest = cmp.Or(p.HolidayInterest, HolidayFirstInstallment)
	if len(p.Buckets) == 0 {
		p.Buckets = []int{30, 60, 90}
	}
	if places := t.Currency.DecimalPlaces; !p.LateFee.Equal(p.LateFee.Truncate(places)) {
		problems = append(problems, FieldProblem{Field: "late_fee", Message: fmt.Sprintf("has more than the currency's %d decimal places", places)})
	}
	return p, problems
}
