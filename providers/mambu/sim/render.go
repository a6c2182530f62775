package sim

import (
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// paidParts allocates everything repaid over the schedule (FEE, PENALTY, INTEREST, PRINCIPAL per
// installment, oldest first: the product's repaymentAllocationOrder in every doc example, L24360-24365).
func (l *loan) paidParts() map[int]schedule.Part {
	dues := make([]schedule.Due, len(l.sched.Periods))
	for i, p := range l.sched.Periods {
		dues[i] = schedule.Due{Number: p.Number, Penalties: decimal.Zero, Fees: p.Fees, Interest: p.Interest, Principal: p.Principal}
	}
	out := map[int]schedule.Part{}
	if a, err := schedule.Allocate(dues, l.repaid()); err == nil {
		for _, p := range a.Parts {
			out[p.Number] = p
		}
	}
	return out
}

// renderLoan is LoanAccountApiV1 (L51548-51756), amounts as strings.
func (s *Server) renderLoan(l *loan) map[string]any {
	var principalPaid, interestPaid, principalDue, interestDue, interest decimal.Decimal
	paid := l.paidParts()
	today := s.today()
	for _, p := range l.sched.Periods {
		part := paid[p.Number]
		principalPaid, interestPaid = principalPaid.Add(part.Principal), interestPaid.Add(part.Interest)
		interest = interest.Add(p.Interest)
		if !p.DueDate.After(today) {
			principalDue = principalDue.Add(p.Principal.Sub(part.Principal))
			interestDue = interestDue.Add(p.Interest.Sub(part.Interest))
		}
	}
	principalBalance, interestBalance := decimal.Zero, decimal.Zero
	if !l.disbursedOn.IsZero() {
		principalBalance = l.amount.Sub(principalPaid)
		interestBalance = interest.Sub(interestPaid)
	}
	dd := map[string]any{"expectedDisbursementDate": renderTime(l.expectedDisbursement),
		"disbursementDate": renderTime(l.disbursedOn)}
	if len(l.sched.Periods) > 0 {
		dd["firstRepaymentDate"] = renderTime(l.sched.Periods[0].DueDate)
	}
	return map[string]any{
		"encodedKey": l.key, "id": l.id, "accountHolderKey": l.holderKey, "accountHolderType": "CLIENT",
		"productTypeKey": l.product.EncodedKey, "loanName": l.name, "notes": l.notes, "accountState": l.state,
		"currencyCode": l.product.CurrencyCode, "loanAmount": money(l.amount), "interestRate": money(l.rate),
		"interestRateSource": "FIXED_INTEREST_RATE", "interestChargeFrequency": l.product.InterestChargeFrequency,
		"interestCalculationMethod": l.product.InterestCalculationMethod, "interestType": "SIMPLE_INTEREST",
		"repaymentInstallments": l.installments, "repaymentPeriodCount": l.periodCount,
		"repaymentPeriodUnit": l.unit, "gracePeriod": l.grace, "gracePeriodType": "NONE",
		"principalDue": money(principalDue), "principalPaid": money(principalPaid), "principalBalance": money(principalBalance),
		"interestDue": money(interestDue), "interestPaid": money(interestPaid), "interestBalance": money(interestBalance),
		"feesDue": "0", "feesPaid": "0", "feesBalance": "0", "penaltyDue": "0", "penaltyPaid": "0", "penaltyBalance": "0",
		"creationDate": renderTime(l.created), "lastModifiedDate": renderTime(l.created),
		"approvedDate": renderTime(l.approvedOn), "closedDate": renderTime(l.closedOn),
		"disbursementDetails": dd,
	}
}

// renderInstallments is [RepaymentApiV1] (L18603-18661): what each installment asks and what it got.
func (s *Server) renderInstallments(l *loan) []map[string]any {
	paid := l.paidParts()
	today := s.today()
	out := make([]map[string]any, 0, len(l.sched.Periods))
	for i, p := range l.sched.Periods {
		part := paid[p.Number]
		state := "PENDING"
		switch {
		case part.Total().Equal(p.Total):
			state = "PAID"
		case part.Total().IsPositive():
			state = "PARTIALLY_PAID"
		case !l.disbursedOn.IsZero() && p.DueDate.Before(today):
			state = "LATE"
		}
		out = append(out, map[string]any{
			"encodedKey": l.instKeys[i], "parentAccountKey": l.key, "dueDate": renderTime(p.DueDate), "state": state,
			"principalDue": money(p.Principal), "principalPaid": money(part.Principal),
			"interestDue": money(p.Interest), "interestPaid": money(part.Interest),
			"feesDue": money(p.Fees), "feesPaid": money(part.Fees), "feesAppliedDue": money(p.Fees), "feesUnappliedDue": "0",
			"penaltyDue": "0", "penaltyPaid": "0", "taxInterestDue": "0", "taxInterestPaid": "0",
			"taxFeesDue": "0", "taxFeesPaid": "0", "taxPenaltyDue": "0", "taxPenaltyPaid": "0",
			"organizationCommissionDue": "0", "fundersInterestDue": "0", "customSettings": []any{},
			"repaymentUnappliedFeeDetails": []any{},
		})
	}
	return out
}

// renderTx is LoanTransactionApiV1 (L60832-61407).
func (s *Server) renderTx(l *loan, tx *transaction) map[string]any {
	return map[string]any{
		"encodedKey": tx.key, "transactionId": tx.id, "parentAccountKey": l.key, "type": tx.typ,
		"amount": money(tx.amount), "originalAmount": money(tx.amount), "originalCurrencyCode": l.product.CurrencyCode,
		"principalPaid": money(tx.principal), "interestPaid": money(tx.interest), "feesPaid": "0", "penaltyPaid": "0",
		"balance": money(tx.balance), "principalBalance": money(tx.principalBalance),
		"creationDate": renderTime(tx.created), "entryDate": renderTime(tx.created), "valueDate": renderTime(tx.valueDate),
		"comment": tx.notes, "customPaymentAmounts": []any{}, "loanPredefinedFeeAmounts": []any{},
	}
}
