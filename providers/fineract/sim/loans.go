package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simbook"
	"github.com/loanflow/loanflow/schedule"
)

// Loan status ids, as Fineract numbers them (L4554-4596, L5039).
const (
	statusSubmitted            = 100
	statusApproved             = 200
	statusActive               = 300
	statusWithdrawn            = 400
	statusRejected             = 500
	statusClosedObligationsMet = 600
	statusClosedWrittenOff     = 601
	statusOverpaid             = 700
)

type loan struct {
	id         int64
	externalID string
	clientID   int64
	product    Product
	status     int

	principal         decimal.Decimal
	approvedPrincipal decimal.Decimal
	disbursed         decimal.Decimal

	termFrequency          int
	termFrequencyType      int
	numberOfRepayments     int
	repaymentEvery         int
	repaymentFrequencyType int
	interestRatePerPeriod  decimal.Decimal
	amortizationType       int
	interestType           int
	interestPeriodType     int
	strategyID             int

	submittedOn          time.Time
	expectedDisbursement time.Time
	approvedOn           time.Time
	actualDisbursement   time.Time
	closedOn             time.Time
	writtenOffOn         time.Time
	firstRepayment       time.Time

	// sched is the schedule the terms give; insts its rows as transactions changed them.
	sched   *schedule.Schedule
	insts   simbook.Rows
	charges []*loanCharge
	txs     []*transaction
	// overpaid is the credit the loan holds: paid beyond what it owed, not yet refunded.
	overpaid decimal.Decimal
}

// closed reports whether the loan takes no more charges or money: closed with its obligations met,
// written off, rejected or withdrawn.
func (l *loan) closed() bool {
	switch l.status {
	case statusClosedObligationsMet, statusClosedWrittenOff, statusRejected, statusWithdrawn:
		return true
	}
	return false
}

var loanParams = []string{"clientId", "productId", "externalId", "loanType", "principal", "loanTermFrequency",
	"loanTermFrequencyType", "numberOfRepayments", "repaymentEvery", "repaymentFrequencyType",
	"interestRatePerPeriod", "amortizationType", "interestType", "interestCalculationPeriodType",
	"transactionProcessingStrategyId", "expectedDisbursementDate", "submittedOnDate",
	"repaymentsStartingFromDate", "interestChargedFromDate", "graceOnPrincipalPayment", "graceOnInterestPayment",
	"graceOnInterestCharged", "graceOnArrearsAgeing", "inArrearsTolerance", "accountNo", "fundId",
	"loanOfficerId", "loanPurposeId", "linkAccountId", "fixedEmiAmount", "maxOutstandingLoanBalance",
	"allowPartialPeriodInterestCalcualtion", "createStandingInstructionAtDisbursement", "locale", "dateFormat"}

