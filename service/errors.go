package service

import "github.com/loanflow/loanflow/internal/failure"

// Failures the Service answers that are not about a field.
var (
	errLoanNotFound = failure.NotFound("no such loan")
	errDocNotFound  = failure.NotFound("no such document")
	errKeyReused    = &failure.Error{Kind: failure.KindConflict, Type: "idempotency-conflict", Detail: "idempotency key reused with a different request"}
)
