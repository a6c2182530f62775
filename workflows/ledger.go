package workflows

import (
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// PostingKind is what a queued call to a provider does.
type PostingKind string

// Ledger steps, in the order a loan's life produces them.
const (
	ledgerBook      PostingKind = "book"
	ledgerDisburse  PostingKind = "disburse"
	ledgerRepay     PostingKind = "repay"
	ledgerReconcile PostingKind = "reconcile"
)

// booksInLedger tells whether the loan's product posts it to a ledger.
func (l *loan) booksInLedger() bool { return l.in.Product.Ledger.Books() }

// enqueueLedger queues a posting; the ledger goroutine sends it. Our own
// state has already moved: the ledger follows, it never blocks a partner.
func (l *loan) enqueueLedger(steps ...Posting) {
	if l.booksInLedger() {
		l.st.LedgerQueue = append(l.st.LedgerQueue, steps...)
	}
}

// ledgerActivities post the ledger postings whose answer the loan does not keep, by kind.
var ledgerActivities = map[PostingKind]any{
	ledgerDisburse: a.LedgerDisburse, ledgerRepay: a.LedgerRepay, ledgerReconcile: a.LedgerReconcile,
}

// ledgerOutbox sends the ledger postings.
func (l *loan) ledgerOutbox() *outbox {
	return &outbox{
		provider: string(l.in.Product.Ledger), action: lending.ActionLedgerRefused,
		queue: &l.st.LedgerQueue, refusal: &l.st.LedgerError, busy: &l.ledgerBusy,
		post: func(ctx workflow.Context, p Posting) error {
			ctx = step(ctx, l.postingSummary(p, string(l.in.Product.Ledger)))
			in := activities.LedgerInput{
				Ref: l.in.Ref, Ledger: l.in.Product.Ledger, LedgerLoanID: l.st.LedgerLoanID,
				Key: p.Key, Amount: p.Amount, Date: p.Date,
			}
			if p.Kind == ledgerBook {
				var id string
				err := workflow.ExecuteActivity(ctx, a.LedgerBook, in).Get(ctx, &id)
				if err == nil {
					l.st.LedgerLoanID = id
				}
				return err
			}
			if activity, plain := ledgerActivities[p.Kind]; plain {
				return workflow.ExecuteActivity(ctx, activity, in).Get(ctx, nil)
			}
			return workflow.ExecuteActivity(ctx, a.LedgerServicing, activities.LedgerServicingInput{
				Ref: l.in.Ref, Ledger: l.in.Product.Ledger, LedgerLoanID: l.st.LedgerLoanID, Kind: string(p.Kind),
				Key: p.Key, Amount: p.Amount, Component: p.Component, Date: p.Date, Note: p.Note,
			}).Get(ctx, nil)
		},
	}
}

// ledgerSteps after a transition: booking at approval, the pay-out with a
// reconciliation of the ledger's schedule against ours.
func (l *loan) ledgerAfter(to lending.Status, date time.Time) {
	switch to {
	case lending.StatusApproved:
		if l.st.LedgerLoanID == "" && !l.queued(ledgerBook) {
			l.enqueueLedger(Posting{Kind: ledgerBook})
		}
	case lending.StatusActive:
		l.enqueueLedger(Posting{Kind: ledgerDisburse, Amount: l.in.Amount, Date: date}, Posting{Kind: ledgerReconcile})
	}
}

func (l *loan) queued(kind PostingKind) bool {
	for _, s := range l.st.LedgerQueue {
		if s.Kind == kind {
			return true
		}
	}
	return false
}

// enqueueLedgerServicing queues a servicing posting (activities'
// Ledger* servicing kinds).
func (l *loan) enqueueLedgerServicing(kind, key string, amount decimal.Decimal, component string, date time.Time, note string) {
	l.enqueueLedger(Posting{Kind: PostingKind(kind), Key: key, Amount: amount, Date: date, Component: component, Note: note})
}

// ledgerRepayment queues a repayment's posting (what it applied, not the
// overpayment, which the ledger's loan cannot take).
func (l *loan) ledgerRepayment(key string, applied decimal.Decimal, paidOn time.Time) {
	// The Iute rule lets a repayment carry any date; a ledger refuses one
	// dated before the pay-out, which would stop the loan's sync with it.
	if l.st.DisbursedOn != nil && paidOn.Before(*l.st.DisbursedOn) {
		paidOn = *l.st.DisbursedOn
	}
	if applied.IsPositive() {
		l.enqueueLedger(Posting{Kind: ledgerRepay, Key: key, Amount: applied, Date: paidOn})
	}
}
