package lending

import "slices"

// EventType is what a partner's webhook endpoint subscribes to: a kind of
// news about its loans.
type EventType string

// Event types.
const (
	// EventStatusChanged: every transition of a loan's status, with the
	// status it left and the reason codes.
	EventStatusChanged EventType = "loan.status_changed"
	// EventRepaymentRecorded: money from the borrower was booked to the
	// loan (a repayment, a settlement, a recovery after a write-off).
	EventRepaymentRecorded EventType = "loan.repayment_recorded"
	// EventOverdue: the loan's delinquency bucket moved to a worse or a
	// better overdue bucket; once per bucket change, not daily.
	EventOverdue EventType = "loan.overdue"
	// EventSettled: the borrower paid the loan in full (early at its payoff
	// quote, by the last installment, or beyond), or it was recovered in
	// full after a write-off.
	EventSettled EventType = "loan.settled"
	// EventDocumentRejected: operations sent the signed documents back.
	EventDocumentRejected EventType = "document.rejected"
)

// EventTypes lists every event type, in the order the documentation gives.
var EventTypes = []EventType{EventStatusChanged, EventRepaymentRecorded, EventOverdue, EventSettled, EventDocumentRejected}

// Valid reports whether e is one of EventTypes.
func (e EventType) Valid() bool { return slices.Contains(EventTypes, e) }
