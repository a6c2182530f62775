package activities_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// acts names the activities for ExecuteActivity.
var acts *activities.Activities

// fixture is an SQLite store holding one submitted loan, and an activity
// environment running the real activities on it.
type fixture struct {
	store *models.Store
	env   *testsuite.TestActivityEnvironment
	ref   int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(filepath.Join(t.TempDir(), "loanflow.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	require.NoError(t, store.Migrate(ctx))
	require.NoError(t, store.SeedDev(ctx))
	partner, err := store.PartnerByUsername(ctx, "demo")
	require.NoError(t, err)
	loan := &models.Loan{
		PartnerID: partner.ID, ProductCode: "consumer", Status: lending.StatusSubmitted, IdempotencyKey: "k1",
		Currency: "MDL", Amount: decimal.RequireFromString("2000.00"), TermMonths: 6,
		AnnualInterestRate: decimal.RequireFromString("36"),
		Applicant: models.Applicant{IdentityNumber: "I12356789T", FirstName: "John", LastName: "Smith",
			BirthDate: date("1990-01-01"), MobilePhone: "0123456789"},
		CreatedAt: time.Now(), UpdatedAt: time.Now(),
	}
	require.NoError(t, store.CreateLoan(ctx, loan))

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(&activities.Activities{Store: store})
	return &fixture{store: store, env: env, ref: loan.Ref}
}

func TestRecordTransitionIsIdempotent(t *testing.T) {
	f := newFixture(t)
	tr := activities.Transition{Ref: f.ref, Seq: 1, Actor: "staff:underwriter", Action: "approve",
		From: lending.StatusSubmitted, To: lending.StatusApproved, At: time.Now().UTC()}
	for range 2 { // the retry after an ambiguous failure
		_, err := f.env.ExecuteActivity(acts.RecordTransition, tr)
		require.NoError(t, err)
	}
	trail, err := f.store.AuditTrail(context.Background(), f.ref)
	require.NoError(t, err)
	require.Len(t, trail, 1)
	loan, err := f.store.GetLoan(context.Background(), f.ref)
	require.NoError(t, err)
	require.Equal(t, lending.StatusApproved, loan.Status)
}

func TestRecordTransitionOfAnUnknownLoanIsNotRetried(t *testing.T) {
	f := newFixture(t)
	_, err := f.env.ExecuteActivity(acts.RecordTransition, activities.Transition{
		Ref: 12345, Seq: 1, Actor: "system", Action: "expire", From: lending.StatusSubmitted, To: lending.StatusExpired, At: time.Now()})
	require.Error(t, err)
	require.Contains(t, err.Error(), activities.ErrTypeLoanNotFound)
}

func TestScreenCountsTheApplicantsOtherOpenLoans(t *testing.T) {
	f := newFixture(t)
	in := activities.ScreenInput{Ref: f.ref, Application: lending.Application{Product: consumer(),
		Amount: decimal.RequireFromString("2000"), TermMonths: 6, IdentityNumber: "I12356789T",
		BirthDate: date("1990-01-01"), MobilePhone: "0123456789", SubmittedAt: time.Now()}}
	in.Product.MaxOpenLoans = 1
	// The loan being screened does not count against itself.
	v, err := f.env.ExecuteActivity(acts.Screen, in)
	require.NoError(t, err)
	var codes []string
	require.NoError(t, v.Get(&codes))
	require.Empty(t, codes)

	in.Ref = f.ref + 1 // another application of the same person
	v, err = f.env.ExecuteActivity(acts.Screen, in)
	require.NoError(t, err)
	require.NoError(t, v.Get(&codes))
	require.Equal(t, []string{lending.ReasonTooManyOpenLoans}, codes)
}

func TestActivateFixesTheScheduleOnceAndRepaymentsApplyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := activities.ActivateInput{
		Transition: activities.Transition{Ref: f.ref, Seq: 5, Actor: "partner:demo", Action: "disburse",
			From: lending.StatusCashReleaseAuthorized, To: lending.StatusActive, At: time.Now().UTC()},
		Product: consumer(), Amount: decimal.RequireFromString("2000.00"), TermMonths: 6,
		DisbursedOn: date("2026-03-10"), Key: "disbursement",
	}
	var first activities.ActivateResult
	for range 2 {
		v, err := f.env.ExecuteActivity(acts.Activate, in)
		require.NoError(t, err)
		require.NoError(t, v.Get(&first))
	}
	require.Len(t, first.Periods, 6)
	insts, err := f.store.Installments(ctx, f.ref)
	require.NoError(t, err)
	require.Len(t, insts, 6)
	sum := decimal.Zero
	for i, inst := range insts {
		require.True(t, inst.Total.Equal(first.Periods[i].Total))
		sum = sum.Add(inst.Principal)
	}
	require.True(t, sum.Equal(decimal.RequireFromString("2000.00")), sum.String())
	loan, err := f.store.GetLoan(ctx, f.ref)
	require.NoError(t, err)
	require.Equal(t, lending.StatusActive, loan.Status)
	require.Equal(t, "2026-04-10", loan.FirstRepaymentDate.Format(time.DateOnly))

	pay := activities.RepaymentInput{Ref: f.ref, Key: "pay-1", Amount: insts[0].Total, Overpayment: decimal.Zero,
		PaidOn: date("2026-04-01"), At: time.Now().UTC(), Paid: map[int]decimal.Decimal{1: insts[0].Total}, Repaid: insts[0].Total}
	for range 2 {
		_, err := f.env.ExecuteActivity(acts.RecordRepayment, pay)
		require.NoError(t, err)
	}
	txs, err := f.store.Transactions(ctx, f.ref)
	require.NoError(t, err)
	require.Len(t, txs, 2, "one disbursement and one repayment")
	insts, err = f.store.Installments(ctx, f.ref)
	require.NoError(t, err)
	require.True(t, insts[0].Paid.Equal(insts[0].Total))
	require.True(t, insts[1].Paid.IsZero())
}

// consumer is the seeded consumer product, as a loan carries it.
func consumer() lending.Product {
	for _, p := range models.DevProducts() {
		if p.Code == "consumer" {
			return p.Snapshot()
		}
	}
	panic("no consumer product in the seed")
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
