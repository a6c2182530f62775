// Package sim is an in-memory Mambu (API v1) for tests and `loanflow dev`: an http.Handler serving the
// documented subset of the loan lifecycle with the paths, auth, envelopes and error shapes of seed 003
// (digest: shared/reference/mambu-loans.md).
//
// Served under /api:
//
//	POST /clients                      GET /clients/{id|encodedKey}
//	POST /loans                        GET /loans/{id|encodedKey}
//	POST /loans/{id}/transactions      type APPROVAL, UNDO_APPROVAL, REJECT, WITHDRAW, DISBURSEMENT, REPAYMENT
//	GET  /loans/{id}/transactions      GET /loans/{id}/repayments
//
// What it enforces: HTTP Basic or the apiKey header (401 {"returnCode":2,"returnStatus":"INVALID_CREDENTIALS"});
// a User-Agent, as a tenant with Audit Trail does ({"errors":[{"errorCode":4,…}]}); required properties
// ({"errorCode":"4","errorSource":"Property … may not be null","errorReason":"INVALID_PARAMETERS"});
// unknown clients, loans and products ({"returnCode":301|100|505,…}); unique client and loan ids; the
// transaction identifier ("there can't be more than one transaction posted with the same identifier",
// answered 148 TRANSACTION_IDENTIFIER_ALREADY_USED); and the state rules of the digest's §3 table:
// approve or reject only PENDING_APPROVAL, disburse only APPROVED, repay only ACTIVE or
// ACTIVE_IN_ARREARS, and a loan repaid in full becomes CLOSED. A posted DISBURSEMENT is stored and
// listed as DISBURSMENT, the spelling the doc shows for returned transactions.
//
// The seed documents no error for an illegal state change nor for a taken id; the simulator answers
// {"returnCode":105,"returnStatus":"INVALID_ACCOUNT_STATE"} and {"returnCode":4,"returnStatus":
// "INVALID_PARAMETERS","errorSource":"…already in use"}, 400 both, which a client must not depend on
// beyond "a 4xx refusal". A JSON POST naming an existing loan id is an update of custom fields (L19112):
// it answers the account as it is.
//
// Schedules come from our engine (package schedule), with the product's interest method, charge
// frequency, days in year and day-count method; the default product is the one loan V3 of the doc's
// examples implies (declining balance with equal installments, annualized rate, actual/360, actual
// days), so V3's numbers come out. Amounts are rendered as strings, as the doc's examples show them.
//
// Faults injects failures as the Fineract simulator does: 500 {"returnCode":6,"returnStatus":
// "INTERNAL_ERROR"} before anything is committed, latency, and answers lost after the commit.
package sim
