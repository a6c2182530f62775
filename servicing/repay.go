package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// RepayResult is the outcome of Repay.
type RepayResult struct {
	PaidOn   time.Time       `json:"paid_on"`
	Amount   decimal.Decimal `json:"amount"`
	Strategy string          `json:"strategy"`
	// Accrued is the penalties charged through PaidOn before the money was applied.
	Accrued Accrued `json:"accrued"`
	// Parts is what each installment received, by component.
	Parts []Part `json:"parts,omitempty"`
	// Reallocated is money paid in advance on installments not yet due that a reduce strategy or a
	// settlement took back and applied again (it is in Parts too).
	Reallocated []Part `json:"reallocated,omitempty"`
	// PrincipalPrepaid is principal a reduce strategy repaid ahead of the schedule.
	PrincipalPrepaid decimal.Decimal `json:"principal_prepaid"`
	// Rescheduled says the remaining installments were re-amortized.
	Rescheduled bool `json:"rescheduled"`
	// Settlement is set when a reduce-strategy prepayment covered the payoff and closed the loan.
	Settlement *Settlement `json:"settlement,omitempty"`
	// Recovered is what went towards a written-off loan.
	Recovered decimal.Decimal `json:"recovered"`
	// Overpayment is what is now held for a refund.
	Overpayment decimal.Decimal `json:"overpayment"`
	FullyPaid   bool            `json:"fully_paid"`
}

// Repay applies a payment made on paidOn. Penalties are accrued through paidOn first. The money pays
// what is due on paidOn (installments due on or before it, with their penalties and fees) in the
// policy's allocation order; money beyond that follows strategy (empty means the policy's):
//
//   - next_installments pays the next installments in order, the schedule unchanged; only money beyond
//     everything the schedule still claims is overpaid. With the default allocation order this is
//     exactly schedule.Allocate, so existing loans behave as before.
//   - reduce_installment and reduce_term repay principal (see prepay); money that covers the payoff
//     quote settles the loan and the rest is overpaid. Money that covers it all but part of the
//     early-repayment fee settles it too, the fee limited to what the money leaves.
//
// On a written-off loan the payment is a recovery, up to what was written off and not yet recovered;
// beyond that it is overpaid, held for a refund. The loan stays written off.
func (a *Account) Repay(amount decimal.Decimal, paidOn time.Time, strategy string) (RepayResult, error) {
	paidOn = day(paidOn)
	if strategy == "" {
		strategy = a.Policy.PrepaymentStrategy
	}
	switch strategy {
	case StrategyNextInstallments, StrategyReduceInstallment, StrategyReduceTerm:
	default:
		return RepayResult{}, refuse("prepayment_strategy", ErrUnknownStrategy, strategy)
	}
	if err := a.checkAmount(amount); err != nil {
		return RepayResult{}, err
	}
	if err := a.checkDate("paid_on", paidOn); err != nil {
		return RepayResult{}, err
	}
	zero := a.zero()
	res := RepayResult{PaidOn: paidOn, Amount: amount, Strategy: strategy, PrincipalPrepaid: zero, Recovered: zero, Overpayment: zero}
	if a.WrittenOffOn != nil {
		a.recover(amount, &res)
		return res, nil
	}
	if err := a.checkOpen(); err != nil {
		return RepayResult{}, err
	}
	c := a.clone()
	res.Accrued = c.accrueTo(paidOn)
	c.foldInterest(paidOn)
	applied, reallocated := parts{zero: zero}, parts{zero: zero}
	first := c.firstNotDue(paidOn)
	left := c.pay(0, first, order(c.Policy.AllocationOrder, false), amount, &applied)
	switch {
	case !left.IsPositive():
	case strategy == StrategyNextInstallments || first == len(c.Installments):
		left = c.pay(first, len(c.Installments), order(c.Policy.AllocationOrder, true), left, &applied)
		c.Overpaid = c.Overpaid.Add(left)
	default:
		settled := c.clone()
		cl := settled.prepareClose(paidOn, true)
		q, _ := settled.quoteOf(paidOn, cl)
		if left.GreaterThanOrEqual(q.Total.Sub(q.EarlyRepaymentFee)) {
			s := settled.settle(paidOn, cl, q, left, &applied)
			res.Settlement = &s
			reallocated = cl.reallocated
			c = settled
			break
		}
		p, err := c.prepay(paidOn, left, strategy, &applied, &reallocated)
		if err != nil {
			return RepayResult{}, err
		}
		res.PrincipalPrepaid, res.Rescheduled = p.principal, p.rescheduled
	}
	c.Received = c.Received.Add(amount)
	res.Overpayment = c.Overpaid.Sub(a.Overpaid)
	res.Parts, res.Reallocated = applied.list, reallocated.list
	res.FullyPaid = c.fullyPaid()
	*a = *c
	return res, nil
}

// recover books a payment on a written-off loan.
func (a *Account) recover(amount decimal.Decimal, res *RepayResult) {
	open := a.Totals().WrittenOff.Total().Sub(a.Recovered)
	res.Recovered = decimal.Max(a.zero(), decimal.Min(amount, open))
	res.Overpayment = amount.Sub(res.Recovered)
	a.Recovered = a.Recovered.Add(res.Recovered)
	a.Overpaid = a.Overpaid.Add(res.Overpayment)
	a.Received = a.Received.Add(amount)
}
