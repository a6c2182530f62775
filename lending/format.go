package lending

import (
	"strings"

	"github.com/shopspring/decimal"
)

// FormatMoney writes an amount for people, at the currency's scale and
// grouped in thousands: 12,345.67. The console and the workflow's
// descriptions in the Temporal UI write amounts this one way.
func FormatMoney(d decimal.Decimal, scale int32) string { return FormatMoneyIn(d, scale, ",", ".") }

// FormatMoneyIn is FormatMoney with a language's group and decimal
// separators: 12.345,67 in Romanian.
func FormatMoneyIn(d decimal.Decimal, scale int32, group, point string) string {
	s := d.StringFixed(scale)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}
