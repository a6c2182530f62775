// Package sim simulates the WebMoney Debt service's list of issued loans (POST /api/credits.aspx) for
// tests and for `loanflow dev`: XML request and answer, the SHA1 signature checked against each lender's
// API password, loans filtered by lender, window and state.
//
// The loans are the simulator's state, put there with AddCredit and moved with SetState and Repay, the
// way borrowers and lenders act in the real service. The window selects loans by creation date
// (datecrt), as "the range of the requested list" of issued loans.
//
// The seed's table of retval values is cut off; the simulator answers 0 on success, RetvalBadRequest for
// a malformed request or parameter and RetvalBadSignature for a wrong signature or unknown lender.
package sim
