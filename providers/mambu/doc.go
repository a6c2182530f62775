// Package mambu is a typed client for the part of the Mambu API v1 (seed 003, digest
// shared/reference/mambu-loans.md) a loan lifecycle needs: get or create a client under our customer id,
// create a loan account whose id is our loan ref, approve it, disburse it and post repayments (all three
// are POST /loans/{id}/transactions with a type), and read the account, its transactions and its
// repayment schedule; and service it once paid out, with the same endpoint: close it once settled,
// write it off, apply fees (penalties) and adjust them, adjust interest applied, pay an overpayment
// back.
//
// Authentication is an API key (the apiKey header) when one is configured, HTTP Basic otherwise. Every
// request sends a User-Agent, which Mambu requires when the tenant has Audit Trail on (L122-137), and
// Accept: application/json: the v1 endpoints used here are selected by that media type, while
// application/vnd.mambu.v2+json would route the same paths to API v2, whose bodies differ.
//
// De-duplication: Mambu v1 has no idempotency header. Clients and loans carry our ids, so a retry reads
// before it creates (the Ensure* methods). Money transactions carry the transaction "identifier" query
// parameter, "unique … there can't be more than one transaction posted with the same identifier"
// (L27275); a retry of a committed one is refused with 148 TRANSACTION_IDENTIFIER_ALREADY_USED, which
// the Ensure* methods read as done.
//
// Spelling: a disbursement is posted as DISBURSEMENT and comes back as DISBURSMENT (L27287, L18517);
// both constants are exported.
//
// Errors: Mambu answers in three shapes (digest §1.5) — {"errorCode","errorSource","errorReason"},
// {"errors":[…that…]} and {"returnCode","returnStatus","errorSource"}. All become *providers.Error with
// Code the returnStatus / errorReason name (e.g. INVALID_PARAMETERS) and Message the errorSource.
// The simulator is in the sim sub-package.
package mambu
