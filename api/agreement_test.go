package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/agreement/agreementtest"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// agreementText is the English agreement of the loan as a reader sees it.
func (e *env) agreementText(ref int64) string {
	e.t.Helper()
	res := e.get(demo, fmt.Sprintf("/v1/loans/%d/agreement", ref))
	require.Equal(e.t, http.StatusOK, res.Code, res.Body.String())
	return strings.Join(strings.Fields(strings.Join(agreementtest.PageTexts(e.t, res.Body.Bytes()), "\n")), " ")
}

// The agreement states the servicing terms of the product snapshot the loan
// runs under, not the product as since edited: a loan from before products
// had servicing terms is charged no fee and no penalties, and says so.
func TestAgreementStatesTheLoansServicingTerms(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	prod, err := e.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	start := func(l lending.Product, ref int64) {
		require.NoError(t, e.engine.StartLoan(ctx, &workflows.LoanInput{Ref: ref, Product: l}))
	}

	before := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	snap := prod.Snapshot()
	snap.Servicing = servicing.Policy{}
	start(snap, before.Ref)
	text := e.agreementText(before.Ref)
	require.Contains(t, text, "No early-repayment fee is charged.")
	require.Contains(t, text, "No late-payment penalties are charged.")
	require.NotContains(t, text, "late fee of")

	own := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	snap.Servicing = servicing.Policy{
		AllocationOrder:          servicing.OrderDueFirstThenAdvance,
		PrepaymentStrategy:       servicing.StrategyReduceTerm,
		EarlyRepaymentFeePercent: decimal.RequireFromString("0.75"),
		PenaltyGraceDays:         5,
		LateFee:                  decimal.RequireFromString("25.00"),
		PenaltyRate:              decimal.NewFromInt(12),
		PenaltyCapPercent:        decimal.NewFromInt(10),
	}
	start(snap, own.Ref)
	text = e.agreementText(own.Ref)
	for _, want := range []string{
		"early-repayment fee of 0.75% of the principal repaid early",
		"still unpaid 5 days after its due date",
		"late fee of 25.00 " + own.Currency,
		"Penalty interest of 12.00% per year",
		"never exceed 10.00% of the Loan amount",
		"a payment towards an installment not yet due goes first to its principal",
		"so fewer installments remain",
	} {
		require.Contains(t, text, want)
	}

	// Without a workflow to ask (a history past retention), the product as
	// it now is: the demo product's penalties.
	gone := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	text = e.agreementText(gone.Ref)
	require.Contains(t, text, "late fee of 50.00 "+gone.Currency)
	require.Contains(t, text, "No early-repayment fee is charged.")
}

// A loan of a product with installments every 2 months, flat interest,
// equal principal and a principal grace says so in its agreement, and no
// longer speaks of monthly installments or interest on the outstanding
// principal.
func TestAgreementStatesTheProductsSchedule(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	res := e.post(admin, "/backoffice/v1/products", map[string]any{
		"code": "bimonthly", "name": "Every two months", "min_term_months": 6, "max_term_months": 24,
		"repayment_every": 2, "interest_method": "flat", "amortization": "equal_principal", "grace_on_principal": 1,
	}, map[string]string{"Idempotency-Key": "bimonthly-product"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	prod, err := e.store.GetProduct(ctx, "bimonthly")
	require.NoError(t, err)

	loan := e.insertProductLoan("demo", lending.StatusApproved, "2000.00", "bimonthly")
	require.NoError(t, e.engine.StartLoan(ctx, &workflows.LoanInput{Ref: loan.Ref, Product: prod.Snapshot()}))
	text := e.agreementText(loan.Ref)
	for _, want := range []string{
		"included in the installments, which fall due every 2 months.",
		"repays the Loan in installments due every 2 months,",
		"on the full amount of the Loan for the whole term, however much of it has been repaid,",
		"The principal is repaid in equal parts.",
		"No principal is repaid with the first installment.",
		"Administration fee per installment",
	} {
		require.Contains(t, text, want)
	}
	require.NotContains(t, text, "monthly installments")
	require.NotContains(t, text, "on the outstanding principal")

	monthly := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	text = e.agreementText(monthly.Ref)
	require.Contains(t, text, "on the outstanding principal and is included in the monthly installments.")
	require.NotContains(t, text, "every 2 months")
}
