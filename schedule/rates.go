package schedule

import (
	"time"

	"github.com/shopspring/decimal"
)

var (
	one     = decimal.NewFromInt(1)
	hundred = decimal.NewFromInt(100)
	thirty  = decimal.NewFromInt(30)
)

// annualPercent is Fineract's annualNominalInterestRate: the rate per period times the periods of the
// rate's frequency in a year (2 % a month = 24).
func annualPercent(t Terms) decimal.Decimal {
	if t.InterestRateFrequency == Months {
		return t.InterestRate.Mul(decimal.NewFromInt(12))
	}
	return t.InterestRate
}

// fixedDaysInYear is the days-in-year setting, with actual read as 365: the cumulative engine has no
// leap-year logic (DefaultPaymentPeriodsInOneYearCalculator returns 365 for days).
func fixedDaysInYear(t Terms) int64 {
	switch t.DaysInYear {
	case Days360:
		return 360
	case Days364:
		return 364
	default:
		return 365
	}
}

// cumulativeRates computes the cumulative engine's periodic rates (LoanApplicationTerms#periodicInterestRate).
type cumulativeRates struct {
	t       Terms
	r       rounder
	seedDay int
	// perPeriod is annual / periods-per-year / 100 (12 significant digits at each step); for daily
	// interest it is the one-day rate.
	perPeriod decimal.Decimal
	every     decimal.Decimal
	// constant is the rate of every period when it does not depend on the dates; byDays caches daily
	// rates by period length, which repeats (28..31 days).
	constant *decimal.Decimal
	byDays   map[int]decimal.Decimal
}

func newCumulativeRates(t Terms, r rounder, seedDay int) *cumulativeRates {
	ppy := decimal.NewFromInt(periodsInOneYear(t))
	c := &cumulativeRates{
		t:         t,
		r:         r,
		seedDay:   seedDay,
		perPeriod: r.div(r.div(annualPercent(t), ppy), hundred),
		every:     decimal.NewFromInt(int64(t.RepaymentEvery)),
	}
	if t.InterestCalculationPeriod != InterestPeriodDaily && !t.AllowPartialPeriodInterest {
		k := c.perPeriod.Mul(c.every)
		c.constant = &k
	}
	return c
}

// periodsInOneYear is LoanApplicationTerms#calculatePeriodsInOneYear.
func periodsInOneYear(t Terms) int64 {
	if t.InterestCalculationPeriod == InterestPeriodDaily {
		return fixedDaysInYear(t)
	}
	switch t.RepaymentFrequency {
	case Days:
		return fixedDaysInYear(t)
	case Weeks:
		return 52
	case Years:
		return 1
	default:
		return 12
	}
}

// forPeriod is the interest rate (a fraction) of a period running from..to.
func (c *cumulativeRates) forPeriod(from, to time.Time) decimal.Decimal {
	if c.constant != nil {
		return *c.constant
	}
	t := c.t
	dated := t.RepaymentFrequency == Months && t.DaysInMonth == Days30 || t.RepaymentFrequency == Years && t.DaysInYear != DaysActual
	if t.InterestCalculationPeriod == InterestPeriodDaily && !dated {
		days := daysIn(from, to)
		rate, ok := c.byDays[days]
		if !ok {
			rate = c.r.mul(c.perPeriod, decimal.NewFromInt(int64(days)))
			if c.byDays == nil {
				c.byDays = map[int]decimal.Decimal{}
			}
			c.byDays[days] = rate
		}
		return rate
	}
	if t.InterestCalculationPeriod != InterestPeriodDaily {
		if t.AllowPartialPeriodInterest {
			return c.perPeriod.Mul(c.periodsBetween(from, to))
		}
		return c.perPeriod.Mul(c.every)
	}
	days := decimal.NewFromInt(int64(daysIn(from, to)))
	switch t.RepaymentFrequency {
	case Months:
		if t.DaysInMonth == Days30 {
			days = c.r.mul(c.periodsBetween(from, to), thirty)
		}
	case Years:
		if t.DaysInYear != DaysActual {
			days = c.r.mul(c.periodsBetween(from, to), decimal.NewFromInt(fixedDaysInYear(t)))
		}
	}
	return c.r.mul(c.perPeriod, days)
}

