package iutewire

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Date layouts: dd.MM.yyyy everywhere, except insert repayment's date, ddMMyyyy.
const (
	DateLayout          = "02.01.2006"
	RepaymentDateLayout = "02012006"
)

// FormatAmount writes an amount of an answer the way the document's samples do, which is how Java
// prints a double: no trailing zeros, but at least one decimal ("5000.0", "5478.4", "0.0",
// "1095.68"). Unlike a double it stays exact and never switches to exponent notation.
func FormatAmount(d decimal.Decimal) string {
	s := d.String()
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