// submitLoan is POST loans (L4464-4528).
func (s *Server) submitLoan(r *http.Request) reply {
	if cmd := r.URL.Query().Get("command"); cmd != "" {
		return unrecognizedCommand(cmd)
	}
	b, rep := parseBody(r, "loan", loanParams...)
	if rep != nil {
		return *rep
	}
	l := &loan{status: statusSubmitted, externalID: b.str("externalId")}
	l.clientID = b.integer("clientId", true)
	productID := b.integer("productId", true)
	if lt := b.mandatoryStr("loanType"); lt != "" && lt != "individual" {
		b.probs.invalid("loan", "loanType", "is.not.one.of.expected.enumerations", lt)
	}
	l.principal = positive(b, "principal")
	l.termFrequency = count(b, "loanTermFrequency")
	l.termFrequencyType = enum(b, "loanTermFrequencyType", 0, 3)
	l.numberOfRepayments = count(b, "numberOfRepayments")
	l.repaymentEvery = count(b, "repaymentEvery")
	l.repaymentFrequencyType = enum(b, "repaymentFrequencyType", 0, 2)
	l.interestRatePerPeriod = b.amount("interestRatePerPeriod", true)
	if l.interestRatePerPeriod.IsNegative() {
		b.probs.invalid("loan", "interestRatePerPeriod", "not.zero.or.greater", l.interestRatePerPeriod.String())
	}
	l.amortizationType = enum(b, "amortizationType", 0, 1)
	l.interestType = enum(b, "interestType", 0, 1)
	l.interestPeriodType = enum(b, "interestCalculationPeriodType", 0, 1)
	l.strategyID = enum(b, "transactionProcessingStrategyId", 1, 6)
	l.expectedDisbursement = b.date("expectedDisbursementDate", true)
	l.submittedOn = b.date("submittedOnDate", true)
	l.firstRepayment = b.date("repaymentsStartingFromDate", false)
	if len(b.probs) == 0 {
		if l.expectedDisbursement.Before(l.submittedOn) {
			b.probs.invalid("loan", "expectedDisbursementDate", "cannot.be.before.submittal.date", nil)
		}
		// Fineract refuses a term shorter than the repayments span when both are in the same unit.
		if l.termFrequencyType == l.repaymentFrequencyType && l.termFrequency < l.numberOfRepayments*l.repaymentEvery {
			b.probs.invalid("loan", "loanTermFrequency", "less.than.repayment.structure.suggests", l.termFrequency)
		}
	}
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	c := s.clients[l.clientID]
	if c == nil {
		return notFound("error.msg.client.id.invalid", fmt.Sprintf("Client with identifier %d does not exist", l.clientID), l.clientID)
	}
	p, known := s.products[productID]
	if !known {
		return notFound("error.msg.loanproduct.id.invalid", fmt.Sprintf("Loan Product with identifier %d does not exist", productID), productID)
	}
	l.product = p
	if !c.active {
		return domainRule("error.msg.client.not.active", fmt.Sprintf("Client with identifier %d is not active", c.id))
	}
	if l.externalID != "" {
		if _, dup := s.loanByExt[l.externalID]; dup {
			return dataIntegrity("externalId", "error.msg.loan.duplicate.externalId",
				fmt.Sprintf("Loan with externalId `%s` already exists", l.externalID))
		}
	}
	if rep := l.reschedule(l.expectedDisbursement, l.principal); rep != nil {
		return *rep
	}
	s.nextLoan++
	l.id = s.nextLoan
	s.loans[l.id] = l
	if l.externalID != "" {
		s.loanByExt[l.externalID] = l.id
	}
	return ok(map[string]any{"officeId": headOffice, "clientId": l.clientID, "loanId": l.id, "resourceId": l.id})
}

// terms maps the loan and its product onto our engine's inputs, Fineract's enums read as L3437-3475.
func (l *loan) terms(disbursedOn time.Time, principal decimal.Decimal) schedule.Terms {
	freq := []schedule.Frequency{schedule.Days, schedule.Weeks, schedule.Months, schedule.Years}
	t := schedule.Terms{
		Principal: principal, DisbursementDate: disbursedOn, NumberOfRepayments: l.numberOfRepayments,
		RepaymentEvery: l.repaymentEvery, RepaymentFrequency: freq[l.repaymentFrequencyType],
		InterestRate: l.interestRatePerPeriod, InterestRateFrequency: schedule.Years,
		InterestMethod: schedule.InterestDecliningBalance, Amortization: schedule.AmortizationEqualInstallments,
		InterestCalculationPeriod: schedule.InterestPeriodSameAsRepayment,
		DaysInYear:                schedule.DaysActual, DaysInMonth: schedule.DaysActual,
		Currency: schedule.Currency{Code: l.product.CurrencyCode, DecimalPlaces: l.product.DecimalPlaces,
			InMultiplesOf: l.product.InMultiplesOf},
		RoundingMode: schedule.RoundHalfEven, Engine: schedule.EngineCumulative,
	}
	if l.product.InterestRateFrequencyType == 2 {
		t.InterestRateFrequency = schedule.Months
	}
	if l.interestType == 1 {
		t.InterestMethod = schedule.InterestFlat
	}
	if l.amortizationType == 0 {
		t.Amortization = schedule.AmortizationEqualPrincipal
	}
	if l.interestPeriodType == 0 {
		t.InterestCalculationPeriod = schedule.InterestPeriodDaily
	}
	if d := l.product.DaysInYearType; d == 360 || d == 364 || d == 365 {
		t.DaysInYear = strconv.Itoa(d)
	}
	if l.product.DaysInMonthType == 30 {
		t.DaysInMonth = schedule.Days30
	}
	if !l.firstRepayment.IsZero() {
		first := l.firstRepayment
		t.FirstRepaymentDate = &first
	}
	return t
}

