package schedule

import "github.com/shopspring/decimal"

// feeAmount is one fee in money: a flat amount, or a percentage of the principal, at the currency scale.
func feeAmount(f Fee, principal decimal.Decimal, r rounder) decimal.Decimal {
	if f.Calculation == FeePercentOfPrincipal {
		return r.money(principal.Mul(f.Amount).Div(hundred))
	}
	return r.money(f.Amount)
}

type disbursementFees struct {
	financed, deducted decimal.Decimal
}

func disbursementFee(t Terms, r rounder) disbursementFees {
	out := disbursementFees{financed: decimal.Zero, deducted: decimal.Zero}
	for _, f := range t.Fees {
		if f.Type != FeeDisbursement {
			continue
		}
		if a := feeAmount(f, t.Principal, r); f.Deducted {
			out.deducted = out.deducted.Add(a)
		} else {
			out.financed = out.financed.Add(a)
		}
	}
	return out
}

// applyFees puts the fees on the installments (see Generate), records what the borrower receives and
// fills the totals.
func applyFees(t Terms, r rounder, s *Schedule) {
	monthly := decimal.Zero
	for _, f := range t.Fees {
		if f.Type == FeeMonthly {
			monthly = monthly.Add(feeAmount(f, t.Principal, r))
		}
	}
	disb := disbursementFee(t, r)
	zero := r.fixed(decimal.Zero)
	monthly = r.fixed(monthly)
	firstRegular := true
	for i := range s.Periods {
		p := &s.Periods[i]
		switch {
		case p.downPayment:
			p.Fees = zero
		case firstRegular:
			p.Fees = r.fixed(monthly.Add(disb.financed))
			firstRegular = false
		default:
			p.Fees = monthly // decimals are immutable: one value serves every installment
		}
	}
	s.NetDisbursed = r.fixed(t.Principal.Sub(disb.deducted))
	s.Tranches = tranches(t, r, disb.deducted)
	finish(s, r)
}

// tranches lists the pay-outs; deducted fees come off the first one, the only one they are charged on.
func tranches(t Terms, r rounder, deducted decimal.Decimal) []Disbursement {
	ds := t.Disbursements
	if len(ds) == 0 {
		ds = []Disbursement{{Date: t.DisbursementDate, Amount: t.Principal}}
	}
	out := make([]Disbursement, len(ds))
	for i, d := range ds {
		out[i] = Disbursement{Date: utcDate(d.Date), Amount: r.fixed(d.Amount)}
	}
	out[0].Amount = r.fixed(out[0].Amount.Sub(deducted))
	return out
}
