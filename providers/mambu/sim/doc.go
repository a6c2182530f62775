// Package sim is an in-memory Mambu (API v1) for tests and `loanflow dev`: an http.Handler serving the
// documented subset of the loan lifecycle with the paths, auth, envelopes and error shapes of seed 003
// (digest: shared/reference/mambu-loans.md).
//
// Served under /api:
//
//	POST /clients                      GET /clients/{id|encodedKey}
//	POST /loans                        GET /loans/{id|encodedKey}
//	POST /loans/{id}/transactions      type APPROVAL, UNDO_APPROVAL, REJECT, WITHDRAW, DISBURSEMENT, REPAYMENT,
//	                                   CLOSE, WRITE_OFF, FEE, FEE_ADJUSTMENT, INTEREST_APPLIED_ADJUSTMENT, PAYMENT_MADE
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
// Servicing, which the seed lists by type only, follows how a tenant applies interest as it falls due
// (ON_REPAYMENT, as loan V3 shows): the interest of installments due after a date is not owed on that
// date. A REPAYMENT pays what is due first; money paid ahead pays the next installments whole, or, with
// a product's prepaymentRecalculationMethod, the principal first; beyond the balance it is refused, or
// held as an overpayment when the product accepts overpayments. CLOSE, WRITE_OFF, FEE and the
// adjustments take an ACTIVE or ACTIVE_IN_ARREARS account only. CLOSE closes an account that owes
// nothing applied and holds no overpayment, forgiving the interest not applied; WRITE_OFF writes off
// what is owed on its value date and leaves the account CLOSED_WRITTEN_OFF; a FEE falls on the
// installment its repayment parameter numbers or the oldest not paid in full; a FEE_ADJUSTMENT takes
// back the whole fee its originalTransactionId names, unless it was adjusted or its installment paid it;
// an INTEREST_APPLIED_ADJUSTMENT forgives at most the interest applied and unpaid, oldest first; a
// PAYMENT_MADE pays back at most the overpayment held, and closes a settled account that holds none.
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