// scheduleProblems reports terms our engine cannot schedule as Fineract's validation envelope.
func scheduleProblems(err error) reply {
	var p problems
	if ve, isVE := err.(*schedule.ValidationError); isVE {
		for _, pr := range ve.Problems {
			p = append(p, detail(pr.Field, "validation.msg.loan."+pr.Field+".invalid", pr.Message, nil))
		}
	} else {
		p = append(p, detail("loan", "validation.msg.loan.schedule.invalid", err.Error(), nil))
	}
	return validation(p...)
}

// positiveOr is the positive amount k, or def when the body has none.
func positiveOr(b *body, k string, def decimal.Decimal) decimal.Decimal {
	if !b.has(k) {
		return def
	}
	return positive(b, k)
}

func positive(b *body, k string) decimal.Decimal {
	d := b.amount(k, true)
	if b.has(k) && !d.IsPositive() {
		b.probs.invalid(b.resource, k, "not.greater.than.zero", d.String())
	}
	return d
}

func count(b *body, k string) int {
	n := b.integer(k, true)
	if b.has(k) && n <= 0 {
		b.probs.invalid(b.resource, k, "not.greater.than.zero", n)
	}
	return int(n)
}

func enum(b *body, k string, lo, hi int64) int {
	n := b.integer(k, true)
	if b.has(k) && (n < lo || n > hi) {
		b.probs.invalid(b.resource, k, "is.not.one.of.expected.enumerations", n)
		return int(lo)
	}
	return int(n)
}

func unrecognizedCommand(cmd string) reply {
	return validation(detail("command", "error.msg.unrecognized.query.param",
		fmt.Sprintf("Unrecognized query string parameter `command` with value `%s`.", cmd), cmd))
}

func (s *Server) loanByID(idStr string) (*loan, *reply) {
	id, err := strconv.ParseInt(idStr, 10, 64)
	l := s.loans[id]
	if err != nil || l == nil {
		rep := notFound("error.msg.loan.id.invalid", fmt.Sprintf("Loan with identifier %s does not exist", idStr), idStr)
		return nil, &rep
	}
	return l, nil
}

// loanCommand is POST loans/{id}?command=… (L4529-4722).
func (s *Server) loanCommand(r *http.Request, idStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	switch cmd := r.URL.Query().Get("command"); cmd {
	case "approve":
		return s.approve(r, l)
	case "disburse":
		return s.disburse(r, l)
	case "reject":
		return s.closeApplication(r, l, "rejectedOnDate", statusRejected, "reject", "Loan Account Rejection")
	case "withdrawnByApplicant":
		return s.closeApplication(r, l, "withdrawnOnDate", statusWithdrawn, "withdraw", "Loan Account Withdrawal")
	default:
		return unrecognizedCommand(cmd)
	}
}

