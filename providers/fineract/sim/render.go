package sim

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simbook"
)

// renderStatus is a loan status with its flags (L4554-4566, L5039).
func renderStatus(id int) map[string]any {
	names := map[int][2]string{
		statusSubmitted:            {"loanStatusType.submitted.and.pending.approval", "Submitted and pending approval"},
		statusApproved:             {"loanStatusType.approved", "Approved"},
		statusActive:               {"loanStatusType.active", "Active"},
		statusWithdrawn:            {"loanStatusType.withdrawn.by.client", "Withdrawn by applicant"},
		statusRejected:             {"loanStatusType.rejected", "Rejected"},
		statusClosedObligationsMet: {"loanStatusType.closed.obligations.met", "Closed (obligations met)"},
		statusClosedWrittenOff:     {"loanStatusType.closed.written.off", "Closed (written off)"},
		statusOverpaid:             {"loanStatusType.overpaid", "Overpaid"},
	}
	n := names[id]
	return map[string]any{
		"id": id, "code": n[0], "value": n[1],
		"pendingApproval":      id == statusSubmitted,
		"waitingForDisbursal":  id == statusApproved,
		"active":               id == statusActive,
		"closedObligationsMet": id == statusClosedObligationsMet,
		"closedWrittenOff":     id == statusClosedWrittenOff,
		"closedRescheduled":    false,
		"closed":               id == statusWithdrawn || id == statusRejected || id == statusClosedObligationsMet || id == statusClosedWrittenOff,
		"overpaid":             id == statusOverpaid,
	}
}

func renderCurrency(p Product) map[string]any {
	return map[string]any{"code": p.CurrencyCode, "name": p.CurrencyCode, "decimalPlaces": p.DecimalPlaces,
		"inMultiplesOf": p.InMultiplesOf, "displaySymbol": p.CurrencyCode, "nameCode": "currency." + p.CurrencyCode,
		"displayLabel": p.CurrencyCode}
}

func frequencyEnum(kind string, id int) map[string]any {
	names := []string{"Days", "Weeks", "Months", "Years"}
	return map[string]any{"id": id, "code": kind + ".periodFrequencyType." + strings.ToLower(names[id]), "value": names[id]}
}

func pick(id int, code0, value0, code1, value1 string) map[string]any {
	if id == 0 {
		return map[string]any{"id": 0, "code": code0, "value": value0}
	}
	return map[string]any{"id": 1, "code": code1, "value": value1}
}

func associations(q string) map[string]bool {
	out := map[string]bool{}
	for _, a := range strings.Split(q, ",") {
		if a = strings.TrimSpace(a); a == "all" {
			out["repaymentSchedule"], out["transactions"] = true, true
		} else if a != "" {
			out[a] = true
		}
	}
	return out
}

// renderLoan is GET loans/{id} (L3891-4105) with the asked associations.
func (s *Server) renderLoan(l *loan, assoc map[string]bool) map[string]any {
	rateFreq := map[string]any{"id": 3, "code": "interestRateFrequency.periodFrequencyType.years", "value": "Per year"}
	annual := l.interestRatePerPeriod
	if l.product.InterestRateFrequencyType == 2 {
		rateFreq = map[string]any{"id": 2, "code": "interestRateFrequency.periodFrequencyType.months", "value": "Per month"}
		annual = annual.Mul(decimal.NewFromInt(12))
	}
	c := s.clients[l.clientID]
	m := map[string]any{
		"id": l.id, "accountNo": accountNo(l.id), "status": renderStatus(l.status),
		"clientId": l.clientID, "clientName": c.displayName(), "clientOfficeId": headOffice,
		"loanProductId": l.product.ID, "loanProductName": l.product.Name,
		"loanType": map[string]any{"id": 1, "code": "loanType.individual", "value": "Individual"},
		"currency": renderCurrency(l.product), "principal": num(l.principal),
		"approvedPrincipal": num(l.approvedPrincipal), "proposedPrincipal": num(l.principal),
		"termFrequency": l.termFrequency, "termPeriodFrequencyType": frequencyEnum("termFrequency", l.termFrequencyType),
		"numberOfRepayments": l.numberOfRepayments, "repaymentEvery": l.repaymentEvery,
		"repaymentFrequencyType":    frequencyEnum("repaymentFrequency", l.repaymentFrequencyType),
		"interestRatePerPeriod":     num(l.interestRatePerPeriod),
		"interestRateFrequencyType": rateFreq, "annualInterestRate": num(annual),
		"amortizationType": pick(l.amortizationType, "amortizationType.equal.principal", "Equal principal payments",
			"amortizationType.equal.installments", "Equal installments"),
		"interestType": pick(l.interestType, "interestType.declining.balance", "Declining Balance",
			"interestType.flat", "Flat"),
		"interestCalculationPeriodType": pick(l.interestPeriodType, "interestCalculationPeriodType.daily", "Daily",
			"interestCalculationPeriodType.same.as.repayment.period", "Same as repayment period"),
		"transactionProcessingStrategyId": l.strategyID,
		"timeline":                        l.timeline(),
	}
	if l.externalID != "" {
		m["externalId"] = l.externalID
	}
	if l.overpaid.IsPositive() {
		m["totalOverpaid"] = num(l.overpaid)
	}
	if l.status >= statusActive && l.status != statusWithdrawn && l.status != statusRejected {
		m["summary"] = l.summary()
	}
	if assoc["repaymentSchedule"] {
		m["repaymentSchedule"] = l.renderSchedule()
	}
	if assoc["transactions"] {
		txs := make([]map[string]any, 0, len(l.txs))
		for _, tx := range l.txs {
			txs = append(txs, renderTx(l, tx))
		}
		m["transactions"] = txs
	}
	return m
}

