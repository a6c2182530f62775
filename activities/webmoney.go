package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/webmoney"
)

// SourceWebMoney is the Source of the external loans the WebMoney Debt feed
// reports.
const SourceWebMoney = webmoney.Provider

// Application error types of the WebMoney reconciliation.
const (
	// ErrTypeWebMoneyRefused: the service answered with a non-zero retval, or
	// the request could not be built; the same call would fail again.
	ErrTypeWebMoneyRefused = "WebMoneyRefused"
	// ErrTypeWebMoneyUnavailable: 5xx, timeout, broken connection or an
	// unreadable answer; retried with the activity's backoff.
	ErrTypeWebMoneyUnavailable = "WebMoneyUnavailable"
	// ErrTypeWebMoneyInvalid: the activity was called with a window it
	// cannot fetch, or without a client.
	ErrTypeWebMoneyInvalid = "WebMoneyInvalid"
)

// DefaultOpenLoanHorizon bounds how far back FetchAndUpsert re-reads the feed
// for loans still open: a loan planned or taken longer ago than this is no
// longer watched for its repayment.
const DefaultOpenLoanHorizon = 400 * 24 * time.Hour

// WebMoney carries the dependencies of the WebMoney Debt reconciliation.
// Workflows reference its methods through a nil *WebMoney.
type WebMoney struct {
	Client *webmoney.Client
	Store  *models.Store
	// OpenLoanHorizon: see DefaultOpenLoanHorizon, used when zero.
	OpenLoanHorizon time.Duration
	// Now stamps the import; time.Now when nil.
	Now func() time.Time
}

// Window is a span of loan issue times, both ends included.
type Window struct {
	From time.Time
	To   time.Time
}

// ReconcileResult is what one reconciliation found.
type ReconcileResult struct {
	// Requested is the window asked for; Fetched the one read from the
	// service, which starts earlier when loans issued before Requested are
	// still open, or on the first import.
	Requested Window
	Fetched   Window
	Loans     int // listed by the service
	Created   int // seen for the first time
	Changed   int // any field different, a state change among them
	Unchanged int
}

// FetchAndUpsert lists the loans of the configured lender from the WebMoney
// Debt service and records them as external loans, with an event for each
// state change (models.Store.UpsertExternalLoans). Running it again over
// the same window writes nothing.
//
// The service selects loans by issue date, so a loan issued before the
// window would never be listed again, and its repayment never seen. The
// fetched window therefore starts at the issue of the oldest loan still
// planned or taken, no further back than OpenLoanHorizon before w.To; and the
// first import, with nothing stored yet, reads back the whole horizon.
func (a *WebMoney) FetchAndUpsert(ctx context.Context, w Window) (*ReconcileResult, error) {
	if a.Client == nil || a.Store == nil {
		return nil, temporal.NewNonRetryableApplicationError("WebMoney reconciliation is not configured", ErrTypeWebMoneyInvalid, nil)
	}
	if w.From.IsZero() || w.To.IsZero() || !w.From.Before(w.To) {
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("window [%s, %s] is empty", w.From.Format(time.RFC3339), w.To.Format(time.RFC3339)), ErrTypeWebMoneyInvalid, nil)
	}
	fetched, err := a.fetchWindow(ctx, w)
	if err != nil {
		return nil, err
	}
	credits, err := a.Client.Credits(ctx, fetched.From, fetched.To, webmoney.StateAll)
	if err != nil {
		return nil, webMoneyError(err)
	}
	loans := make([]models.ExternalLoan, len(credits))
	for i, c := range credits {
		loans[i] = externalLoanOf(c)
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	created, changed, err := a.Store.UpsertExternalLoans(ctx, SourceWebMoney, loans, now())
	if err != nil {
		// A conflict is a concurrent import of the same loans: the retry
		// compares against what that one wrote. Anything else is the
		// database, also worth a retry.
		return nil, err
	}
	return &ReconcileResult{
		Requested: w, Fetched: fetched, Loans: len(loans),
		Created: created, Changed: changed, Unchanged: len(loans) - created - changed,
	}, nil
}

// fetchWindow widens w back to the oldest open loan within the horizon, or
// to the horizon itself when no loan of the lender is stored yet.
func (a *WebMoney) fetchWindow(ctx context.Context, w Window) (Window, error) {
	horizon := a.OpenLoanHorizon
	if horizon <= 0 {
		horizon = DefaultOpenLoanHorizon
	}
	oldest := w.To.Add(-horizon)
	if !oldest.Before(w.From) {
		return w, nil
	}
	_, stored, err := a.Store.ListExternalLoans(ctx, models.ExternalLoanFilter{Source: SourceWebMoney, Limit: 1})
	if err != nil {
		return w, err
	}
	if stored == 0 {
		w.From = oldest
		return w, nil
	}
	open, _, err := a.Store.ListExternalLoans(ctx, models.ExternalLoanFilter{
		Source:     SourceWebMoney,
		States:     []int{int(webmoney.StatePlanned), int(webmoney.StateTaken)},
		IssuedFrom: &oldest,
		IssuedTo:   &w.From,
		Limit:      1, OldestFirst: true,
	})
	if err != nil {
		return w, err
	}
	if len(open) == 1 {
		w.From = open[0].IssuedAt
	}
	return w, nil
}

// webMoneyError classifies a client failure for Temporal's retry policy.
func webMoneyError(err error) error {
	pe, ok := providers.AsError(err)
	switch {
	case !ok:
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeWebMoneyRefused, err)
	case providers.IsRetryable(err):
		return temporal.NewApplicationErrorWithCause(pe.Error(), ErrTypeWebMoneyUnavailable, err)
	case errors.Is(err, context.Canceled):
		// The activity was cancelled or timed out; the error is not looked at.
		return err
	default:
		return temporal.NewNonRetryableApplicationError(pe.Error(), ErrTypeWebMoneyRefused, err, pe.Code)
	}
}

// externalLoanOf maps a listed credit onto the stored external loan.
func externalLoanOf(c webmoney.Credit) models.ExternalLoan {
	return models.ExternalLoan{
		ExternalID:         strconv.FormatInt(c.ID, 10),
		LenderID:           c.OwnerWMID,
		BorrowerID:         c.DestWMID,
		SourceAccount:      c.PurseSrc,
		DestinationAccount: c.PurseDest,
		RepaymentAccount:   c.PurseRet,
		TransferID:         c.WMTranID,
		ContractID:         c.ContractID,
		Amount:             c.Amount,
		AmountToRepay:      c.AmountRet,
		AmountOutstanding:  c.AmountRetRest,
		IssuedAt:           c.Created,
		DueAt:              c.ReturnDate,
		ReturnPeriod:       c.ReturnPeriod,
		State:              int(c.State),
		StateName:          c.State.String(),
		StateChangedAt:     c.Updated,
	}
}
