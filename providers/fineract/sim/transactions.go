package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Transaction type ids (type.id in answers), as Fineract's LoanTransactionType numbers them.
const (
	txDisbursement        = 1
	txRepayment           = 2
	txWaiveInterest       = 4
	txWriteOff            = 6
	txWaiveCharges        = 9
	txRefundForActiveLoan = 18
	txCreditBalanceRefund = 20
)

type transaction struct {
	id         int64
	loanID     int64
	externalID string
	typ        int
	// foreclosure marks the repayment a foreclosure booked.
	foreclosure bool
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

// addTx books tx on l; its outstandingLoanBalance is the principal still owed after it.
func (s *Server) addTx(l *loan, tx *transaction) *transaction {
	s.nextTx++
	tx.id, tx.loanID = s.nextTx, l.id
	tx.outstanding = l.outstanding().Principal
	l.txs = append(l.txs, tx)
	if tx.externalID != "" {
		s.txByExt[tx.externalID] = tx.id
	}
	return tx
}

// transactionCommand is POST loans/{id}/transactions?command=… (L4911-5118); the command is matched
// without regard to case, as Fineract does.
func (s *Server) transactionCommand(r *http.Request, idStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	cmd := r.URL.Query().Get("command")
	book, known := transactionCommands[strings.ToLower(cmd)]
	if !known {
		return unrecognizedCommand(cmd)
	}
	return book(s, r, l)
}

// transactionCommands book a loan transaction, by its command in lower case.
var transactionCommands = map[string]func(*Server, *http.Request, *loan) reply{
	"repayment":           (*Server).repay,
	"foreclosure":         (*Server).foreclose,
	"writeoff":            (*Server).writeOff,
	"waiveinterest":       (*Server).waiveInterest,
	"refundbycash":        (*Server).refundByCash,
	"creditbalancerefund": (*Server).creditBalanceRefund,
}

// moneyParams are what a money transaction's body may carry besides its date and amount (L4911-4946).
var moneyParams = []string{"transactionDate", "transactionAmount", "externalId", "paymentTypeId", "note", "accountNumber",
	"checkNumber", "routingCode", "receiptNumber", "bankNumber", "locale", "dateFormat"}

// moneyBody reads a money transaction's date, positive amount and externalId.
func moneyBody(r *http.Request) (b *body, on time.Time, amount decimal.Decimal, ext string, rep *reply) {
	return txBody(r, "loan.transaction", true, moneyParams...)
}

// moneyChanges are the "changes" a money transaction echoes.
func moneyChanges(b *body) map[string]any {
	return echo(b, "transactionDate", "transactionAmount", "externalId", "note", "locale", "dateFormat")
}

// txBody reads a transaction command's body under resource: its transactionDate, its positive
// transactionAmount if withAmount, and its externalId; what is wrong in it is one validation error.
func txBody(r *http.Request, resource string, withAmount bool, params ...string) (b *body, on time.Time, amount decimal.Decimal, ext string, rep *reply) {
	b, rep = parseBody(r, resource, params...)
	if rep != nil {
		return nil, on, amount, "", rep
	}
	on = b.date("transactionDate", true)
	if withAmount {
		amount = positive(b, "transactionAmount")
	}
	ext = b.str("externalId")
	if len(b.probs) > 0 {
		v := validation(b.probs...)
		return nil, on, amount, "", &v
	}
	return b, on, amount, ext, nil
}

// serviceable refuses a transaction on a loan that is not active, with the command's own code and
// message, or one dated before the loan's pay-out.
func serviceable(l *loan, on time.Time, code, msg string) *reply {
	if l.status != statusActive {
		rep := domainRule(code, msg)
		return &rep
	}
	if on.Before(l.actualDisbursement) {
		rep := domainRule("error.msg.loan.transaction.cannot.be.before.disbursement.date",
			"The transaction date cannot be before the loan disbursement date.")
		return &rep
	}
	return nil
}

func (s *Server) repay(r *http.Request, l *loan) reply {
	b, on, amount, ext, rep := moneyBody(r)
	if rep != nil {
		return *rep
	}
	if rep := serviceable(l, on, "error.msg.loan.repayment.account.is.not.active",
		"Loan Repayment is not allowed. Loan Account is not active."); rep != nil {
		return *rep
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	tx := s.payment(l, ext, on, amount)
	return ok(commandResult(l, tx.id, echo(b, "transactionDate", "transactionAmount", "externalId", "note", "paymentTypeId", "locale", "dateFormat")))
}

// payment books a repayment of amount on l; what the loan no longer owes is overpaid.
func (s *Server) payment(l *loan, ext string, on time.Time, amount decimal.Decimal) *transaction {
	covered, over := l.pay(amount)
	tx := &transaction{externalID: ext, typ: txRepayment, date: on, amount: amount, overpayment: over,
		principal: covered.Principal, interest: covered.Interest, fees: covered.Fees, penalties: covered.Penalties}
	l.overpaid = l.overpaid.Add(over)
	s.addTx(l, tx)
	l.settle(on)
	return tx
}

// settle closes an active loan that owes nothing more on on: obligations met, or overpaid when it
// holds more than it was owed; an overpaid loan whose credit is all refunded is closed.
func (l *loan) settle(on time.Time) {
	switch {
	case l.status == statusActive && l.outstanding().Total().IsZero():
		l.status, l.closedOn = statusClosedObligationsMet, on
		if l.overpaid.IsPositive() {
			l.status = statusOverpaid
		}
	case l.status == statusOverpaid && l.overpaid.IsZero():
		l.status, l.closedOn = statusClosedObligationsMet, on
	}
}

// absorbOverpaid pays what an overpaid loan newly owes on on from its credit, as Fineract's
// reprocessing of the overpaying repayment does; a loan that then still owes something is active
// again.
func (l *loan) absorbOverpaid(on time.Time) {
	if l.status != statusOverpaid {
		return
	}
	if owed := l.outstanding().Total(); owed.IsPositive() {
		covered, _ := l.pay(decimal.Min(owed, l.overpaid))
		l.overpaid = l.overpaid.Sub(covered.Total())
		l.status, l.closedOn = statusActive, time.Time{}
		l.settle(on)
	}
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
