package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simbook"
	"github.com/loanflow/loanflow/schedule"
)

// Charge is a charge definition of the tenant (POST charges, L10140-10361). Only what loans need is
// simulated: a flat amount, due on a date the loan charge names (chargeTimeType 2, "Specified due
// date"); Penalty tells a penalty from a fee.
type Charge struct {
	ID      int64
	Name    string
	Penalty bool
}

// DefaultPenaltyCharge is charge 1, the late-payment penalty a tenant set up for loanflow defines.
var DefaultPenaltyCharge = Charge{ID: 1, Name: "Late payment penalty", Penalty: true}

// loanCharge is a charge applied to a loan (m_loan_charge): its amount, due on due, falls on one
// schedule row, whose payments settle it oldest first.
type loanCharge struct {
	id          int64
	def         Charge
	externalID  string
	amount      decimal.Decimal
	due         time.Time
	installment int
	paid        decimal.Decimal
	waived      decimal.Decimal
	writtenOff  decimal.Decimal
	active      bool
}

func (c *loanCharge) outstanding() decimal.Decimal {
	return c.amount.Sub(c.paid).Sub(c.waived).Sub(c.writtenOff)
}

// add adds amount to p's penalties or fees, as c is a penalty or a fee.
func (c *loanCharge) add(p schedule.Part, amount decimal.Decimal) schedule.Part {
	if c.def.Penalty {
		p.Penalties = p.Penalties.Add(amount)
	} else {
		p.Fees = p.Fees.Add(amount)
	}
	return p
}

// rowCharges are the active penalties (or fees) on row number, oldest due first.
func (l *loan) rowCharges(number int, penalty bool) []*loanCharge {
	var out []*loanCharge
	for _, c := range l.charges {
		if c.active && c.installment == number && c.def.Penalty == penalty {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b *loanCharge) int { return a.due.Compare(b.due) })
	return out
}

// chargesOn is what the charges on row number add to its penalties (or fees).
func (l *loan) chargesOn(number int, penalty bool) decimal.Decimal {
	total := decimal.Zero
	for _, c := range l.rowCharges(number, penalty) {
		total = total.Add(c.amount)
	}
	return total
}

// settleCharges books amount paid on row number's penalties (or fees) on its charges, oldest first;
// a negative amount takes payments back, newest first. A fee payment beyond the fee charges pays the
// schedule's own fees, which need no book.
func (l *loan) settleCharges(number int, penalty bool, amount decimal.Decimal) {
	charges := l.rowCharges(number, penalty)
	if amount.IsNegative() {
		left := amount.Neg()
		for i := len(charges) - 1; i >= 0 && left.IsPositive(); i-- {
			t := decimal.Min(charges[i].paid, left)
			charges[i].paid, left = charges[i].paid.Sub(t), left.Sub(t)
		}
		return
	}
	left := amount
	for _, c := range charges {
		t := decimal.Min(c.outstanding(), left)
		c.paid, left = c.paid.Add(t), left.Sub(t)
	}
}

// rowFor is the row a charge due on due falls on: the first whose period ends on or after it. A
// charge due after the maturity date gets a row of its own after the last, as Fineract adds one; a
// later charge moves that row's due date.
func (l *loan) rowFor(due time.Time) *simbook.Row {
	for _, in := range l.insts {
		if !in.DueDate.Before(due) {
			return in
		}
	}
	last := l.insts[len(l.insts)-1]
	if last.Additional {
		last.DueDate, last.Days = due, simbook.DaysBetween(last.FromDate, due)
		return last
	}
	in := &simbook.Row{Number: last.Number + 1, FromDate: last.DueDate, DueDate: due, Days: simbook.DaysBetween(last.DueDate, due),
		Additional: true}
	in.Charged.Number = in.Number
	l.insts = append(l.insts, in)
	return in
}

