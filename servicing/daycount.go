package servicing

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// dayCount is a policy's accrual convention.
type dayCount struct {
	year, month string
}

// basis is the length of the year days are counted against (leap years aside under actual/actual).
func (c dayCount) basis() int64 {
	switch {
	case c.year == Days365:
		return 365
	case c.year == Days360, c.month == Days30:
		return 360
	}
	return 365
}

// days counts a..b: common are days against the basis, leap are days in 366-day years under
// actual/actual (zero otherwise). An empty or reversed range counts nothing.
func (c dayCount) days(a, b time.Time) (common, leap int64) {
	if !b.After(a) {
		return 0, 0
	}
	if c.month == Days30 {
		return days30(b) - days30(a), 0
	}
	if c.year != DaysActual {
		return daysBetween(a, b), 0
	}
	for cursor := a; cursor.Before(b); {
		end := time.Date(cursor.Year()+1, time.January, 1, 0, 0, 0, 0, time.UTC)
		if end.After(b) {
			end = b
		}
		n := daysBetween(cursor, end)
		if isLeap(cursor.Year()) {
			leap += n
		} else {
			common += n
		}
		cursor = end
	}
	return common, leap
}

// days30 places d on the 30E/360 line: twelve 30-day months a year, the 31st read as the 30th. The
// days between two dates are the difference of their places, so counts add up over any split.
func days30(d time.Time) int64 {
	y, m, day := d.Date()
	return 360*int64(y) + 30*int64(m-1) + int64(min(day, 30))
}

func daysBetween(a, b time.Time) int64 {
	return (b.Unix() - a.Unix()) / 86400
}

func isLeap(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// Accrual counts interest exactly: principal × days, split by the year length the days count
// against, so the interest is one fraction rounded once, however often the principal changed.
type Accrual struct {
	// Through is the end of what is counted (exclusive).
	Through time.Time `json:"through"`
	// PrincipalDays is principal × days against the day count's basis.
	PrincipalDays decimal.Decimal `json:"principal_days"`
	// LeapPrincipalDays is principal × days in leap years (actual/actual only).
	LeapPrincipalDays decimal.Decimal `json:"leap_principal_days"`
}

// count adds principal over from..to (from no earlier than Through) and moves Through to to. Days
// already counted are never counted again.
func (ac *Accrual) count(c dayCount, principal decimal.Decimal, from, to time.Time) {
	if from.Before(ac.Through) {
		from = ac.Through
	}
	if !to.After(from) {
		return
	}
	common, leap := c.days(from, to)
	ac.PrincipalDays = ac.PrincipalDays.Add(principal.Mul(decimal.NewFromInt(common)))
	ac.LeapPrincipalDays = ac.LeapPrincipalDays.Add(principal.Mul(decimal.NewFromInt(leap)))
	ac.Through = to
}

// interest is what the counted principal-days earn at an annual rate in percent:
// rate × (days/basis + leap days/366) / 100, rounded once to the currency.
func (ac Accrual) interest(c dayCount, m schedule.Money, ratePercent decimal.Decimal) decimal.Decimal {
	if ratePercent.IsZero() || (ac.PrincipalDays.IsZero() && ac.LeapPrincipalDays.IsZero()) {
		return m.Round(decimal.Zero)
	}
	basis := decimal.NewFromInt(c.basis())
	leapYear := decimal.NewFromInt(366)
	num := ratePercent.Mul(ac.PrincipalDays.Mul(leapYear).Add(ac.LeapPrincipalDays.Mul(basis)))
	return m.Quotient(num, basis.Mul(leapYear).Mul(decimal.NewFromInt(100)))
}
