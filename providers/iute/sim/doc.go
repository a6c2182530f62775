// Package sim is a simulator of Iute Credit's Partner API: it stands in for Iute, the lender that
// loanflow's client (providers/iute) calls, in tests and in `loanflow dev`. It serves the same paths,
// methods, parameter names, Basic authentication with partner_type, XML answers and HTML error pages
// as the documented API (internal/iutewire), with the CRM's side of the process (approval, rejection,
// cash release authorization) exposed as methods an operator — a test, or the auto-decide option —
// calls.
//
// Rules beyond the Partner API document, chosen to behave like a lending CRM and to let a partner
// recover from lost answers: a second application for a person who already has one in progress (or was
// rejected within the cool-down) is refused with a 400 naming the existing loan ref; applicants under 18
// are auto-rejected on submission; files may be re-uploaded until pay-out; confirming an already
// confirmed cash release succeeds without effect; check loan info also answers for fully repaid loans.
package sim
