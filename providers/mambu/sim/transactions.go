package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simbook"
	"github.com/loanflow/loanflow/schedule"
)

// The account state for an illegal transition; the seed documents none (see the package comment).
const (
	codeInvalidAccountState = 105
	nameInvalidAccountState = "INVALID_ACCOUNT_STATE"
)

type transaction struct {
	key              string
	id               int64
	typ              string
	amount           decimal.Decimal
	principal        decimal.Decimal
	interest         decimal.Decimal
	fees             decimal.Decimal
	balance          decimal.Decimal
	principalBalance decimal.Decimal
	valueDate        time.Time
	created          time.Time
	notes            string
	// row is the installment a FEE was applied to; reversalKey the adjustment that took it back.
	row         int
	reversalKey string
}

// jsonTransactionFields are JSONTransactionRequestApiV1's properties (L48642-48657).
var jsonTransactionFields = map[string]bool{"amount": true, "bookingDate": true, "currencyCode": true,
	"customInformation": true, "date": true, "fees": true, "firstRepaymentDate": true, "method": true,
	"notes": true, "originalTransactionId": true, "rate": true, "type": true, "valueDate": true}

// txParams merges the query, a form body and a JSON body: the endpoint takes its data either way (L140-147).
type txParams struct {
	values url.Values
	json   map[string]json.RawMessage
}

func (p txParams) get(k string) string {
	if raw, ok := p.json[k]; ok {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return strings.TrimSpace(string(raw))
	}
	return p.values.Get(k)
}

func readTxParams(r *http.Request) (txParams, *reply) {
	p := txParams{values: r.URL.Query()}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err == nil && len(bytes.TrimSpace(raw)) > 0 {
			err = json.Unmarshal(raw, &p.json)
		}
		if err != nil {
			rep := statusReply(http.StatusBadRequest, 30, "MISSING_ENTITY_JSON", "Malformatted JSON")
			return p, &rep
		}
		for k := range p.json {
			if !jsonTransactionFields[k] {
				rep := statusReply(http.StatusBadRequest, 27, "PARAMETER_NOT_ALLOWED", k)
				return p, &rep
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err == nil {
			p.values = r.Form
		}
	}
	return p, nil
}

// moneyTransactions book the transaction types that move money or close the account, by type.
var moneyTransactions = map[string]func(*Server, *loan, txParams) reply{
	"DISBURSEMENT":                (*Server).disburse,
	"REPAYMENT":                   (*Server).repay,
	"CLOSE":                       (*Server).closeAccount,
	"WRITE_OFF":                   (*Server).writeOff,
	"FEE":                         (*Server).applyFee,
	"FEE_ADJUSTMENT":              (*Server).adjustFee,
	"INTEREST_APPLIED_ADJUSTMENT": (*Server).adjustInterest,
	"PAYMENT_MADE":                (*Server).paymentMade,
}

// postTransaction is POST /loans/{id}/transactions (L27137-27313): every state change and money movement.
func (s *Server) postTransaction(r *http.Request, idOrKey string) reply {
	l := s.findLoan(idOrKey)
	if l == nil {
		return statusReply(http.StatusNotFound, 100, "INVALID_LOAN_ACCOUNT_ID", "")
	}
	p, rep := readTxParams(r)
	if rep != nil {
		return *rep
	}
	typ := p.get("type")
	if typ == "" {
		return propertyReply("Property type may not be null")
	}
	identifier := p.values.Get("identifier")
	if identifier != "" && s.identifiers[identifier] {
		return statusReply(http.StatusBadRequest, 148, "TRANSACTION_IDENTIFIER_ALREADY_USED", "")
	}
	var res reply
	switch typ {
	case "APPROVAL":
		res = s.transition(l, "PENDING_APPROVAL", "APPROVED", typ)
		if res.status == http.StatusOK {
			l.approvedOn = s.cfg.Now().UTC()
		}
	case "UNDO_APPROVAL":
		res = s.transition(l, "APPROVED", "PENDING_APPROVAL", typ)
	case "REJECT":
		res = s.transition(l, "PENDING_APPROVAL", "CLOSED_REJECTED", typ)
	case "WITHDRAW":
		res = s.transition(l, "PENDING_APPROVAL", "CLOSED_WITHDRAWN", typ)
		if res.status != http.StatusOK {
			res = s.transition(l, "APPROVED", "CLOSED_WITHDRAWN", typ)
		}
	default:
		book, known := moneyTransactions[typ]
		if !known {
			return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS",
				fmt.Sprintf("type %s is not supported by the simulator", typ))
		}
		res = book(s, l, p)
	}
	if res.status == http.StatusOK && identifier != "" {
		s.identifiers[identifier] = true
	}
	return res
}