func (s *Server) approve(r *http.Request, l *loan) reply {
	b, rep := parseBody(r, "loanapplication", "approvedOnDate", "approvedLoanAmount", "expectedDisbursementDate",
		"note", "disbursementData", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	on := b.date("approvedOnDate", true)
	amount := positiveOr(b, "approvedLoanAmount", l.principal)
	expected := b.date("expectedDisbursementDate", false)
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	if l.status != statusSubmitted {
		return domainRule("error.msg.loan.approve.account.is.not.submitted.and.pending.state",
			"Loan Account Approval is not allowed. Loan Account is not in submitted and pending approval state.")
	}
	if on.Before(l.submittedOn) {
		return domainRule("error.msg.loan.approve.cannot.be.before.submittal.date",
			"Loan approval date cannot be before the submittal date.")
	}
	if amount.GreaterThan(l.principal) {
		return domainRule("error.msg.loan.approve.amount.greater.than.applied.amount",
			"Loan approved amount can't be greater than loan amount demanded.")
	}
	if !expected.IsZero() {
		l.expectedDisbursement = expected
	}
	if rep := l.reschedule(l.expectedDisbursement, amount); rep != nil {
		return *rep
	}
	l.status, l.approvedOn, l.approvedPrincipal = statusApproved, on, amount
	changes := echo(b, "approvedOnDate", "approvedLoanAmount", "expectedDisbursementDate", "note", "locale", "dateFormat")
	changes["status"] = renderStatus(l.status)
	return ok(commandResult(l, l.id, changes))
}

func (s *Server) disburse(r *http.Request, l *loan) reply {
	b, rep := parseBody(r, "loan", "actualDisbursementDate", "transactionAmount", "fixedEmiAmount", "paymentTypeId",
		"note", "accountNumber", "checkNumber", "routingCode", "receiptNumber", "bankNumber", "externalId",
		"locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	on := b.date("actualDisbursementDate", true)
	amount := positiveOr(b, "transactionAmount", l.approvedPrincipal)
	ext := b.str("externalId")
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	if l.status != statusApproved {
		return domainRule("error.msg.loan.disbursal.account.is.not.approved.and.not.disbursed.state",
			"Loan Disbursal is not allowed. Loan Account is not in approved and not disbursed state.")
	}
	if on.Before(l.approvedOn) {
		return domainRule("error.msg.loan.disbursal.date.cannot.be.before.approval.date",
			"The date on which a loan is disbursed cannot be before its approval date.")
	}
	if amount.GreaterThan(l.approvedPrincipal) {
		return domainRule("error.msg.loan.disbursal.amount.greater.than.approved.amount",
			"Loan can't be disbursed, disburse amount is exceeding approved principal.")
	}
	if rep := s.duplicateTx(ext); rep != nil {
		return *rep
	}
	if rep := l.reschedule(on, amount); rep != nil {
		return *rep
	}
	l.status, l.actualDisbursement, l.disbursed = statusActive, on, amount
	s.addTx(l, &transaction{externalID: ext, typ: txDisbursement, date: on, amount: amount, principal: amount})
	changes := echo(b, "actualDisbursementDate", "transactionAmount", "note", "paymentTypeId", "locale", "dateFormat")
	changes["status"] = renderStatus(l.status)
	return ok(commandResult(l, l.id, changes))
}

// closeApplication rejects or withdraws a submitted application.
func (s *Server) closeApplication(r *http.Request, l *loan, dateParam string, to int, verb, what string) reply {
	b, rep := parseBody(r, "loanapplication", dateParam, "note", "locale", "dateFormat")
	if rep != nil {
		return *rep
	}
	on := b.date(dateParam, true)
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	if l.status != statusSubmitted {
		return domainRule("error.msg.loan."+verb+".account.is.not.submitted.and.pending.state",
			what+" is not allowed. Loan Account is not in submitted and pending approval state.")
	}
	l.status, l.closedOn = to, on
	changes := echo(b, dateParam, "note", "locale", "dateFormat")
	changes["status"] = renderStatus(l.status)
	changes["closedOnDate"] = b.str(dateParam)
	return ok(commandResult(l, l.id, changes))
}

func commandResult(l *loan, resourceID int64, changes map[string]any) map[string]any {
	return map[string]any{"officeId": headOffice, "clientId": l.clientID, "loanId": l.id,
		"resourceId": resourceID, "changes": changes}
}

// echo copies the accepted inputs into "changes" as they were sent, as Fineract does (L4936).
func echo(b *body, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if b.has(k) {
			out[k] = json.RawMessage(b.fields[k])
		}
	}
	return out
}

func (s *Server) getLoan(r *http.Request, idStr string) reply {
	l, rep := s.loanByID(idStr)
	if rep != nil {
		return *rep
	}
	return ok(s.renderLoan(l, associations(r.URL.Query().Get("associations"))))
}

// listLoans is GET loans with the externalId filter (L4106-4305).
func (s *Server) listLoans(r *http.Request) reply {
	ext := r.URL.Query().Get("externalId")
	items := []map[string]any{}
	for id := int64(1); id <= s.nextLoan; id++ {
		if l := s.loans[id]; l != nil && (ext == "" || l.externalID == ext) {
			items = append(items, s.renderLoan(l, nil))
		}
	}
	return ok(map[string]any{"totalFilteredRecords": len(items), "pageItems": items})
}