func accountNo(id int64) string {
	s := "000000000" + decimal.NewFromInt(id).String()
	return s[len(s)-9:]
}

func (l *loan) timeline() map[string]any {
	t := map[string]any{"submittedOnDate": jdate(l.submittedOn), "expectedDisbursementDate": jdate(l.expectedDisbursement)}
	if !l.approvedOn.IsZero() {
		t["approvedOnDate"] = jdate(l.approvedOn)
	}
	if !l.actualDisbursement.IsZero() {
		t["actualDisbursementDate"] = jdate(l.actualDisbursement)
	}
	if n := len(l.insts); n > 0 {
		t["expectedMaturityDate"] = jdate(l.insts[n-1].DueDate)
	}
	if !l.closedOn.IsZero() {
		t["closedOnDate"] = jdate(l.closedOn)
	}
	return t
}

func (l *loan) summary() map[string]any {
	t := l.insts.Totals()
	charged, paid, waived, off, owed := t.Charged, t.Paid, t.Waived, t.WrittenOff, t.Outstanding
	overdue := decimal.Zero
	today := time.Now().UTC()
	for _, in := range l.insts {
		if in.DueDate.Before(today) {
			overdue = overdue.Add(in.Outstanding().Total())
		}
	}
	return map[string]any{
		"currency":           renderCurrency(l.product),
		"principalDisbursed": num(l.disbursed), "principalPaid": num(paid.Principal), "principalWrittenOff": num(off.Principal),
		"principalOutstanding": num(owed.Principal),
		"interestCharged":      num(charged.Interest), "interestPaid": num(paid.Interest), "interestWaived": num(waived.Interest),
		"interestWrittenOff": num(off.Interest), "interestOutstanding": num(owed.Interest),
		"feeChargesCharged": num(charged.Fees), "feeChargesPaid": num(paid.Fees), "feeChargesWaived": num(waived.Fees),
		"feeChargesWrittenOff": num(off.Fees), "feeChargesOutstanding": num(owed.Fees),
		"penaltyChargesCharged": num(charged.Penalties), "penaltyChargesPaid": num(paid.Penalties),
		"penaltyChargesWaived": num(waived.Penalties), "penaltyChargesWrittenOff": num(off.Penalties),
		"penaltyChargesOutstanding": num(owed.Penalties),
		"totalExpectedRepayment":    num(charged.Total()), "totalRepayment": num(paid.Total()),
		"totalWaived": num(waived.Total()), "totalWrittenOff": num(off.Total()),
		"totalOutstanding": num(owed.Total()), "totalOverdue": num(overdue),
	}
}

