package sim

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Interest is applied to a Mambu account as it falls due (interestApplicationMethod ON_REPAYMENT, as
// loan V3 shows): the interest of installments due after a date is not owed on that date. Fees are
// owed once applied, whatever installment carries them.

// applied is what the account owes on on: all its principal, fees and penalties, and the interest of
// the installments due by then.
func (l *loan) applied(on time.Time) decimal.Decimal {
	owed := decimal.Zero
	for _, r := range l.rows {
		o := r.Outstanding()
		owed = owed.Add(o.Principal).Add(o.Fees).Add(o.Penalties)
		if !r.DueDate.After(on) {
			owed = owed.Add(o.Interest)
		}
	}
	return owed
}

// forgetUnapplied drops the interest of installments due after on, never applied, so never owed.
func (l *loan) forgetUnapplied(on time.Time) {
	for _, r := range l.rows {
		if r.DueDate.After(on) {
			r.Charged.Interest = r.Charged.Interest.Sub(r.Outstanding().Interest)
		}
	}
}

// closeAccount is a CLOSE: an account whose balance is settled on its value date is closed, the
// interest not yet applied forgiven. One that still owes anything applied, or holds an overpayment, is
// refused.
func (s *Server) closeAccount(l *loan, p txParams) reply {
	on, rep := s.serviceOn(l, p, "CLOSE")
	if rep != nil {
		return *rep
	}
	if owed := l.applied(on); owed.IsPositive() {
		return statusReply(http.StatusBadRequest, codeInvalidAccountState, nameInvalidAccountState,
			"CLOSE is not allowed: the account still owes "+owed.String())
	}
	if l.overpaid.IsPositive() {
		return statusReply(http.StatusBadRequest, codeInvalidAccountState, nameInvalidAccountState,
			"CLOSE is not allowed: the account holds an overpayment of "+l.overpaid.String())
	}
	l.forgetUnapplied(on)
	l.state, l.closedOn = "CLOSED", on
	return statusReply(http.StatusOK, 0, "SUCCESS", "")
}

// writeOff is a WRITE_OFF: what the account owes on its value date is written off, the interest not
// yet applied forgiven, and the account closed as written off.
func (s *Server) writeOff(l *loan, p txParams) reply {
	on, rep := s.serviceOn(l, p, "WRITE_OFF")
	if rep != nil {
		return *rep
	}
	l.forgetUnapplied(on)
	off := l.rows.WriteOff()
	tx := s.addTx(l, &transaction{typ: "WRITE_OFF", amount: off.Total(), valueDate: on, notes: p.get("notes"),
		principal: off.Principal, interest: off.Interest, fees: off.Fees.Add(off.Penalties)})
	l.state, l.closedOn = "CLOSED_WRITTEN_OFF", on
	return ok(s.renderTx(l, tx))
}

// applyFee is a FEE, a manual fee applied to the installment the repayment parameter numbers, or else
// to the oldest installment not paid in full.
func (s *Server) applyFee(l *loan, p txParams) reply {
	amt, on, rep := s.serviceAmount(l, p, "FEE")
	if rep != nil {
		return *rep
	}
	row := len(l.rows)
	for _, r := range l.rows {
		if r.Outstanding().Total().IsPositive() {
			row = r.Number
			break
		}
	}
	if v := p.get("repayment"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(l.rows) {
			return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "repayment must number one of the account's installments")
		}
		row = n
	}
	r := l.rows[row-1]
	r.Charged.Fees = r.Charged.Fees.Add(amt)
	tx := s.addTx(l, &transaction{typ: "FEE", amount: amt, valueDate: on, notes: p.get("notes"), fees: amt, row: row})
	return ok(s.renderTx(l, tx))
}

// adjustFee is a FEE_ADJUSTMENT: the FEE named by originalTransactionId (its id or encoded key) taken
// back whole. A fee already adjusted, or whose installment has since been paid, is refused.
func (s *Server) adjustFee(l *loan, p txParams) reply {
	on, rep := s.serviceOn(l, p, "FEE_ADJUSTMENT")
	if rep != nil {
		return *rep
	}
	orig := p.get("originalTransactionId")
	var fee *transaction
	for _, tx := range l.txs {
		if tx.typ == "FEE" && (tx.key == orig || strconv.FormatInt(tx.id, 10) == orig) {
			fee = tx
		}
	}
	switch {
	case fee == nil:
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "originalTransactionId must name a FEE of the account")
	case fee.reversalKey != "":
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "the fee "+orig+" was already adjusted")
	}
	r := l.rows[fee.row-1]
	if r.Outstanding().Fees.LessThan(fee.amount) {
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "the fee "+orig+" has been paid")
	}
	r.Waived.Fees = r.Waived.Fees.Add(fee.amount)
	adj := &transaction{typ: "FEE_ADJUSTMENT", amount: fee.amount, valueDate: on, notes: p.get("notes"), fees: fee.amount, row: fee.row}
	res := s.bookSettled(l, adj)
	fee.reversalKey = adj.key
	return res
}

// adjustInterest is an INTEREST_APPLIED_ADJUSTMENT: amount of the interest applied and unpaid on its
// value date taken back, oldest installment first; never more than that.
func (s *Server) adjustInterest(l *loan, p txParams) reply {
	amt, on, rep := s.serviceAmount(l, p, "INTEREST_APPLIED_ADJUSTMENT")
	if rep != nil {
		return *rep
	}
	applied := decimal.Zero
	for _, r := range l.rows {
		if !r.DueDate.After(on) {
			applied = applied.Add(r.Outstanding().Interest)
		}
	}
	if amt.GreaterThan(applied) {
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS",
			"amount exceeds the interest applied and unpaid of "+applied.String())
	}
	l.rows.WaiveInterest(amt, on)
	return s.bookSettled(l, &transaction{typ: "INTEREST_APPLIED_ADJUSTMENT", amount: amt, valueDate: on, notes: p.get("notes"), interest: amt})
}

// paymentMade is a PAYMENT_MADE: money the account holds beyond what it owed paid back to the client;
// with none left, an account that owes nothing is closed.
func (s *Server) paymentMade(l *loan, p txParams) reply {
	amt, on, rep := s.serviceAmount(l, p, "PAYMENT_MADE")
	if rep != nil {
		return *rep
	}
	if amt.GreaterThan(l.overpaid) {
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "amount exceeds the overpayment of "+l.overpaid.String())
	}
	l.overpaid = l.overpaid.Sub(amt)
	return s.bookSettled(l, &transaction{typ: "PAYMENT_MADE", amount: amt, valueDate: on, notes: p.get("notes")})
}
