package sim

import (
	"github.com/loanflow/loanflow/providers/simbook"
	"github.com/loanflow/loanflow/schedule"
)

// renderLoan is LoanAccountApiV1 (L51548-51756), amounts as strings.
func (s *Server) renderLoan(l *loan) map[string]any {
	t := l.rows.Totals()
	var due schedule.Part
	today := s.today()
	for _, r := range l.rows {
		if !r.DueDate.After(today) {
			due = simbook.Plus(due, r.Outstanding())
		}
	}
	balance := t.Outstanding
	if l.disbursedOn.IsZero() {
		balance = schedule.Part{}
	}
	dd := map[string]any{"expectedDisbursementDate": renderTime(l.expectedDisbursement),
		"disbursementDate": renderTime(l.disbursedOn)}
	if len(l.rows) > 0 {
		dd["firstRepaymentDate"] = renderTime(l.rows[0].DueDate)
	}
	return map[string]any{
		"encodedKey": l.key, "id": l.id, "accountHolderKey": l.holderKey, "accountHolderType": "CLIENT",
		"productTypeKey": l.product.EncodedKey, "loanName": l.name, "notes": l.notes, "accountState": l.state,
		"currencyCode": l.product.CurrencyCode, "loanAmount": money(l.amount), "interestRate": money(l.rate),
		"interestRateSource": "FIXED_INTEREST_RATE", "interestChargeFrequency": l.product.InterestChargeFrequency,
		"interestCalculationMethod": l.product.InterestCalculationMethod, "interestType": "SIMPLE_INTEREST",
		"repaymentInstallments": l.installments, "repaymentPeriodCount": l.periodCount,
		"repaymentPeriodUnit": l.unit, "gracePeriod": l.grace, "gracePeriodType": "NONE",
		"principalDue": money(due.Principal), "principalPaid": money(t.Paid.Principal), "principalBalance": money(balance.Principal),
		"interestDue": money(due.Interest), "interestPaid": money(t.Paid.Interest), "interestBalance": money(balance.Interest),
		"feesDue": money(due.Fees), "feesPaid": money(t.Paid.Fees), "feesBalance": money(balance.Fees),
		"penaltyDue": money(due.Penalties), "penaltyPaid": money(t.Paid.Penalties), "penaltyBalance": money(balance.Penalties),
		"creationDate": renderTime(l.created), "lastModifiedDate": renderTime(l.created),
		"approvedDate": renderTime(l.approvedOn), "closedDate": renderTime(l.closedOn),
		"disbursementDetails": dd,
	}
}

// renderInstallments is [RepaymentApiV1] (L18603-18661): what each installment asks, adjustments
// taken off, and what it got.
func (s *Server) renderInstallments(l *loan) []map[string]any {
	today := s.today()
	out := make([]map[string]any, 0, len(l.rows))
	for i, r := range l.rows {
		asks, paid := simbook.Minus(r.Charged, r.Waived), r.Paid
		state := "PENDING"
		switch {
		case r.Outstanding().Total().IsZero():
			state = "PAID"
		case paid.Total().IsPositive():
			state = "PARTIALLY_PAID"
		case !l.disbursedOn.IsZero() && r.DueDate.Before(today):
			state = "LATE"
		}
		out = append(out, map[string]any{
			"encodedKey": l.instKeys[i], "parentAccountKey": l.key, "dueDate": renderTime(r.DueDate), "state": state,
			"principalDue": money(asks.Principal), "principalPaid": money(paid.Principal),
			"interestDue": money(asks.Interest), "interestPaid": money(paid.Interest),
			"feesDue": money(asks.Fees), "feesPaid": money(paid.Fees), "feesAppliedDue": money(asks.Fees), "feesUnappliedDue": "0",
			"penaltyDue": money(asks.Penalties), "penaltyPaid": money(paid.Penalties), "taxInterestDue": "0", "taxInterestPaid": "0",
			"taxFeesDue": "0", "taxFeesPaid": "0", "taxPenaltyDue": "0", "taxPenaltyPaid": "0",
			"organizationCommissionDue": "0", "fundersInterestDue": "0", "customSettings": []any{},
			"repaymentUnappliedFeeDetails": []any{},
		})
	}
	return out
}

// renderTx is LoanTransactionApiV1 (L60832-61407). An adjusted FEE names its adjustment in
// reversalTransactionKey.
func (s *Server) renderTx(l *loan, tx *transaction) map[string]any {
	m := map[string]any{
		"encodedKey": tx.key, "transactionId": tx.id, "parentAccountKey": l.key, "type": tx.typ,
		"amount": money(tx.amount), "originalAmount": money(tx.amount), "originalCurrencyCode": l.product.CurrencyCode,
		"principalPaid": money(tx.principal), "interestPaid": money(tx.interest), "feesPaid": money(tx.fees), "penaltyPaid": "0",
		"balance": money(tx.balance), "principalBalance": money(tx.principalBalance),
		"creationDate": renderTime(tx.created), "entryDate": renderTime(tx.created), "valueDate": renderTime(tx.valueDate),
		"comment": tx.notes, "customPaymentAmounts": []any{}, "loanPredefinedFeeAmounts": []any{},
	}
	if tx.reversalKey != "" {
		m["reversalTransactionKey"] = tx.reversalKey
	}
	return m
}
