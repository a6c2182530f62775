package sim

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// renderStatus is a loan status with its flags (L4554-4566).
func renderStatus(id int) map[string]any {
	names := map[int][2]string{
		statusSubmitted:            {"loanStatusType.submitted.and.pending.approval", "Submitted and pending approval"},
		statusApproved:             {"loanStatusType.approved", "Approved"},
		statusActive:               {"loanStatusType.active", "Active"},
		statusWithdrawn:            {"loanStatusType.withdrawn.by.client", "Withdrawn by applicant"},
		statusRejected:             {"loanStatusType.rejected", "Rejected"},
		statusClosedObligationsMet: {"loanStatusType.closed.obligations.met", "Closed (obligations met)"},
		statusOverpaid:             {"loanStatusType.overpaid", "Overpaid"},
	}
	n := names[id]
	return map[string]any{
		"id": id, "code": n[0], "value": n[1],
		"pendingApproval":      id == statusSubmitted,
		"waitingForDisbursal":  id == statusApproved,
		"active":               id == statusActive,
		"closedObligationsMet": id == statusClosedObligationsMet,
		"closedWrittenOff":     false,
		"closedRescheduled":    false,
		"closed":               id == statusWithdrawn || id == statusRejected || id == statusClosedObligationsMet,
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
	if n := len(l.sched.Periods); n > 0 {
		t["expectedMaturityDate"] = jdate(l.sched.Periods[n-1].DueDate)
	}
	if !l.closedOn.IsZero() {
		t["closedOnDate"] = jdate(l.closedOn)
	}
	return t
}

// paidParts allocates everything repaid so far over the schedule, giving what each installment received.
func (l *loan) paidParts() map[int]schedule.Part {
	dues := make([]schedule.Due, len(l.sched.Periods))
	for i, p := range l.sched.Periods {
		dues[i] = schedule.Due{Number: p.Number, Penalties: decimal.Zero, Fees: p.Fees, Interest: p.Interest, Principal: p.Principal}
	}
	out := map[int]schedule.Part{}
	a, err := schedule.Allocate(dues, l.applied())
	if err != nil {
		return out
	}
	for _, p := range a.Parts {
		out[p.Number] = p
	}
	return out
}

func (l *loan) summary() map[string]any {
	var interest, fees, pPaid, iPaid, fPaid, overdue decimal.Decimal
	paid := l.paidParts()
	today := time.Now().UTC()
	for _, p := range l.sched.Periods {
		interest, fees = interest.Add(p.Interest), fees.Add(p.Fees)
		part := paid[p.Number]
		pPaid, iPaid, fPaid = pPaid.Add(part.Principal), iPaid.Add(part.Interest), fPaid.Add(part.Fees)
		if p.DueDate.Before(today) {
			overdue = overdue.Add(p.Total.Sub(part.Total()))
		}
	}
	expected := l.sched.TotalRepayment
	repaid := l.applied()
	return map[string]any{
		"currency":           renderCurrency(l.product),
		"principalDisbursed": num(l.disbursed), "principalPaid": num(pPaid), "principalOutstanding": num(l.disbursed.Sub(pPaid)),
		"interestCharged": num(interest), "interestPaid": num(iPaid), "interestOutstanding": num(interest.Sub(iPaid)),
		"feeChargesCharged": num(fees), "feeChargesPaid": num(fPaid), "feeChargesOutstanding": num(fees.Sub(fPaid)),
		"penaltyChargesCharged": 0, "penaltyChargesPaid": 0, "penaltyChargesOutstanding": 0,
		"totalExpectedRepayment": num(expected), "totalRepayment": num(repaid),
		"totalOutstanding": num(expected.Sub(repaid)), "totalOverdue": num(overdue),
		"totalWaived": 0, "totalWrittenOff": 0,
	}
}

// renderSchedule is the repaymentSchedule association: the disbursement row, then one row per
// installment with what was paid on it (layout of L4372-4430).
func (l *loan) renderSchedule() map[string]any {
	disbursedOn := l.expectedDisbursement
	principal := l.sched.TotalPrincipal
	if !l.actualDisbursement.IsZero() {
		disbursedOn = l.actualDisbursement
	}
	periods := []map[string]any{{
		"dueDate": jdate(disbursedOn), "principalDisbursed": num(principal),
		"principalLoanBalanceOutstanding": num(principal), "feeChargesDue": 0, "feeChargesPaid": 0,
		"feeChargesOutstanding": 0, "totalOriginalDueForPeriod": 0, "totalDueForPeriod": 0,
		"totalPaidForPeriod": 0, "totalOutstandingForPeriod": 0, "totalOverdue": 0,
		"totalActualCostOfLoanForPeriod": 0,
	}}
	paid := l.paidParts()
	var pPaid, iPaid, fPaid, interest, fees decimal.Decimal
	lastDue := disbursedOn
	for _, p := range l.sched.Periods {
		part := paid[p.Number]
		pPaid, iPaid, fPaid = pPaid.Add(part.Principal), iPaid.Add(part.Interest), fPaid.Add(part.Fees)
		interest, fees = interest.Add(p.Interest), fees.Add(p.Fees)
		outstanding := p.Total.Sub(part.Total())
		periods = append(periods, map[string]any{
			"period": p.Number, "fromDate": jdate(p.FromDate), "dueDate": jdate(p.DueDate), "daysInPeriod": p.Days,
			"complete":             !outstanding.IsPositive(),
			"principalOriginalDue": num(p.Principal), "principalDue": num(p.Principal),
			"principalPaid": num(part.Principal), "principalOutstanding": num(p.Principal.Sub(part.Principal)),
			"principalLoanBalanceOutstanding": num(p.Balance),
			"interestOriginalDue":             num(p.Interest), "interestDue": num(p.Interest),
			"interestPaid": num(part.Interest), "interestOutstanding": num(p.Interest.Sub(part.Interest)),
			"feeChargesDue": num(p.Fees), "feeChargesPaid": num(part.Fees), "feeChargesOutstanding": num(p.Fees.Sub(part.Fees)),
			"penaltyChargesDue": 0, "penaltyChargesPaid": 0, "penaltyChargesOutstanding": 0,
			"totalOriginalDueForPeriod": num(p.Total), "totalDueForPeriod": num(p.Total),
			"totalPaidForPeriod": num(part.Total()), "totalOutstandingForPeriod": num(outstanding),
			"totalActualCostOfLoanForPeriod": num(p.Interest.Add(p.Fees)),
		})
		lastDue = p.DueDate
	}
	repaid := l.applied()
	return map[string]any{
		"currency":                renderCurrency(l.product),
		"loanTermInDays":          int(lastDue.Sub(disbursedOn).Hours() / 24),
		"totalPrincipalDisbursed": num(principal), "totalPrincipalExpected": num(l.sched.TotalPrincipal),
		"totalPrincipalPaid": num(pPaid), "totalInterestCharged": num(interest),
		"totalFeeChargesCharged": num(fees), "totalPenaltyChargesCharged": 0, "totalWaived": 0,
		"totalWrittenOff": 0, "totalRepaymentExpected": num(l.sched.TotalRepayment),
		"totalRepayment": num(repaid), "totalOutstanding": num(l.sched.TotalRepayment.Sub(repaid)),
		"periods": periods,
	}
}

// renderTx is a loan transaction (L5122-5153).
func renderTx(l *loan, tx *transaction) map[string]any {
	typ := map[string]any{"id": 2, "code": "loanTransactionType.repayment", "value": "Repayment",
		"disbursement": false, "repayment": true}
	if tx.typ == txDisbursement {
		typ = map[string]any{"id": 1, "code": "loanTransactionType.disbursement", "value": "Disbursement",
			"disbursement": true, "repayment": false}
	}
	for _, flag := range []string{"repaymentAtDisbursement", "contra", "waiveInterest", "waiveCharges", "writeOff", "recoveryRepayment"} {
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
