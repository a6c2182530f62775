package servicing

import "github.com/shopspring/decimal"

// Breakdown is an amount by component.
type Breakdown struct {
	Principal decimal.Decimal `json:"principal"`
	Interest  decimal.Decimal `json:"interest"`
	Fees      decimal.Decimal `json:"fees"`
	Penalties decimal.Decimal `json:"penalties"`
}

// Total is the sum of the components.
func (b Breakdown) Total() decimal.Decimal {
	return b.Principal.Add(b.Interest).Add(b.Fees).Add(b.Penalties)
}

func (b *Breakdown) of(c Component) *decimal.Decimal {
	switch c {
	case Principal:
		return &b.Principal
	case Interest:
		return &b.Interest
	case Fees:
		return &b.Fees
	default:
		return &b.Penalties
	}
}

func (b *Breakdown) add(c Component, amount decimal.Decimal) {
	if amount.IsZero() {
		return
	}
	p := b.of(c)
	*p = p.Add(amount)
}

func breakdown(zero decimal.Decimal) Breakdown {
	return Breakdown{Principal: zero, Interest: zero, Fees: zero, Penalties: zero}
}

// Part is money applied to one installment, by component.
type Part struct {
	Number int `json:"number"`
	Breakdown
}

// parts collects money applied to installments, one Part per installment in the order first touched.
type parts struct {
	zero decimal.Decimal
	list []Part
}

func (ps *parts) add(number int, c Component, amount decimal.Decimal) {
	if amount.IsZero() {
		return
	}
	for i := len(ps.list) - 1; i >= 0; i-- {
		if ps.list[i].Number == number {
			ps.list[i].add(c, amount)
			return
		}
	}
	p := Part{Number: number, Breakdown: breakdown(ps.zero)}
	p.add(c, amount)
	ps.list = append(ps.list, p)
}

// order is the component order of an allocation order, for installments due (advance false) or paid
// in advance.
func order(name string, advance bool) []Component {
	switch name {
	case OrderInterestPrincipalPenaltiesFees:
		return []Component{Interest, Principal, Penalties, Fees}
	case OrderPrincipalInterestPenaltiesFees:
		return []Component{Principal, Interest, Penalties, Fees}
	case OrderDueFirstThenAdvance:
		if advance {
			return []Component{Principal, Penalties, Fees, Interest}
		}
	}
	return []Component{Penalties, Fees, Interest, Principal}
}

// pay applies money to installments lo..hi-1, oldest first, each one's components in the given order,
// as far as it lasts; it returns what is left.
func (a *Account) pay(lo, hi int, components []Component, money decimal.Decimal, into *parts) decimal.Decimal {
	for i := lo; i < hi && money.IsPositive(); i++ {
		in := &a.Installments[i]
		for _, c := range components {
			am := in.amounts(c)
			take := decimal.Min(am.Outstanding(), money)
			if !take.IsPositive() {
				continue
			}
			am.Paid = am.Paid.Add(take)
			money = money.Sub(take)
			into.add(in.Number, c, take)
		}
	}
	return money
}
