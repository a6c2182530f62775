package schedulecmd

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// Fixed is d.StringFixed(places): d rounded half away from zero to places
// decimals, written out with all of them.
func Fixed(d decimal.Decimal, places int32) string {
	if !fitsFixed(d, places) {
		return d.StringFixed(places)
	}
	var buf [24]byte
	return string(AppendFixed(buf[:0], d, places))
}

// AppendFixed appends Fixed(d, places) to dst. Money already at its
// currency's scale, as every amount of a schedule is, is written from its
// int64 coefficient without math/big's conversion to a string.
func AppendFixed(dst []byte, d decimal.Decimal, places int32) []byte {
	if !fitsFixed(d, places) {
		return append(dst, d.StringFixed(places)...)
	}
	v := d.CoefficientInt64()
	if v < 0 {
		dst = append(dst, '-')
		v = -v // |v| < 10^18: no overflow
	}
	var buf [20]byte
	digits, p := strconv.AppendInt(buf[:0], v, 10), int(places)
	if len(digits) <= p { // below one: "0." and zeros before the digits
		dst = append(dst, "0."...)
		dst = append(dst, "000000000000000000"[:p-len(digits)]...)
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-p]...)
	if p > 0 {
		dst = append(dst, '.')
		dst = append(dst, digits[len(digits)-p:]...)
	}
	return dst
}

// fitsFixed reports whether d is at exactly places decimals with a
// coefficient of at most 18 digits, which AppendFixed writes itself (no
// rounding to do, no overflow possible); anything else goes through
// decimal.
func fitsFixed(d decimal.Decimal, places int32) bool {
	return places >= 0 && places <= 18 && d.Exponent() == -places && d.NumDigits() <= 18
}

// AppendResultMembers appends the members of NewResult(s, places) as
// encoding/json writes them, without the enclosing braces, so an answer
// that embeds a Result (the partner API's quote) writes it in place.
// Every value is a number, a date or an amount: nothing to escape.
func AppendResultMembers(dst []byte, s *schedule.Schedule, places int32) []byte {
	dst = append(dst, `"periods":[`...)
	for i, p := range s.Periods {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"number":`...)
		dst = strconv.AppendInt(dst, int64(p.Number), 10)
		dst = append(dst, `,"from_date":"`...)
		dst = p.FromDate.AppendFormat(dst, time.DateOnly)
		dst = append(dst, `","due_date":"`...)
		dst = p.DueDate.AppendFormat(dst, time.DateOnly)
		dst = append(dst, `","days":`...)
		dst = strconv.AppendInt(dst, int64(p.Days), 10)
		dst = appendMoney(dst, `,"principal":"`, p.Principal, places)
		dst = appendMoney(dst, `","interest":"`, p.Interest, places)
		dst = appendMoney(dst, `","fees":"`, p.Fees, places)
		dst = appendMoney(dst, `","total":"`, p.Total, places)
		dst = appendMoney(dst, `","balance":"`, p.Balance, places)
		dst = append(dst, `"}`...)
	}
	dst = appendMoney(dst, `],"total_principal":"`, s.TotalPrincipal, places)
	dst = appendMoney(dst, `","total_interest":"`, s.TotalInterest, places)
	dst = appendMoney(dst, `","total_fees":"`, s.TotalFees, places)
	dst = appendMoney(dst, `","total_repayment":"`, s.TotalRepayment, places)
	dst = appendMoney(dst, `","apr":"`, s.APR, 2)
	dst = appendMoney(dst, `","net_disbursed":"`, s.NetDisbursed, places)
	return append(dst, '"')
}

func appendMoney(dst []byte, before string, d decimal.Decimal, places int32) []byte {
	return AppendFixed(append(dst, before...), d, places)
}
