package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// The ledger is the system of record: a loan routed to one is not paid out
// before the ledger holds it. Its cash release waits for the booking; a
// refused booking stops there, in the console's attention queue, until
// staff fix the cause and retry it (UpdateRetryProvider).

// awaitsBooking: the loan's ledger does not hold it yet.
func (l *loan) awaitsBooking() bool { return l.booksInLedger() && l.st.LedgerLoanID == "" }

// bookingInFlight: the ledger outbox is sending the booking now. Its
// activity writes the ledger's id to the database before the workflow
// hears the answer, so staff may see the loan booked a moment before the
// workflow does.
func (l *loan) bookingInFlight() bool {
	return l.awaitsBooking() && l.st.LedgerError == "" && l.ledgerBusy &&
		len(l.st.LedgerQueue) > 0 && l.st.LedgerQueue[0].Kind == ledgerBook
}

// bookingGrace is how long a cash release accepted while the booking is in
// flight waits for it to land before it is refused.
const bookingGrace = 15 * time.Second

// unbooked refuses a cash release before the booking, saying why. While
// the booking is in flight the validator lets the Update in: its handler
// waits for the answer (awaitBooking) and checks again.
func (l *loan) unbooked() error {
	if !l.awaitsBooking() || l.bookingInFlight() {
		return nil
	}
	return l.bookingRefusal()
}

// awaitBooking lets a booking in flight land, for at most bookingGrace.
func (l *loan) awaitBooking(ctx workflow.Context) error {
	if !l.bookingInFlight() || !l.heldForBooking(ctx) {
		return nil
	}
	_, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
		Timeout: bookingGrace, TimerOptions: workflow.TimerOptions{Summary: "the ledger booking in flight lands"},
	}, func() bool { return !l.bookingInFlight() })
	return err
}

// bookingRefusal is the answer to a cash release the booking holds.
func (l *loan) bookingRefusal() error {
	ledger := string(l.in.Product.Ledger)
	msg := "the cash release waits for " + ledger + " to book the loan"
	if l.st.LedgerError != "" {
		msg += ", which " + ledger + " refused (" + l.st.LedgerError + "): operations retry the booking once the cause is fixed"
	}
	return temporal.NewApplicationError(msg, ErrTypeIllegalTransition)
}

// heldForBooking: the booking rule holds the loan's cash release. Handler
// bodies and the main loop, which replay, ask this rather than
// awaitsBooking: a loan whose release was authorized before the rule
// existed replays as it ran. Validators do not replay and ask unbooked.
func (l *loan) heldForBooking(ctx workflow.Context) bool {
	return l.awaitsBooking() && workflow.GetVersion(ctx, versionPayoutAwaitsBooking, workflow.DefaultVersion, 1) > workflow.DefaultVersion
}

func (l *loan) validateRetryProvider(req DecisionRequest) error {
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	if l.st.LedgerError == "" && l.st.LenderError == "" {
		return temporal.NewApplicationError("no provider refused a step of this loan: there is nothing to retry", ErrTypeIllegalTransition)
	}
	return nil
}

// retryProvider clears the providers' refusals: the stopped outbox sends
// the refused posting again, a refused poll polls again. Refused again, the
// loan records the new refusal as it did the first.
func (l *loan) retryProvider(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateRetryProvider(req) }, func() error {
		cleared := ""
		err := l.record(interactive(ctx), lending.ActionProviderRetry, req.Actor, l.st.Status, req.Reason, nil,
			func(t *activities.Transition) { t.ProviderError = &cleared })
		if err == nil {
			l.st.LedgerError, l.st.LenderError = "", ""
		}
		return err
	})
}