func (s *Server) transition(l *loan, from, to, typ string) reply {
	if l.state != from {
		return statusReply(http.StatusBadRequest, codeInvalidAccountState, nameInvalidAccountState,
			fmt.Sprintf("%s is not allowed for an account in state %s", typ, l.state))
	}
	l.state = to
	if strings.HasPrefix(to, "CLOSED") {
		l.closedOn = s.cfg.Now().UTC()
	}
	return statusReply(http.StatusOK, 0, "SUCCESS", "")
}

func (s *Server) valueDate(p txParams, def time.Time) (time.Time, *reply) {
	v := p.get("valueDate")
	if v == "" {
		v = p.get("date")
	}
	if v == "" {
		return def, nil
	}
	t, err := parseDate(v)
	if err != nil {
		rep := propertyReply("Property valueDate: " + err.Error())
		return t, &rep
	}
	return t, nil
}

func (s *Server) disburse(l *loan, p txParams) reply {
	on, rep := s.valueDate(p, l.expectedDisbursement)
	if rep != nil {
		return *rep
	}
	first := l.firstRepayment
	if v := p.get("firstRepaymentDate"); v != "" {
		var err error
		if first, err = parseDate(v); err != nil {
			return propertyReply("Property firstRepaymentDate: " + err.Error())
		}
	}
	if v := p.get("amount"); v != "" {
		a, err := decimal.NewFromString(v)
		if err != nil || !a.Equal(l.amount) {
			return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS",
				"amount must equal the loan amount "+l.amount.String()+" for a loan without tranches")
		}
	}
	if l.state != "APPROVED" {
		return statusReply(http.StatusBadRequest, codeInvalidAccountState, nameInvalidAccountState,
			"DISBURSEMENT is not allowed for an account in state "+l.state)
	}
	planned := l.firstRepayment
	l.firstRepayment = first
	if err := s.reschedule(l, on); err != nil {
		l.firstRepayment = planned
		return statusReply(http.StatusBadRequest, 184, "PARAMS_INCONSISTENT_WITH_PRODUCT_RULES", err.Error())
	}
	l.state, l.disbursedOn = "ACTIVE", on
	if c := s.clients[l.holderKey]; c != nil {
		c.state = "ACTIVE"
	}
	tx := s.addTx(l, &transaction{typ: "DISBURSMENT", amount: l.amount, valueDate: on, notes: p.get("notes")})
	return ok(s.renderTx(l, tx))
}

// amountOf reads the transaction's positive amount.
func amountOf(p txParams) (decimal.Decimal, *reply) {
	raw := p.get("amount")
	if raw == "" {
		rep := propertyReply("Property amount may not be null")
		return decimal.Zero, &rep
	}
	amt, err := decimal.NewFromString(raw)
	if err != nil || !amt.IsPositive() {
		rep := statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "amount must be a positive number")
		return decimal.Zero, &rep
	}
	return amt, nil
}

// serviceable checks the account takes the transaction typ on: active, and on not before the pay-out.
func (l *loan) serviceable(typ string, on time.Time) *reply {
	if l.state != "ACTIVE" && l.state != "ACTIVE_IN_ARREARS" {
		rep := statusReply(http.StatusBadRequest, codeInvalidAccountState, nameInvalidAccountState,
			typ+" is not allowed for an account in state "+l.state)
		return &rep
	}
	if on.Before(l.disbursedOn) {
		rep := statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "valueDate is before the disbursement")
		return &rep
	}
	return nil
}

// serviceOn reads the value date of a transaction typ, today when none is given, and checks the
// account takes it then.
func (s *Server) serviceOn(l *loan, p txParams, typ string) (time.Time, *reply) {
	on, rep := s.valueDate(p, s.today())
	if rep != nil {
		return on, rep
	}
	return on, l.serviceable(typ, on)
}

// serviceAmount reads the positive amount of a transaction typ as well as its value date.
func (s *Server) serviceAmount(l *loan, p txParams, typ string) (decimal.Decimal, time.Time, *reply) {
	amt, rep := amountOf(p)
	if rep != nil {
		return amt, time.Time{}, rep
	}
	on, rep := s.serviceOn(l, p, typ)
	return amt, on, rep
}

