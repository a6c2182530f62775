// Package webmoney is loanflow's client for the WebMoney Debt service's list of issued loans
// (credits.aspx), the feed the reconciliation schedule reads: for a lender WMID and a time window it
// returns every loan with its purses, amounts, due date and state 0–6.
//
// Requests are XML posted with a SHA1 signature of WMID:DATE_FROM:DATE_TO:password, where the password
// is the API password from the Debt service's settings page. Answers carry retval (0 on success) and
// retdesc; a non-zero retval is a refusal (*providers.Error, not retryable, Code the retval). Listing is
// read-only, so failures are never ambiguous; 5xx, timeouts and broken connections are retryable.
//
// Dates on the wire are yyyy-MM-ddTHH:mm:ss without a zone, in the service's local time (Moscow by
// default, see Config.Location). The simulator in the sim sub-package serves the same endpoint.
package webmoney
