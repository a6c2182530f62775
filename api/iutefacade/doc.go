// Package iutefacade is the Iute-compatible façade: loanflow serving its partners
// with Iute Credit's Partner API. Partners integrated with Iute's API point
// their unchanged client at loanflow and run the whole loan process through
// it; here loanflow plays Iute's part. (The opposite direction, loanflow
// calling Iute Credit as one of its partners, is providers/iute; the
// simulator of Iute is providers/iute/sim; the wire format the three share
// is internal/iutewire.) Every interface of the Iute document is served at
// /rest/api/partner/… and at /iute/rest/api/partner/… (the prefix of the
// document's samples), with the document's methods and parameter names
// (loanRef on GET interfaces, loan_ref on POST ones), over the same
// service.Service as /v1: this package translates wire formats, it holds no
// business rule of its own.
//
// # Requests and authentication
//
// GET interfaces read the query string. POST interfaces read a
// multipart/form-data or application/x-www-form-urlencoded body, and fall
// back to the query string for a parameter the body lacks (as a servlet's
// getParameter does). Values are trimmed. Every request carries HTTP Basic
// credentials of a partner (the same accounts as /v1) and the partner's
// partner_type, compared with the account's without regard to case.
//
// Dates are dd.MM.yyyy in and out. birth_date also accepts dd/MM/yyyy and
// the dd/MM/yy of the document's example ("01/01/90"); a two-digit year
// makes the latest such date not after today, since a birth date is in the
// past. The repayment date is ddMMyyyy. Amounts are plain decimal
// numbers with a dot ("1000.55"); durations and refs are plain integers.
//
// # Responses
//
// Successes are 200 with XML exactly in the document's shape: the
// declaration <?xml version="1.0" encoding="UTF-8" standalone="yes"?>, the
// document's roots, element names and order, two-space indentation, and
// numbers written the way the samples print them (a Java double: "5000.0",
// "5478.4", "0.0"). Cancel loan, upload files, confirm cash release and
// insert repayment answer an empty 200.
//
// Errors are an HTML page naming what went wrong: 403 for authentication
// (no or wrong credentials, an unknown or inactive user, a partner_type
// that is not the account's), 405 for a method the interface does not
// have, 400 for everything else the caller can fix (missing or malformed
// parameters, an unknown loanRef or another partner's, a step the loan's
// status does not allow, a file that is not a JPEG or PDF), 429 when the
// partner is over its request limit (the same token bucket as /v1, with
// its RateLimit headers and Retry-After: the document has no such answer,
// and a 400 would tell a client not to retry), and 503 when the database
// or the workflow engine is unreachable: retrying is then right.
//
// # Semantics
//
//   - check loan status: approved is "false" while SUBMITTED, "true" when
//     APPROVED, "rejected" when REJECTED or AUTO_REJECTED; any other status
//     is a 400 naming it.
//   - check loan info: "No active loan found!" (status -1) until the loan is
//     paid out; afterwards (ACTIVE, IN_ARREARS, and also CLOSED and
//     WRITTEN_OFF, so the partner can see the final state) the loan with its
//     installment table.
//   - allow cash release: allowed is true and loan_status "normal" only when
//     the cash release is authorized; otherwise loan_status is the loan's
//     status in lower case, with SUBMITTED shown as "new" as the document
//     calls it.
//   - upload files stores loan_agreement as our signed_agreement and
//     bank_statement as our bank_statement; add new loan stores id_copy and
//     data_verification. Only JPEG and PDF are accepted. A file part sent
//     empty (a browser's unselected file input) counts as absent.
//
// # Idempotency
//
// Iute clients send no idempotency key, so one is derived. Add new loan:
// the key is the SHA-256 of the canonical request (every parameter,
// trimmed, amounts and dates normalised; files excluded) plus a generation
// number. The same request again answers the loan it created — while that
// loan was created less than Options.ApplicationRetryWindow ago (24 hours by
// default) and was not cancelled; otherwise it is a new application and
// takes the next generation. The files of a repeated request are stored
// unless the loan already has the same file of that kind.
//
// Insert repayment: the key is loanRef's repayment date, amount and a
// sequence number. A request identical to a repayment recorded less than
// Options.RepaymentRetryWindow ago (2 minutes by default: a client's retry
// of a timed-out call comes within seconds) is a retry of it
// and books nothing; otherwise it is a further repayment with the next
// sequence number. A client retrying a timed-out GET thus never pays twice,
// and two real payments of the same amount on the same day are both booked
// as long as they are reported more than the window apart. Concurrent
// identical requests derive the same key, which the workflow de-duplicates.
package iutefacade
