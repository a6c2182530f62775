package schedule

import "github.com/shopspring/decimal"

// Money rounds amounts to a loan's currency exactly as the loan's schedule does (Fineract's Money.of:
// the currency's multiple for zero-decimal currencies, its places, the terms' rounding mode), for
// callers that derive more money from a schedule: accruals, penalties, payoffs.
type Money struct {
	r rounder
}

// MoneyOf is the rounding of t's currency with t's rounding mode (zero values as Normalize reads them).
func MoneyOf(t Terms) Money {
	return Money{r: newRounder(t.Normalize())}
}

// Places is the currency's number of decimal places.
func (m Money) Places() int32 {
	return m.r.places
}

// Round makes d money in the currency.
func (m Money) Round(d decimal.Decimal) decimal.Decimal {
	return m.r.money(d)
}

// Quotient is a / b as money, rounded once from the exact quotient, so an amount computed as one
// fraction (interest over a year of 365 days, say) never carries a rounding of its parts. b must not
// be zero.
func (m Money) Quotient(a, b decimal.Decimal) decimal.Decimal {
	return m.r.money(m.r.quo(a, b, m.r.places))
}
