package service_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// TestOrphanLoansGetTheirWorkflow: a loan row whose workflow never started
// (the process died between the insert and the start) is found by the
// sweep and gets its workflow, which screens it and records the
// submission; a fresh loan is left to its own start.
func TestOrphanLoansGetTheirWorkflow(t *testing.T) {
	k := kit.New(t)
	ctx := context.Background()
	orphan := insertWithoutWorkflow(t, k, k.Clock.Now().Add(-time.Minute))
	fresh := insertWithoutWorkflow(t, k, k.Clock.Now())

	started, err := k.Service.RestartOrphans(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, started)
	require.Eventually(t, func() bool {
		trail, err := k.Store.AuditTrail(ctx, orphan.Ref)
		require.NoError(t, err)
		return len(trail) > 0
	}, 10*time.Second, 10*time.Millisecond, "the orphan's workflow records its submission")
	_, err = k.Engine.Query(ctx, fresh.Ref)
	require.Error(t, err, "a fresh loan is not the sweep's business")

	// The orphan is a loan like any other now.
	out, err := k.Service.Approve(ctx, k.Staff(testkit.Underwriter), orphan.Ref, "")
	require.NoError(t, err)
	require.Equal(t, lending.StatusApproved, out.Loan.Status)
	again, err := k.Service.RestartOrphans(ctx)
	require.NoError(t, err)
	require.Zero(t, again, "a loan with a workflow is no orphan")
}

// insertWithoutWorkflow stores a submitted loan as SubmitLoan would, but
// starts no workflow.
func insertWithoutWorkflow(t *testing.T, k *kit.Kit, created time.Time) *models.Loan {
	t.Helper()
	ctx := context.Background()
	ref, err := k.Store.NextLoanRef(ctx)
	require.NoError(t, err)
	app := kit.Application("2000")
	l := &models.Loan{
		Ref: ref, PartnerID: k.Partner(testkit.Demo).ID, ProductCode: "consumer", Status: lending.StatusSubmitted,
		IdempotencyKey: fmt.Sprintf("orphan-%d", ref), RequestHash: "x", Currency: "MDL",
		Amount: app.Amount, TermMonths: app.TermMonths, Applicant: app.Applicant,
		SubmittedBy: app.SubmittedBy, Office: app.Office, Ledger: lending.LedgerNone, Lender: lending.LenderSelf,
		CreatedAt: created, UpdatedAt: created,
	}
	require.NoError(t, k.Store.CreateLoan(ctx, l))
	return l
}
