package servicing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Totals sums the installments by how each charge was cleared.
type Totals struct {
	Charged     Breakdown `json:"charged"`
	Paid        Breakdown `json:"paid"`
	Waived      Breakdown `json:"waived"`
	WrittenOff  Breakdown `json:"written_off"`
	Unearned    Breakdown `json:"unearned"`
	Outstanding Breakdown `json:"outstanding"`
}

// Totals sums the account's installments.
func (a *Account) Totals() Totals {
	zero := a.zero()
	t := Totals{Charged: breakdown(zero), Paid: breakdown(zero), Waived: breakdown(zero), WrittenOff: breakdown(zero),
		Unearned: breakdown(zero), Outstanding: breakdown(zero)}
	for i := range a.Installments {
		in := &a.Installments[i]
		for _, c := range []Component{Principal, Interest, Fees, Penalties} {
			am := in.amounts(c)
			t.Charged.add(c, am.Charged)
			t.Paid.add(c, am.Paid)
			t.Waived.add(c, am.Waived)
			t.WrittenOff.add(c, am.WrittenOff)
			t.Unearned.add(c, am.Unearned)
			t.Outstanding.add(c, am.Outstanding())
		}
	}
	return t
}

// Check verifies that no cent was lost or invented: money received is what paid the components and
// the early-repayment fees, plus what is held, refunded and recovered; the principal paid out plus
// capitalized interest is the principal paid, outstanding and written off; no amount is negative or
// finer than the currency. It returns the first violation.
func (a *Account) Check() error {
	t := a.Totals()
	places := a.Terms.Currency.DecimalPlaces
	in := t.Paid.Total().Add(a.EarlyRepaymentFees).Add(a.Overpaid).Add(a.Refunded).Add(a.Recovered)
	if !a.Received.Equal(in) {
		return fmt.Errorf("received %s, accounted for %s", a.Received, in)
	}
	principal := t.Paid.Principal.Add(t.Outstanding.Principal).Add(t.WrittenOff.Principal)
	if !a.Principal.Add(a.Capitalized).Equal(principal) {
		return fmt.Errorf("principal %s + capitalized %s, accounted for %s", a.Principal, a.Capitalized, principal)
	}
	if !t.Waived.Principal.IsZero() || !t.Unearned.Principal.IsZero() {
		return fmt.Errorf("principal waived %s or unearned %s", t.Waived.Principal, t.Unearned.Principal)
	}
	check := func(what string, d decimal.Decimal) error {
		if d.IsNegative() {
			return fmt.Errorf("%s is negative: %s", what, d)
		}
		if !d.Equal(d.Truncate(places)) {
			return fmt.Errorf("%s %s is finer than the currency", what, d)
		}
		return nil
	}
	for _, v := range []struct {
		what string
		d    decimal.Decimal
	}{{"received", a.Received}, {"overpaid", a.Overpaid}, {"refunded", a.Refunded}, {"capitalized", a.Capitalized},
		{"early repayment fees", a.EarlyRepaymentFees}, {"recovered", a.Recovered}} {
		if err := check(v.what, v.d); err != nil {
			return err
		}
	}
	for i := range a.Installments {
		inst := &a.Installments[i]
		if i > 0 && inst.DueDate.Before(a.Installments[i-1].DueDate) {
			return fmt.Errorf("installment %d is due before installment %d", inst.Number, a.Installments[i-1].Number)
		}
		for _, c := range []Component{Principal, Interest, Fees, Penalties} {
			am := inst.amounts(c)
			for _, v := range []struct {
				what string
				d    decimal.Decimal
			}{{"charged", am.Charged}, {"paid", am.Paid}, {"waived", am.Waived}, {"written off", am.WrittenOff},
				{"unearned", am.Unearned}, {"outstanding", am.Outstanding()}} {
				if err := check(fmt.Sprintf("installment %d %s %s", inst.Number, c, v.what), v.d); err != nil {
					return err
				}
			}
		}
	}
	if a.Recovered.GreaterThan(t.WrittenOff.Total()) {
		return fmt.Errorf("recovered %s is more than the %s written off", a.Recovered, t.WrittenOff.Total())
	}
	return nil
}
