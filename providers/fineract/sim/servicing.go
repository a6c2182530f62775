package sim

import (
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// foreclose is command=foreclosure (L4971-4992): the loan settled early on transactionDate. The rows
// from that date on become one, charging the interest accrued to it (forecloseOn); what the loan then
// owes is booked as a repayment under the externalId, and the loan is closed.
func (s *Server) foreclose(r *http.Request, l *loan) reply {
	b, on, _, ext, rep := txBody(r, "loan", false, "transactionDate", "note", "externalId", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	if rep := serviceable(l, on, "error.msg.loan.foreclosure.account.is.not.active",
		"Loan foreclosure is not allowed. Loan Account is not active."); rep != nil {
		return *rep
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	l.forecloseOn(on)
	owed := l.outstanding()
	changes := map[string]any{"transactionDate": b.str("transactionDate"), "eventAmount": num(owed.Principal),
		"transactions": []int64{}}
	if note := b.str("note"); note != "" {
		changes["note"] = note
	}
	res := map[string]any{"loanId": l.id, "changes": changes}
	if owed.Total().IsPositive() {
		tx := s.payment(l, ext, on, owed.Total())
		tx.foreclosure = true
		changes["transactions"] = []int64{tx.id}
		res["resourceId"] = tx.id
	}
	l.settle(on)
	return ok(res)
}

// writeOff is command=writeoff (L5018-5055): everything the loan owes, the interest of rows not yet due
// included, is written off and the loan closed as written off (601).
func (s *Server) writeOff(r *http.Request, l *loan) reply {
	b, on, _, ext, rep := txBody(r, "loan.transaction", false, "transactionDate", "note", "writeoffReasonId", "externalId", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	if rep := serviceable(l, on, "error.msg.loan.writtenoff.account.is.not.active",
		"Loan Written off is not allowed. Loan Account is not active."); rep != nil {
		return *rep
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	off := l.writeOff()
	tx := s.addTx(l, &transaction{externalID: ext, typ: txWriteOff, date: on, amount: off.Total(),
		principal: off.Principal, interest: off.Interest, fees: off.Fees, penalties: off.Penalties})
	l.status, l.closedOn, l.writtenOffOn = statusClosedWrittenOff, on, on
	changes := echo(b, "transactionDate", "note", "locale", "dateFormat")
	changes["status"] = renderStatus(l.status)
	changes["closedOnDate"], changes["writtenOffOnDate"] = b.str("transactionDate"), b.str("transactionDate")
	return ok(commandResult(l, tx.id, changes))
}

// waiveInterest is command=waiveInterest (L4993-5017): transactionAmount of interest forgiven, oldest
// row first; never more than the loan's outstanding interest.
func (s *Server) waiveInterest(r *http.Request, l *loan) reply {
	b, on, amount, ext, rep := moneyBody(r)
	if rep != nil {
		return *rep
	}
	if rep := serviceable(l, on, "error.msg.loan.repayment.or.waiver.account.is.not.active",
		"Loan Repayment (or its types) or Waiver is not allowed. Loan Account is not active."); rep != nil {
		return *rep
	}
	if amount.GreaterThan(l.outstanding().Interest) {
		return domainRule("error.msg.loan.waive.interest.amount.exceeds.total.outstanding.interest",
			"The amount of interest to waive cannot be greater than total interest outstanding on loan.")
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	l.insts.WaiveInterest(amount, time.Time{})
	tx := s.addTx(l, &transaction{externalID: ext, typ: txWaiveInterest, date: on, amount: amount, interest: amount})
	l.settle(on)
	return ok(commandResult(l, tx.id, moneyChanges(b)))
}

// refundByCash is command=refundByCash (L4947-4970): money paid in advance on an active loan, on rows
// not yet due, paid back; more than was paid in advance is refused.
func (s *Server) refundByCash(r *http.Request, l *loan) reply {
	b, on, amount, ext, rep := moneyBody(r)
	if rep != nil {
		return *rep
	}
	if l.status != statusActive {
		return domainRule("error.msg.loan.refund.account.is.not.active", "Loan Refund is not allowed. Loan Account is not active.")
	}
	if advance := l.insts.PaidInAdvance(on); !advance.IsPositive() || amount.GreaterThan(advance) {
		return domainRule("error.msg.loan.refund.amount.invalid",
			"The refund amount `"+amount.String()+"` is invalid or loan is not paid in advance.")
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	back := l.unpay(amount, on)
	tx := s.addTx(l, &transaction{externalID: ext, typ: txRefundForActiveLoan, date: on, amount: amount,
		principal: back.Principal, interest: back.Interest, fees: back.Fees, penalties: back.Penalties})
	return ok(commandResult(l, tx.id, moneyChanges(b)))
}

// creditBalanceRefund is command=creditBalanceRefund: an overpaid loan's credit paid back to the
// borrower; once none is left the loan is closed.
func (s *Server) creditBalanceRefund(r *http.Request, l *loan) reply {
	b, on, amount, ext, rep := moneyBody(r)
	if rep != nil {
		return *rep
	}
	if l.status != statusOverpaid {
		return domainRule("error.msg.loan.credit.balance.refund.account.is.not.overpaid",
			"Loan Credit Balance Refund is not allowed. Loan Account is not Overpaid.")
	}
	if amount.GreaterThan(l.overpaid) {
		return validation(detail("transactionAmount", "error.msg.transactionAmount.invalid.must.be.>zero.and<=overpaidamount",
			"Transaction Amount ("+amount.String()+") must be > zero and <= Overpaid amount ("+l.overpaid.String()+").", amount.String()))
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	l.overpaid = l.overpaid.Sub(amount)
	tx := s.addTx(l, &transaction{externalID: ext, typ: txCreditBalanceRefund, date: on, amount: amount, overpayment: amount,
		principal: decimal.Zero})
	l.settle(on)
	return ok(commandResult(l, tx.id, moneyChanges(b)))
}