// renderSchedule is the repaymentSchedule association: the disbursement row, then one row per
// installment with what became of it (layout of L4372-4430).
func (l *loan) renderSchedule() map[string]any {
	disbursedOn, principal := l.expectedDisbursement, l.sched.TotalPrincipal
	if !l.actualDisbursement.IsZero() {
		disbursedOn, principal = l.actualDisbursement, l.disbursed
	}
	periods := []map[string]any{{
		"dueDate": jdate(disbursedOn), "principalDisbursed": num(principal),
		"principalLoanBalanceOutstanding": num(principal), "feeChargesDue": 0, "feeChargesPaid": 0,
		"feeChargesOutstanding": 0, "totalOriginalDueForPeriod": 0, "totalDueForPeriod": 0,
		"totalPaidForPeriod": 0, "totalOutstandingForPeriod": 0, "totalOverdue": 0,
		"totalActualCostOfLoanForPeriod": 0,
	}}
	balance := principal
	for _, in := range l.insts {
		c, p, w, o, out := in.Charged, in.Paid, in.Waived, in.WrittenOff, in.Outstanding()
		balance = balance.Sub(c.Principal)
		periods = append(periods, map[string]any{
			"period": in.Number, "fromDate": jdate(in.FromDate), "dueDate": jdate(in.DueDate), "daysInPeriod": in.Days,
			"complete":             !out.Total().IsPositive(),
			"principalOriginalDue": num(c.Principal), "principalDue": num(c.Principal), "principalPaid": num(p.Principal),
			"principalWrittenOff": num(o.Principal), "principalOutstanding": num(out.Principal),
			"principalLoanBalanceOutstanding": num(balance),
			"interestOriginalDue":             num(c.Interest), "interestDue": num(c.Interest), "interestPaid": num(p.Interest),
			"interestWaived": num(w.Interest), "interestWrittenOff": num(o.Interest), "interestOutstanding": num(out.Interest),
			"feeChargesDue": num(c.Fees), "feeChargesPaid": num(p.Fees), "feeChargesWaived": num(w.Fees),
			"feeChargesWrittenOff": num(o.Fees), "feeChargesOutstanding": num(out.Fees),
			"penaltyChargesDue": num(c.Penalties), "penaltyChargesPaid": num(p.Penalties), "penaltyChargesWaived": num(w.Penalties),
			"penaltyChargesWrittenOff": num(o.Penalties), "penaltyChargesOutstanding": num(out.Penalties),
			"totalOriginalDueForPeriod": num(c.Total()), "totalDueForPeriod": num(c.Total()),
			"totalPaidForPeriod": num(p.Total()), "totalWaivedForPeriod": num(w.Total()),
			"totalWrittenOffForPeriod": num(o.Total()), "totalOutstandingForPeriod": num(out.Total()),
			"totalActualCostOfLoanForPeriod": num(c.Interest.Add(c.Fees).Add(c.Penalties)),
		})
	}
	t := l.insts.Totals()
	lastDue := disbursedOn
	if n := len(l.insts); n > 0 {
		lastDue = l.insts[n-1].DueDate
	}
	return map[string]any{
		"currency":                renderCurrency(l.product),
		"loanTermInDays":          simbook.DaysBetween(disbursedOn, lastDue),
		"totalPrincipalDisbursed": num(principal), "totalPrincipalExpected": num(t.Charged.Principal),
		"totalPrincipalPaid": num(t.Paid.Principal), "totalInterestCharged": num(t.Charged.Interest),
		"totalFeeChargesCharged": num(t.Charged.Fees), "totalPenaltyChargesCharged": num(t.Charged.Penalties),
		"totalWaived": num(t.Waived.Total()), "totalWrittenOff": num(t.WrittenOff.Total()),
		"totalRepaymentExpected": num(t.Charged.Total()), "totalRepayment": num(t.Paid.Total()),
		"totalOutstanding": num(t.Outstanding.Total()), "periods": periods,
	}
}

// txTypes are the transaction types a loan's transactions take, with the flag each sets.
var txTypes = map[int]struct{ code, value, flag string }{
	txDisbursement:        {"loanTransactionType.disbursement", "Disbursement", "disbursement"},
	txRepayment:           {"loanTransactionType.repayment", "Repayment", "repayment"},
	txWaiveInterest:       {"loanTransactionType.waiver", "Waive interest", "waiveInterest"},
	txWriteOff:            {"loanTransactionType.writeOff", "Close (as written-off)", "writeOff"},
	txWaiveCharges:        {"loanTransactionType.waiveCharges", "Waive loan charges", "waiveCharges"},
	txRefundForActiveLoan: {"loanTransactionType.refund", "Refund", "refundForActiveLoans"},
	txCreditBalanceRefund: {"loanTransactionType.creditBalanceRefund", "Credit Balance Refund", "creditBalanceRefund"},
}

// renderTx is a loan transaction (L5122-5153).
func renderTx(l *loan, tx *transaction) map[string]any {
	t := txTypes[tx.typ]
	typ := map[string]any{"id": tx.typ, "code": t.code, "value": t.value}
	for _, tt := range txTypes {
		typ[tt.flag] = tt.flag == t.flag
	}
	for _, flag := range []string{"repaymentAtDisbursement", "contra", "recoveryRepayment"} {
		typ[flag] = false
	}
	m := map[string]any{
		"id": tx.id, "officeId": headOffice, "type": typ, "date": jdate(tx.date), "currency": renderCurrency(l.product),
		"amount": num(tx.amount), "principalPortion": num(tx.principal), "interestPortion": num(tx.interest),
		"feeChargesPortion": num(tx.fees), "penaltyChargesPortion": num(tx.penalties),
		"overpaymentPortion": num(tx.overpayment), "outstandingLoanBalance": num(tx.outstanding),
		"manuallyReversed": false,
	}
	if tx.externalID != "" {
		m["externalId"] = tx.externalID
	}
	return m
}
