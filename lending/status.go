package lending

import "slices"

// Status is a state of the loan state machine (README, "The loan").
type Status string

// Loan statuses.
const (
	StatusSubmitted             Status = "SUBMITTED"
	StatusAutoRejected          Status = "AUTO_REJECTED"
	StatusApproved              Status = "APPROVED"
	StatusRejected              Status = "REJECTED"
	StatusCancelled             Status = "CANCELLED"
	StatusExpired               Status = "EXPIRED"
	StatusDocumentsSubmitted    Status = "DOCUMENTS_SUBMITTED"
	StatusCashReleaseAuthorized Status = "CASH_RELEASE_AUTHORIZED"
	StatusActive                Status = "ACTIVE"
	StatusInArrears             Status = "IN_ARREARS"
	StatusClosed                Status = "CLOSED"
	StatusWrittenOff            Status = "WRITTEN_OFF"
	// StatusOverpaid: paid beyond all the loan claims; the difference waits
	// for operations to refund it.
	StatusOverpaid Status = "OVERPAID"
)

// Statuses lists every status in the order of a loan's life.
var Statuses = []Status{
	StatusSubmitted, StatusAutoRejected, StatusRejected, StatusApproved,
	StatusDocumentsSubmitted, StatusCashReleaseAuthorized, StatusActive,
	StatusInArrears, StatusOverpaid, StatusClosed, StatusCancelled, StatusExpired,
	StatusWrittenOff,
}

// transitions is the state machine: the statuses each status may move to.
// A status moving to itself (a first approval of two, a document upload)
// is always allowed and not listed.
var transitions = map[Status][]Status{
	StatusSubmitted:             {StatusAutoRejected, StatusApproved, StatusRejected, StatusCancelled, StatusExpired},
	StatusApproved:              {StatusDocumentsSubmitted, StatusCancelled},
	StatusDocumentsSubmitted:    {StatusApproved, StatusCashReleaseAuthorized},
	StatusCashReleaseAuthorized: {StatusActive, StatusExpired},
	StatusActive:                {StatusInArrears, StatusClosed, StatusWrittenOff, StatusOverpaid},
	StatusInArrears:             {StatusActive, StatusClosed, StatusWrittenOff, StatusOverpaid},
	StatusOverpaid:              {StatusClosed},
	// A written-off loan still takes recoveries: recovered in full it
	// closes, beyond that it is overpaid.
	StatusWrittenOff: {StatusClosed, StatusOverpaid},
}

// Valid reports whether s is a status of the state machine.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// CanMoveTo reports whether the state machine allows a transition from s
// to t.
func (s Status) CanMoveTo(t Status) bool {
	return s == t || slices.Contains(transitions[s], t)
}

// Terminal statuses end the loan's workflow: nothing can change the loan
// afterwards. A loan in one of them does not count against the applicant's
// open-loan limit.
func (s Status) Terminal() bool {
	return s.Valid() && len(transitions[s]) == 0
}

// AwaitingPayout statuses are those of a live loan not paid out yet: its
// schedule can only be projected from today.
func (s Status) AwaitingPayout() bool {
	switch s {
	case StatusSubmitted, StatusApproved, StatusDocumentsSubmitted, StatusCashReleaseAuthorized:
		return true
	}
	return false
}

// PaidOut statuses are those of a loan whose money went out: it has a
// fixed schedule and a disbursement.
func (s Status) PaidOut() bool {
	switch s {
	case StatusActive, StatusInArrears, StatusOverpaid, StatusClosed, StatusWrittenOff:
		return true
	}
	return false
}

// Repayable statuses take repayments (after a write-off, as recoveries).
func (s Status) Repayable() bool {
	return s == StatusActive || s == StatusInArrears || s == StatusWrittenOff
}

// Collectable statuses are those of a paid-out loan still repaid on its
// schedule, on time or late: the loans that have a delinquency bucket.
func (s Status) Collectable() bool { return s == StatusActive || s == StatusInArrears }

// Serviced statuses are those of a paid-out loan whose workflow still
// services it.
func (s Status) Serviced() bool { return s.PaidOut() && !s.Terminal() }

// HasAgreement statuses are those from approval onwards: before it there is
// nothing to sign, and a refused or withdrawn loan has no agreement.
func (s Status) HasAgreement() bool {
	return s == StatusApproved || s == StatusDocumentsSubmitted || s == StatusCashReleaseAuthorized || s.PaidOut()
}

// ParseStatus reads a status as a client spells it; ok is false for
// anything the state machine does not have.
func ParseStatus(s string) (Status, bool) {
	st := Status(s)
	return st, st.Valid()
}
