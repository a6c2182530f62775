// Package providers holds what every provider integration shares: one error type, *Error, that says
// whether a failed call may be retried and whether it may already have taken effect, so activities map
// Fineract, Mambu, Iute, JULO and WebMoney failures to Temporal retry policies the same way; Caller,
// the HTTP call every client makes through, which applies that rule (with JSONCall for the JSON APIs);
// BaseURL, the check of a configured API root; and the masking of personal data for the
// request/response logs.
//
// Each provider lives in its own sub-package (providers/fineract, providers/mambu, …) with a typed
// client and a sim sub-package: an http.Handler serving the documented subset of that provider's API,
// with in-memory state and fault injection, used by tests and by `loanflow dev` / `loanflow sim`. What
// the clients' tests share is in providers/providertest.
//
// The rule every client follows:
//   - a validation error or business refusal (4xx with the provider's message) is not retryable: the
//     message surfaces on the loan;
//   - a 5xx, a timeout or a connection failure is retryable;
//   - when the request may have been committed (timeout, dropped connection or a 5xx after the request
//     was sent) the error is Ambiguous, and the caller looks up before it creates again, using the
//     external id or idempotency identifier every write carries.
package providers
