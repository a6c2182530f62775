// Package iute is the client: loanflow calling Iute Credit as one of its partners, Iute being the
// lender of the loan. It calculates loan conditions, submits applications, polls Iute's decision,
// fetches the agreement, uploads the signed files, checks and confirms the cash release and reports
// repayments. (The opposite direction, loanflow serving its own partners with Iute's API, is the
// façade in api/iutefacade; the wire format both share with the simulator is internal/iutewire.)
//
// The API is form-encoded (GET query or multipart/url-encoded POST), authenticated with HTTP Basic plus a
// partner_type parameter on every call, and answers 200 with XML (or nothing), 400 with an HTML page
// describing the error and 403 on authentication problems. The simulator in the sim sub-package serves
// the same subset.
//
// Every failure is a *providers.Error: 400 and 403 are refusals (not retryable, carrying Iute's message),
// timeouts, 5xx and broken connections are retryable, and a failure after a mutating request may have
// reached Iute is flagged Ambiguous so the caller looks the result up before sending it again. Iute has
// no idempotency key, so look-ups are by loan ref: CheckLoanInfo's repaid total for repayments,
// ExistingLoanRef on an AddLoan refusal for applications.
package iute
