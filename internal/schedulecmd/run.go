package schedulecmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/loanflow/loanflow/schedule"
)

// Exit statuses of `loanflow schedule`.
const (
	ExitOK       = 0
	ExitInternal = 1
	ExitInvalid  = 2
)

// maxRequestBytes bounds what is read from stdin: a request is a few hundred bytes, so anything much
// larger is a mistake, not a loan.
const maxRequestBytes = 1 << 20

// Problem is the stderr document for a rejected request, shaped like the API's RFC 9457 problems.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Errors []FieldError `json:"errors"`
}

// FieldError names one bad field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Run reads one request from stdin and writes the schedule to stdout (returning 0), or writes the
// problems to stderr (returning 2 for a bad request, 1 if the output cannot be written).
func Run(stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A bug must not reach the user as a stack trace; it is still reported and still fails.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "loanflow schedule: internal error: %v\n", r)
			code = ExitInternal
		}
	}()
	data, err := io.ReadAll(io.LimitReader(stdin, maxRequestBytes+1))
	if err != nil {
		return writeProblems(stderr, []schedule.Problem{{Field: "", Message: "cannot read the request: " + err.Error()}})
	}
	if len(data) > maxRequestBytes {
		return writeProblems(stderr, []schedule.Problem{{Field: "", Message: fmt.Sprintf("request is larger than %d bytes", maxRequestBytes)}})
	}
	terms, err := ParseRequest(data)
	if err != nil {
		return writeError(stderr, err)
	}
	s, err := schedule.Generate(terms)
	if err != nil {
		return writeError(stderr, err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(NewResult(s, terms.Normalize().Currency.DecimalPlaces)); err != nil {
		fmt.Fprintf(stderr, "loanflow schedule: cannot write the result: %v\n", err)
		return ExitInternal
	}
	return ExitOK
}

func writeError(stderr io.Writer, err error) int {
	var ve *schedule.ValidationError
	if errors.As(err, &ve) {
		return writeProblems(stderr, ve.Problems)
	}
	return writeProblems(stderr, []schedule.Problem{{Field: "", Message: err.Error()}})
}

func writeProblems(stderr io.Writer, problems []schedule.Problem) int {
	doc := Problem{Type: "urn:loanflow:problem:invalid-request", Title: "Invalid schedule request", Errors: make([]FieldError, len(problems))}
	for i, p := range problems {
		doc.Errors[i] = FieldError{Field: p.Field, Message: p.Message}
	}
	enc := json.NewEncoder(stderr)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return ExitInternal
	}
	return ExitInvalid
}
