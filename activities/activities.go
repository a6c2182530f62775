// Package activities holds the side effects of a loan's workflow: screening
// against the auto-reject rules, persisting every transition, fixing the
// schedule at pay-out and recording repayments. Each activity is idempotent:
// a retry after an ambiguous failure writes nothing twice.
package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/internal/metrics"
	"github.com/loanflow/loanflow/models"
)

// Activities carries the dependencies of the loan activities. Workflows
// reference its methods through a nil *Activities.
type Activities struct {
	Store   *models.Store
	Ledgers Ledgers
	Lenders Lenders
	// Webhooks wakes the delivery of the events a write left for a
	// partner; nil when nothing delivers them (some tests).
	Webhooks WebhookKicker
}

// Transition is one recorded state change of a loan (see models.Transition).
type Transition = models.Transition

// ErrTypeLoanNotFound marks an activity that ran for a loan the database
// does not have: retrying cannot help.
const ErrTypeLoanNotFound = "LoanNotFound"

// RecordTransition persists a state change and its audit event in one
// database transaction. A retry of an already-recorded Seq does nothing.
func (a *Activities) RecordTransition(ctx context.Context, t Transition) error {
	applied, err := a.Store.ApplyTransition(ctx, t)
	if applied {
		metrics.Transition(t.From, t.To)
	}
	if err != nil {
		return storeError(err)
	}
	return a.wakeWebhooks(ctx, t.Ref)
}

// storeError makes a missing loan non-retryable; every other database error
// is retried with the activity's backoff.
func storeError(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError("loan not found in the database", ErrTypeLoanNotFound, err)
	}
	return err
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
