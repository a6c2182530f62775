package api

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

// EngineError is a failure of an Engine call. Message is safe to show to the
// caller; Err, the cause, is for logs only.
type EngineError struct {
	Kind    Kind
	Message string
	Err     error
}

func (e *EngineError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *EngineError) Unwrap() error { return e.Err }

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

// Error is a Service failure: what went wrong (Kind), a message for the
// caller (Detail) and, for bad input, the fields to fix.
type Error struct {
	Kind   Kind
	Detail string
	Fields FieldErrors
	// Type optionally refines the problem type ("idempotency-conflict").
	Type string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Detail
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Detail + " (" + strings.Join(parts, "; ") + ")"
}

// Errors the Service returns that are not about a field.
var (
	errLoanNotFound = &Error{Kind: KindNotFound, Detail: "no such loan"}
	errDocNotFound  = &Error{Kind: KindNotFound, Detail: "no such document"}
)

func invalid(field, format string, args ...any) error {
	var fe FieldErrors
	fe.Add(field, format, args...)
	return fe.Err()
}

func forbidden(detail string) error { return &Error{Kind: KindForbidden, Detail: detail} }

func conflict(detail string) error { return &Error{Kind: KindConflict, Detail: detail} }

// unavailable wraps an infrastructure failure; the cause is logged by the
// edge, never shown.
type unavailableError struct{ cause error }

func (e *unavailableError) Error() string { return "unavailable: " + e.cause.Error() }
func (e *unavailableError) Unwrap() error { return e.cause }

func unavailable(err error) error { return &unavailableError{cause: err} }

// KindOf classifies any error the Service returns; unknown errors are
// KindUnavailable (the edge logs them and answers 503).
func KindOf(err error) Kind {
	var se *Error
	if errors.As(err, &se) {
		return se.Kind
	}
	var ee *EngineError
	if errors.As(err, &ee) {
		return ee.Kind
	}
	return KindUnavailable
}