// repay books a REPAYMENT. What is due by its value date is paid first, oldest installment first, in
// the product's order (fee, penalty, interest, principal). Money paid ahead then follows the product's
// prepaymentRecalculationMethod: without recalculation it pays the next installments whole, in the same
// order; with one it pays the principal still owed first, then the interest as it falls due, as Mambu
// applies the interest accrued on a prepayment (the simulator does not recompute later installments'
// interest: a CLOSE forgives what was not applied). Beyond the balance, money is held as an overpayment
// only if the product accepts overpayments.
func (s *Server) repay(l *loan, p txParams) reply {
	amt, on, rep := s.serviceAmount(l, p, "REPAYMENT")
	if rep != nil {
		return *rep
	}
	owed := l.rows.Totals().Outstanding.Total()
	if amt.GreaterThan(owed) && l.product.FuturePaymentsAcceptance != "ACCEPT_OVERPAYMENTS" {
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "amount exceeds the total balance of "+owed.String())
	}
	var due, ahead []schedule.Due
	for _, d := range l.rows.Dues() {
		if l.rows[d.Number-1].DueDate.After(on) {
			ahead = append(ahead, d)
		} else {
			due = append(due, d)
		}
	}
	paid, left := l.rows.Pay(due, amt)
	if m := l.product.PrepaymentRecalculationMethod; m != "" && m != "NO_RECALCULATION" {
		principal := make([]schedule.Due, len(ahead))
		for i, d := range ahead {
			principal[i] = schedule.Due{Number: d.Number, Principal: d.Principal}
		}
		var more []schedule.Part
		more, left = l.rows.Pay(principal, left)
		paid = append(paid, more...)
		ahead = l.rows.Dues()
	}
	more, over := l.rows.Pay(ahead, left)
	covered := simbook.Sum(append(paid, more...))
	l.overpaid = l.overpaid.Add(over)
	return s.bookSettled(l, &transaction{typ: "REPAYMENT", amount: amt, valueDate: on, notes: p.get("notes"),
		principal: covered.Principal, interest: covered.Interest, fees: covered.Fees})
}

// bookSettled books tx, then closes the account if it owes nothing after it.
func (s *Server) bookSettled(l *loan, tx *transaction) reply {
	s.addTx(l, tx)
	l.settle(tx.valueDate)
	return ok(s.renderTx(l, tx))
}

// settle closes an account that owes nothing and holds no overpayment.
func (l *loan) settle(on time.Time) {
	if l.rows.Totals().Outstanding.Total().IsZero() && l.overpaid.IsZero() {
		l.state, l.closedOn = "CLOSED", on
	}
}

// addTx books tx; its balances are what the account owes after it.
func (s *Server) addTx(l *loan, tx *transaction) *transaction {
	s.nextTxID++
	tx.id, tx.key, tx.created = s.nextTxID, s.key(), s.cfg.Now().UTC()
	owed := l.rows.Totals().Outstanding
	tx.balance, tx.principalBalance = owed.Total(), owed.Principal
	l.txs = append(l.txs, tx)
	return tx
}

// page applies offset and limit (default 50, at most 1,000; L104-113).
func page[T any](r *http.Request, items []T) ([]T, *reply) {
	q := r.URL.Query()
	offset, limit := 0, 50
	if v := q.Get("offset"); v != "" {
		if _, err := fmt.Sscan(v, &offset); err != nil || offset < 0 {
			rep := statusReply(http.StatusBadRequest, 12, "OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE", "")
			return nil, &rep
		}
	}
	if v := q.Get("limit"); v != "" {
		if _, err := fmt.Sscan(v, &limit); err != nil || limit < 0 || limit > 1000 {
			rep := statusReply(http.StatusBadRequest, 14, "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE", "")
			return nil, &rep
		}
	}
	if offset >= len(items) {
		return []T{}, nil
	}
	end := min(offset+limit, len(items))
	return items[offset:end], nil
}

// listTransactions is GET /loans/{id}/transactions, most recent first (L17464-17466).
func (s *Server) listTransactions(r *http.Request, idOrKey string) reply {
	l := s.findLoan(idOrKey)
	if l == nil {
		return statusReply(http.StatusNotFound, 100, "INVALID_LOAN_ACCOUNT_ID", "")
	}
	txs := make([]*transaction, len(l.txs))
	copy(txs, l.txs)
	sort.SliceStable(txs, func(i, j int) bool { return txs[i].id > txs[j].id })
	paged, rep := page(r, txs)
	if rep != nil {
		return *rep
	}
	out := make([]map[string]any, 0, len(paged))
	for _, tx := range paged {
		out = append(out, s.renderTx(l, tx))
	}
	return ok(out)
}

// listRepayments is GET /loans/{id}/repayments (L18532-18661).
func (s *Server) listRepayments(r *http.Request, idOrKey string) reply {
	l := s.findLoan(idOrKey)
	if l == nil {
		return statusReply(http.StatusNotFound, 100, "INVALID_LOAN_ACCOUNT_ID", "")
	}
	rows, rep := page(r, s.renderInstallments(l))
	if rep != nil {
		return *rep
	}
	return ok(rows)
}
