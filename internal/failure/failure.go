// Package failure classifies what goes wrong in a request by what the
// caller can do about it. The service, the Temporal gateway and the
// authentication return *Error; every front end turns its Kind into its own
// wire shape (a problem+json document, an Iute XML error, a console page),
// so the same failure answers the same everywhere.
package failure

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies a failure by what the caller can do about it. Each kind
// maps to one HTTP status at the edge.
type Kind int

// Failure kinds.
const (
	KindInvalid              Kind = iota + 1 // bad input (400)
	KindUnauthorized                         // missing or wrong credentials (401)
	KindForbidden                            // wrong role, segregation of duties (403)
	KindNotFound                             // unknown, or another partner's (404)
	KindConflict                             // illegal transition, idempotency key reuse (409)
	KindTooLarge                             // body or file over its limit (413)
	KindUnsupportedMediaType                 // file type not accepted (415)
	KindTooManyRequests                      // too many failed credential checks (429)
	KindUnavailable                          // database or Temporal down (503)
)

// FieldError names one bad input field. Field is the dotted JSON path of the
// /v1 request ("applicant.birth_date"), a query parameter or a header name.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors collects every bad field of a request, so the caller fixes
// them all in one round trip.
type FieldErrors []FieldError

// Add records a bad field.
func (fe *FieldErrors) Add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether field, or an object containing it, is already
// flagged, so a later check does not pile a second message on a value that
// could not even be decoded. A flagged "body" (not JSON, not an object)
// covers every field.
func (fe FieldErrors) Has(field string) bool {
	for _, e := range fe {
		if e.Field == field || e.Field == "body" || strings.HasPrefix(field, e.Field+".") {
			return true
		}
	}
	return false
}

// Err is nil when nothing was flagged, else a KindInvalid *Error.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Detail: "the request has invalid fields", Fields: fe}
}

// Error is a failure: what went wrong (Kind), a message safe to show the
// caller (Detail) and, for bad input, the fields to fix. Cause is for logs
// only, never shown.
type Error struct {
	Kind   Kind
	Detail string
	Fields FieldErrors
	// Type optionally refines the problem type ("idempotency-conflict",
	// "illegal-transition").
	Type string
	// Extensions are further members of the answer, for the caller to act
	// on (the payoff quote a settlement's amount did not match).
	Extensions map[string]any
	Cause      error
}

func (e *Error) Error() string {
	msg := e.Detail
	if len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		msg += " (" + strings.Join(parts, "; ") + ")"
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// Invalid is a KindInvalid error naming one field.
func Invalid(field, format string, args ...any) error {
	var fe FieldErrors
	fe.Add(field, format, args...)
	return fe.Err()
}

// Forbidden is a KindForbidden error.
func Forbidden(detail string) error { return &Error{Kind: KindForbidden, Detail: detail} }

// Conflict is a KindConflict error.
func Conflict(detail string) error { return &Error{Kind: KindConflict, Detail: detail} }

// NotFound is a KindNotFound error.
func NotFound(detail string) error { return &Error{Kind: KindNotFound, Detail: detail} }

// Unavailable wraps an infrastructure failure; the edge logs the cause and
// answers a generic message.
func Unavailable(cause error) error {
	return &Error{Kind: KindUnavailable, Detail: "the service is temporarily unavailable, retry later", Cause: cause}
}

// KindOf classifies any error; an error that is not an *Error is an outage
// (KindUnavailable).
func KindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return KindUnavailable
}

// As returns err's *Error, or nil.
func As(err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}
