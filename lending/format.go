package lending

import (
	"strings"

	"github.com/shopspring/decimal"
)

// FormatMoney writes an amount for people, at the currency's scale and
// grouped in thousands: 12,345.67. The console and the workflow's
// descriptions in the Temporal UI write amounts this one way.
func FormatMoney(d decimal.Decimal, scale int32) string {
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
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
