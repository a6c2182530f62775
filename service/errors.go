package service

import "github.com/loanflow/loanflow/internal/failure"

// Failures the Service answers that are not about a field.
var (
	errLoanNotFound = failure.NotFound("no such loan")
	errDocNotFound  = failure.NotFound("no such document")
)
