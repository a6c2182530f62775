package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// Transaction type ids (type.id in answers).
const (
	txDisbursement = 1
	txRepayment    = 2
)

type transaction struct {
	id          int64
	loanID      int64
	externalID  string
	typ         int
	date        time.Time
	amount      decimal.Decimal
	principal   decimal.Decimal
	interest    decimal.Decimal
	fees        decimal.Decimal
	penalties   decimal.Decimal
	overpayment decimal.Decimal
	outstanding decimal.Decimal
}

// duplicateTx refuses a transaction externalId already used anywhere in the tenant (Fineract keeps
// them unique in m_loan_transaction).
func (s *Server) duplicateTx(ext string) *reply {
	if ext == "" {
		return nil
	}
	if _, dup := s.txByExt[ext]; dup {
		rep := dataIntegrity("externalId", "error.msg.loan.transaction.duplicate.externalId",
			fmt.Sprintf("Loan transaction with externalId `%s` already exists", ext))
		return &rep
	}
	return nil
}

func (s *Server) addTx(l *loan, tx *transaction) {
	s.nextTx++
	tx.id, tx.loanID = s.nextTx, l.id
	l.txs = append(l.txs, tx)
	if tx.externalID != "" {
		s.txByExt[tx.externalID] = tx.id
	}
}

// transactionCommand is POST loans/{id}/transactions?command=repayment (L4911-4946).
func (s *Server) transactionCommand(r *http.Request, idStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	if cmd := r.URL.Query().Get("command"); cmd != "repayment" {
		return unrecognizedCommand(cmd)
	}
	b, rep := parseBody(r, "loan.transaction", "transactionDate", "transactionAmount", "externalId", "paymentTypeId",
		"note", "accountNumber", "checkNumber", "routingCode", "receiptNumber", "bankNumber", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	on := b.date("transactionDate", true)
	amount := positive(b, "transactionAmount")
	ext := b.str("externalId")
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	if l.status != statusActive {
		return domainRule("error.msg.loan.repayment.account.is.not.active",
			"Loan Repayment is not allowed. Loan Account is not active.")
	}
	if on.Before(l.actualDisbursement) {
		return domainRule("error.msg.loan.transaction.cannot.be.before.disbursement.date",
			"The transaction date cannot be before the loan disbursement date.")
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	dues, err := schedule.Outstanding(l.sched, l.applied())
	if err != nil {
		return internalError()
	}
	alloc, err := schedule.Allocate(dues, amount)
	if err != nil {
		return internalError()
	}
	tx := &transaction{externalID: ext, typ: txRepayment, date: on, amount: amount, overpayment: alloc.Overpayment,
		principal: decimal.Zero, interest: decimal.Zero, fees: decimal.Zero, penalties: decimal.Zero}
	for _, p := range alloc.Parts {
		tx.principal = tx.principal.Add(p.Principal)
		tx.interest = tx.interest.Add(p.Interest)
		tx.fees = tx.fees.Add(p.Fees)
		tx.penalties = tx.penalties.Add(p.Penalties)
	}
	tx.outstanding = l.disbursed.Sub(l.principalRepaid()).Sub(tx.principal)
	s.addTx(l, tx)
	if remaining := l.totalExpected().Sub(l.applied()); !remaining.IsPositive() {
		l.status, l.closedOn = statusClosedObligationsMet, on
		if alloc.Overpayment.IsPositive() {
			l.status = statusOverpaid
		}
	}
	changes := echo(b, "transactionDate", "transactionAmount", "externalId", "note", "paymentTypeId", "locale", "dateFormat")
	return ok(commandResult(l, tx.id, changes))
}

// applied is what repayments have paid towards the schedule, overpayments excluded.
func (l *loan) applied() decimal.Decimal {
	sum := decimal.Zero
	for _, tx := range l.txs {
		if tx.typ == txRepayment {
			sum = sum.Add(tx.amount).Sub(tx.overpayment)
		}
	}
	return sum
}

// principalRepaid is the principal the recorded repayments covered.
func (l *loan) principalRepaid() decimal.Decimal {
	sum := decimal.Zero
	for _, tx := range l.txs {
		if tx.typ == txRepayment {
			sum = sum.Add(tx.principal)
		}
	}
	return sum
}

func (l *loan) totalExpected() decimal.Decimal {
	if l.sched == nil {
		return decimal.Zero
	}
	return l.sched.TotalRepayment
}

func (s *Server) getTransaction(loanIDStr, txIDStr string) reply {
	l, rep := s.loanByID(loanIDStr)
	if rep != nil {
		return *rep
	}
	txID, _ := strconv.ParseInt(txIDStr, 10, 64)
	for _, tx := range l.txs {
		if tx.id == txID {
			return ok(renderTx(l, tx))
		}
	}
	return notFound("error.msg.loan.transaction.id.invalid",
		fmt.Sprintf("Transaction with identifier %s does not exist for loan with identifier %d", txIDStr, l.id), txIDStr)
}