// forPMT is the rate the EMI is computed with: one repayment interval, and for daily interest a
// normalised interval of 30-day months (or 365-day years; real days for days and weeks).
func (c *cumulativeRates) forPMT() decimal.Decimal {
	t := c.t
	if t.InterestCalculationPeriod != InterestPeriodDaily {
		return c.perPeriod.Mul(c.every)
	}
	var days int64
	switch t.RepaymentFrequency {
	case Days:
		days = int64(t.RepaymentEvery)
	case Weeks:
		days = 7 * int64(t.RepaymentEvery)
	case Years:
		days = 365 * int64(t.RepaymentEvery)
	default:
		days = 30 * int64(t.RepaymentEvery)
	}
	return c.r.mul(c.perPeriod, decimal.NewFromInt(days))
}

// flatTermRate is the flat interest of the whole term as a fraction of the principal
// (LoanApplicationTerms#calculateFlatInterestRateForLoanTerm).
func (c *cumulativeRates) flatTermRate(disbursed, end time.Time) decimal.Decimal {
	t := c.t
	switch {
	case t.InterestCalculationPeriod == InterestPeriodDaily:
		return c.perPeriod.Mul(decimal.NewFromInt(int64(daysIn(disbursed, end))))
	case t.AllowPartialPeriodInterest:
		return c.perPeriod.Mul(c.periodsBetween(disbursed, end))
	default:
		return c.perPeriod.Mul(decimal.NewFromInt(int64(t.NumberOfRepayments * t.RepaymentEvery)))
	}
}

// periodsBetween is LoanApplicationTerms#calculatePeriodsBetweenDates: whole repayment units plus the
// leftover days as a fraction of the next unit. Fineract computes that fraction in double and reads it
// back with BigDecimal.valueOf, i.e. its shortest decimal form, which NewFromFloat reproduces.
func (c *cumulativeRates) periodsBetween(from, to time.Time) decimal.Decimal {
	switch c.t.RepaymentFrequency {
	case Days:
		return decimal.NewFromInt(int64(daysIn(from, to)))
	case Weeks:
		days := daysIn(from, to)
		weeks := days / 7
		return decimal.NewFromInt(int64(weeks)).Add(fraction(days-7*weeks, 7))
	case Years:
		years := monthsBetween(from, to) / 12
		s := addMonths(from, 12*years)
		e := addMonths(from, 12*(years+1))
		return decimal.NewFromInt(int64(years)).Add(fraction(daysIn(s, to), daysIn(s, e)))
	default:
		months := monthsBetween(from, to)
		s := realign(addMonths(from, months), c.seedDay, Months)
		e := realign(addMonths(from, months+1), c.seedDay, Months)
		return decimal.NewFromInt(int64(months)).Add(fraction(daysIn(s, to), daysIn(s, e)))
	}
}

func fraction(num, den int) decimal.Decimal {
	if num == 0 || den == 0 {
		return decimal.Zero
	}
	return decimal.NewFromFloat(float64(num) / float64(den))
}

// monthsBetween is java.time's ChronoUnit.MONTHS.between: whole months, one less when the end day
// of month is before the start's.
func monthsBetween(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if m > 0 && b.Day() < a.Day() {
		m--
	} else if m < 0 && b.Day() > a.Day() {
		m++
	}
	return m
}

// pmt is the annuity payment that repays balance over n periods at rate r per period (Fineract's
// FinanicalFunctions.pmt, evaluated in decimal with 40 places instead of double).
func pmt(r decimal.Decimal, n int, balance decimal.Decimal) decimal.Decimal {
	if n <= 0 {
		return balance
	}
	if r.IsZero() {
		return balance.DivRound(decimal.NewFromInt(int64(n)), 40)
	}
	f := powInt(one.Add(r), n)
	return balance.Mul(r).Mul(f).DivRound(f.Sub(one), 40)
}

// powInt raises x to a non-negative integer power, truncating to 50 places at every step (far below
// anything that can move a cent of a payment).
func powInt(x decimal.Decimal, n int) decimal.Decimal {
	result := one
	for n > 0 {
		if n&1 == 1 {
			result = result.Mul(x).Truncate(50)
		}
		x = x.Mul(x).Truncate(50)
		n >>= 1
	}
	return result
}
