package servicing

import "errors"

// Causes an operation is refused for. Every refusal is an *Error wrapping one of them; errors.Is
// matches the cause. One naming a Field is bad input in that request field (a 400), except
// ErrQuoteMismatch, which the payoff contract answers 409 with Error.Quote; ErrClosed and
// ErrWrittenOff are the loan's state (409). ErrReschedule means the schedule engine refused terms
// derived from a valid loan: a bug, never the caller's fault.
var (
	ErrInvalidAmount    = errors.New("amount must be greater than zero")
	ErrAmountScale      = errors.New("amount has more decimal places than the currency")
	ErrBeforePayout     = errors.New("date is before the pay-out")
	ErrUnknownStrategy  = errors.New("unknown prepayment strategy")
	ErrUnknownComponent = errors.New("component must be penalties, fees or interest")
	ErrUnknownRule      = errors.New("unknown payment-holiday rule")
	ErrInvalidPeriods   = errors.New("defer periods out of range")
	ErrClosed           = errors.New("the loan is fully paid")
	ErrWrittenOff       = errors.New("the loan is written off")
	ErrAboveDue         = errors.New("amount is above what is due")
	ErrAboveOverpaid    = errors.New("amount is above the overpaid balance")
	ErrQuoteMismatch    = errors.New("amount is not the payoff quote")
	ErrReschedule       = errors.New("the schedule engine refused the new schedule")
)

// Error is a refused operation.
type Error struct {
	// Field is the request field at fault ("amount", "paid_on", …), empty when the loan's state is.
	Field string
	// Err is the cause, one of the Err variables.
	Err error
	// Detail says more, for people.
	Detail string
	// Quote is the current payoff quote when a settlement amount did not match it.
	Quote *Quote
}

func (e *Error) Error() string {
	msg := "servicing: "
	if e.Field != "" {
		msg += e.Field + ": "
	}
	msg += e.Err.Error()
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

func refuse(field string, cause error, detail string) error {
	return &Error{Field: field, Err: cause, Detail: detail}
}
