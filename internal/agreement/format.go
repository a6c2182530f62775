package agreement

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
)

const (
	dateLayout = "02.01.2006" // dd.MM.yyyy in every language
	nbsp       = "\u00a0"     // keeps "1 000,00 MDL" and "24,00 %" on one line
)

// numberFormat is a language's way of writing amounts: group and decimal
// separators and whether the percent sign is spaced (CLDR conventions).
type numberFormat struct {
	group, decimal string
	spacedPercent  bool
}

// money writes d with two decimals (rounded half away from zero) and grouped
// thousands, e.g. 12,500.00 (eng) or 12.500,00 (ron).
func (n numberFormat) money(d decimal.Decimal) string { return n.fixed(d, 2) }

// fixed writes d with places decimals and grouped thousands.
func (n numberFormat) fixed(d decimal.Decimal, places int32) string {
	return lending.FormatMoneyIn(d, places, n.group, n.decimal)
}

// percent writes a rate given in percent with two decimals and the sign.
func (n numberFormat) percent(d decimal.Decimal) string { return n.withPercentSign(n.money(d)) }

// setPercent writes a rate a product sets, e.g. a penalty rate: with two
// decimals, or as many as it has beyond them, since the borrower is bound by
// the rate itself and a rounded one would misstate it (0.125 % stays so).
func (n numberFormat) setPercent(d decimal.Decimal) string {
	_, frac, _ := strings.Cut(d.String(), ".") // without trailing zeros
	return n.withPercentSign(n.fixed(d, max(2, int32(len(frac)))))
}

func (n numberFormat) withPercentSign(s string) string {
	if n.spacedPercent {
		return s + nbsp + "%"
	}
	return s + "%"
}

func formatDate(t time.Time) string { return t.Format(dateLayout) }

// placeholders fills a language's templates. Values come from the agreement
// and are inserted verbatim: strings.Replacer makes one pass, so a borrower
// name that happens to contain "{amount}" is printed as it is.
func placeholders(l *language, a Agreement) *strings.Replacer {
	withCurrency := func(d decimal.Decimal) string { return l.numbers.money(d) + nbsp + a.Currency }
	last := a.Installments[len(a.Installments)-1].DueDate
	pairs := []string{
		"{ref}", strconv.FormatInt(a.Ref, 10),
		"{date}", formatDate(a.Date),
		"{lender}", a.Lender,
		"{partner}", a.Partner,
		"{office}", a.Office,
		"{currency}", a.Currency,
		"{amount}", withCurrency(a.Amount),
		"{term}", l.months(a.TermMonths),
		"{rate}", l.numbers.percent(a.AnnualInterestRate),
		"{disbursementFee}", withCurrency(a.DisbursementFee),
		"{monthlyFee}", withCurrency(a.MonthlyFee),
		"{totalInterest}", withCurrency(a.TotalInterest),
		"{totalFees}", withCurrency(a.TotalFees),
		"{totalRepayable}", withCurrency(a.TotalRepayable),
		"{apr}", l.numbers.percent(a.APR),
		"{first}", formatDate(a.FirstRepaymentDate),
		"{last}", formatDate(last),
		"{pages}", pageCountAlias,
	}
	figures := servicingFigures(l, a, withCurrency)
	pairs = append(pairs, figures...)
	pairs = append(pairs, servicingTerms(l, a.Servicing, strings.NewReplacer(figures...))...)
	pairs = append(pairs, scheduleTerms(l, a, withCurrency(a.MonthlyFee))...)
	return strings.NewReplacer(pairs...)
}

// slavicPlural picks the noun form after a number the way Russian and
// Bosnian do: one (1, 21, 101 …), few (2–4, 22–24 …) or many (5–20, 25 …).
func slavicPlural(n int, one, few, many string) string {
	switch mod10, mod100 := n%10, n%100; {
	case mod10 == 1 && mod100 != 11:
		return one
	case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
		return few
	default:
		return many
	}
}

func count(n int, noun string) string { return strconv.Itoa(n) + nbsp + noun }
