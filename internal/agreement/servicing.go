package agreement

import (
	"cmp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/servicing"
)

// allocationOrders and prepaymentStrategies index a language's allocation
// and prepayment texts.
var (
	allocationOrders = [4]string{
		servicing.OrderPenaltiesFeesInterestPrincipal,
		servicing.OrderInterestPrincipalPenaltiesFees,
		servicing.OrderPrincipalInterestPenaltiesFees,
		servicing.OrderDueFirstThenAdvance,
	}
	prepaymentStrategies = [3]string{
		servicing.StrategyNextInstallments,
		servicing.StrategyReduceInstallment,
		servicing.StrategyReduceTerm,
	}
)

// The Directive's caps on the early-repayment fee (servicing.Account.Quote
// applies them): of the principal repaid early while more than a year of the
// term remains, and otherwise.
var (
	feeCapLong  = decimal.NewFromInt(1)
	feeCapShort = decimal.New(5, -1)
)

// servicingFigures are the placeholders of the servicing terms' figures,
// written the language's way.
func servicingFigures(l *language, a Agreement, withCurrency func(decimal.Decimal) string) []string {
	p := a.Servicing
	return []string{
		"{earlyFee}", l.numbers.setPercent(p.EarlyRepaymentFeePercent),
		"{feeCapLong}", l.numbers.setPercent(feeCapLong),
		"{feeCapShort}", l.numbers.setPercent(feeCapShort),
		"{graceDays}", l.days(p.PenaltyGraceDays),
		"{lateFee}", withCurrency(p.LateFee),
		"{penaltyRate}", l.numbers.setPercent(p.PenaltyRate),
		"{penaltyCap}", l.numbers.setPercent(p.PenaltyCapPercent),
	}
}

// servicingTerms are the placeholders of the clauses' servicing sentences,
// chosen by the product's settings, with figures filled in. An empty order
// or strategy is the servicing default (see servicing.Policy); validate has
// refused any other unknown one.
func servicingTerms(l *language, p servicing.Policy, figures *strings.Replacer) []string {
	order := slices.Index(allocationOrders[:], cmp.Or(p.AllocationOrder, servicing.OrderPenaltiesFeesInterestPrincipal))
	strategy := slices.Index(prepaymentStrategies[:], cmp.Or(p.PrepaymentStrategy, servicing.StrategyNextInstallments))
	fee := l.noEarlyRepaymentFee
	if p.EarlyRepaymentFeePercent.IsPositive() {
		fee = l.earlyRepaymentFee
	}
	return []string{
		"{allocation}", l.allocation[order],
		"{prepayment}", l.prepayment[strategy],
		"{earlyRepaymentFee}", figures.Replace(fee),
		"{penalties}", figures.Replace(penalties(l, p)),
	}
}

// penalties is what an installment in arrears draws: nothing, or from when
// which penalties accrue and their cap. A cap alone charges nothing.
func penalties(l *language, p servicing.Policy) string {
	if !p.LateFee.IsPositive() && !p.PenaltyRate.IsPositive() {
		return l.noPenalties
	}
	from := l.penaltiesFrom[0]
	if p.PenaltyGraceDays > 0 {
		from = l.penaltiesFrom[1]
	}
	sentences := []string{from}
	if p.LateFee.IsPositive() {
		sentences = append(sentences, l.lateFeeRule)
	}
	if p.PenaltyRate.IsPositive() {
		sentences = append(sentences, l.penaltyRateRule)
	}
	limit := l.penaltyCap[0]
	if p.PenaltyCapPercent.IsPositive() {
		limit = l.penaltyCap[1]
	}
	return strings.Join(append(sentences, limit), " ")
}
