package iutefacade

import (
	"regexp"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/iutewire"
)

// Validation limits and messages, and the birth date's other layouts: the
// document's example is "01/01/90".
const (
	slashDateLayout        = "02/01/2006"
	slashShortYearLayout   = "02/01/06"
	minYear, maxYear       = 1900, 2200
	maxRefDigits           = 18
	maxDurationDigits      = 9
	errRequired            = "required"
	errRequiredMayBeEmpty  = "required (it may be empty)"
	errDateFormat          = "must be a date dd.MM.yyyy, such as 26.07.2018"
	errRepaymentDateFormat = "must be a date ddMMyyyy, such as 22052018"
)

var (
	// numberPattern admits plain decimal numbers: no sign, exponent,
	// thousands separator or decimal comma; bounded so no amount
	// overflows a numeric column.
	numberPattern  = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,12})?$`)
	integerPattern = regexp.MustCompile(`^[0-9]+$`)
)

// params reads a request's parameters, collecting one error per bad field.
type params struct {
	form *form
	errs *failure.FieldErrors
}

// text is a required value.
func (p params) text(name string) string {
	v, _ := p.form.value(name)
	if v == "" {
		p.errs.Add(name, errRequired)
	}
	return v
}

// presentText is a value that must be sent but may be empty.
func (p params) presentText(name string) string {
	v, present := p.form.value(name)
	if !present {
		p.errs.Add(name, errRequiredMayBeEmpty)
	}
	return v
}

// amount is a required positive decimal number.
func (p params) amount(name string) decimal.Decimal {
	v := p.text(name)
	if v == "" {
		return decimal.Zero
	}
	if !numberPattern.MatchString(v) {
		p.errs.Add(name, "must be a number such as 1000.55, not %q", v)
		return decimal.Zero
	}
	d, err := decimal.NewFromString(v)
	if err != nil || !d.IsPositive() {
		p.errs.Add(name, "must be a positive number, not %q", v)
		return decimal.Zero
	}
	return d
}

// integer is a required positive whole number.
func (p params) integer(name string, maxDigits int) int64 {
	v := p.text(name)
	if v == "" {
		return 0
	}
	if !integerPattern.MatchString(v) || len(v) > maxDigits {
		p.errs.Add(name, "must be a whole number such as 6, not %q", v)
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.errs.Add(name, "must be a positive whole number, not %q", v)
		return 0
	}
	return n
}

// loanRef is the required reference of a loan.
func (p params) loanRef(name string) int64 { return p.integer(name, maxRefDigits) }

// date is a required date in one of layouts; msg describes the format.
func (p params) date(name, msg string, parse func(string) (time.Time, bool)) time.Time {
	v := p.text(name)
	if v == "" {
		return time.Time{}
	}
	t, ok := parse(v)
	if !ok {
		p.errs.Add(name, "%s, not %q", msg, v)
	}
	return t
}

// parseDate reads dd.MM.yyyy.
func parseDate(s string) (time.Time, bool) { return parseLayout(s, iutewire.DateLayout) }

// parseRepaymentDate reads ddMMyyyy.
func parseRepaymentDate(s string) (time.Time, bool) {
	if len(s) != len(iutewire.RepaymentDateLayout) || !integerPattern.MatchString(s) {
		return time.Time{}, false
	}
	return parseLayout(s, iutewire.RepaymentDateLayout)
}

// birthDateParser reads dd.MM.yyyy, dd/MM/yyyy or dd/MM/yy; a two-digit
// year makes the latest such date not after today.
func birthDateParser(today time.Time) func(string) (time.Time, bool) {
	return func(s string) (time.Time, bool) {
		for _, layout := range []string{iutewire.DateLayout, slashDateLayout} {
			if t, ok := parseLayout(s, layout); ok {
				return t, true
			}
		}
		if len(s) != len(slashShortYearLayout) {
			return time.Time{}, false
		}
		t, err := time.Parse(slashShortYearLayout, s)
		if err != nil {
			return time.Time{}, false
		}
		// time.Parse's own century rule (69–99 → 1900s) would make a
		// 2070 birth date out of "70"; a birth date is in the past.
		year := today.Year()/100*100 + t.Year()%100
		if year > today.Year() {
			year -= 100
		}
		d := time.Date(year, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if d.After(today) {
			d = d.AddDate(-100, 0, 0)
		}
		if d.Day() != t.Day() {
			return time.Time{}, false // 29 February of a year without one
		}
		return d, true
	}
}

func parseLayout(s, layout string) (time.Time, bool) {
	if len(s) != len(layout) {
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, false
	}
	return t, true
}