// addCharge is POST loans/{id}/charges (L5493-5560).
func (s *Server) addCharge(r *http.Request, idStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	b, rep := parseBody(r, "loanCharge", "chargeId", "amount", "dueDate", "externalId", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	chargeID := b.integer("chargeId", true)
	amount := positive(b, "amount")
	due := b.date("dueDate", true)
	ext := b.str("externalId")
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	def, known := s.charges[chargeID]
	if !known {
		return notFound("error.msg.charge.id.invalid", fmt.Sprintf("Charge with identifier %d does not exist", chargeID), chargeID)
	}
	if l.closed() {
		return domainRule("error.msg.loanCharge.cannot.be.added.as.loan.is.closed",
			"This charge cannot be added as the loan is already closed.")
	}
	if !l.actualDisbursement.IsZero() && due.Before(l.actualDisbursement) {
		return domainRule("error.msg.loanCharge.cannot.be.added.as.date.is.before.last.transaction.date",
			"charge with date before last transaction date can not be added to loan.")
	}
	if ext != "" {
		if _, dup := s.chargeByExt[ext]; dup {
			return dataIntegrity("externalId", "error.msg.loan.charge.duplicate.externalId",
				fmt.Sprintf("Loan charge with externalId `%s` already exists", ext))
		}
	}
	row := l.rowFor(due)
	s.nextCharge++
	c := &loanCharge{id: s.nextCharge, def: def, externalID: ext, amount: amount, due: due, installment: row.Number, active: true}
	l.charges = append(l.charges, c)
	if ext != "" {
		s.chargeByExt[ext] = c.id
	}
	row.Charged = c.add(row.Charged, amount)
	l.absorbOverpaid(due)
	res := commandResult(l, c.id, echo(b, "chargeId", "amount", "dueDate", "externalId", "locale", "dateFormat"))
	if ext != "" {
		res["resourceExternalId"] = ext
	}
	return ok(res)
}

// chargeCommand is POST loans/{id}/charges/{loanChargeId}?command=waive (waiveLoanCharge).
func (s *Server) chargeCommand(r *http.Request, idStr, chargeIDStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	if cmd := r.URL.Query().Get("command"); !strings.EqualFold(cmd, "waive") {
		return unrecognizedCommand(cmd)
	}
	b, rep := parseBody(r, "loan.charge.waive.transaction", "dueDate", "installmentNumber", "externalId", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	ext := b.str("externalId")
	chargeID, _ := strconv.ParseInt(chargeIDStr, 10, 64)
	var c *loanCharge
	for _, lc := range l.charges {
		if lc.id == chargeID {
			c = lc
		}
	}
	if c == nil {
		return notFound("error.msg.loanCharge.id.invalid.for.given.loan",
			fmt.Sprintf("Loan charge with identifier %s does not exist for loan %d", chargeIDStr, l.id), chargeIDStr)
	}
	switch {
	case l.status != statusActive:
		return domainRule("error.msg.loan.charge.associated.loan.inactive",
			"This loan charge can be waived as the loan associated with it is currently inactive")
	case c.waived.IsPositive():
		return domainRule("error.msg.loan.charge.already.waived", "This loan charge has already been waived")
	case !c.outstanding().IsPositive():
		return domainRule("error.msg.loan.charge.already.paid", "This loan charge has been completely paid")
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	waived := c.outstanding()
	c.waived = waived
	row := l.insts[c.installment-1]
	row.Waived = c.add(row.Waived, waived)
	tx := &transaction{externalID: ext, typ: txWaiveCharges, date: c.due, amount: waived}
	if c.def.Penalty {
		tx.penalties = waived
	} else {
		tx.fees = waived
	}
	s.addTx(l, tx)
	l.settle(c.due)
	res := commandResult(l, c.id, map[string]any{"externalId": ext})
	res["subResourceId"] = tx.id
	return ok(res)
}

// listCharges is GET loans/{id}/charges (L5561-5652).
func (s *Server) listCharges(idStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	out := make([]map[string]any, 0, len(l.charges))
	for _, c := range l.charges {
		if c.active {
			out = append(out, renderCharge(l, c))
		}
	}
	return reply{status: http.StatusOK, body: out}
}

func renderCharge(l *loan, c *loanCharge) map[string]any {
	m := map[string]any{
		"id": c.id, "chargeId": c.def.ID, "name": c.def.Name, "loanId": l.id, "penalty": c.def.Penalty,
		"chargeTimeType":        map[string]any{"id": 2, "code": "chargeTimeType.specifiedDueDate", "value": "Specified due date"},
		"chargeCalculationType": map[string]any{"id": 1, "code": "chargeCalculationType.flat", "value": "Flat"},
		"chargePaymentMode":     map[string]any{"id": 0, "code": "chargepaymentmode.regular", "value": "Regular"},
		"currency":              renderCurrency(l.product), "dueDate": jdate(c.due),
		"amount": num(c.amount), "amountOrPercentage": num(c.amount), "amountPaid": num(c.paid),
		"amountWaived": num(c.waived), "amountWrittenOff": num(c.writtenOff), "amountOutstanding": num(c.outstanding()),
		"paid": c.paid.Equal(c.amount), "waived": c.waived.IsPositive(), "chargePayable": false,
	}
	if c.externalID != "" {
		m["externalId"] = c.externalID
	}
	return m
}
