// Package sim is an in-memory Apache Fineract for tests and `loanflow dev`: an http.Handler serving the
// documented subset of the loan lifecycle at the paths, with the auth, envelopes and error shapes of
// seed 001 (digest: shared/reference/fineract-loans.md).
//
// Served under /fineract-provider/api/v1 and /api/v1:
//
//	GET  clients?externalId=       POST clients               GET clients/{id}
//	GET  loans?externalId=         POST loans                 GET loans/{id}?associations=repaymentSchedule,transactions
//	POST loans/{id}?command=approve|disburse|reject|withdrawnByApplicant
//	POST loans/{id}/transactions?command=repayment|foreclosure|writeoff|waiveInterest|refundByCash|creditBalanceRefund
//	GET  loans/{id}/transactions/{txId}
//	GET  loans/{id}/charges        POST loans/{id}/charges    POST loans/{id}/charges/{loanChargeId}?command=waive
//
// Rules it enforces as Fineract does: HTTP Basic and a known tenant (Fineract-Platform-TenantId or the
// documented X-Mifos-Platform-TenantId) on every call; mandatory parameters, unsupported parameters,
// and locale + dateFormat for bodies with dates or amounts (400, validation envelope); a unique
// externalId for clients, loans and loan transactions; approve only a submitted loan, disburse only an
// approved one, repay only an active one. Status ids follow Fineract: 100 submitted, 200 approved,
// 300 active, 400 withdrawn, 500 rejected, 600 closed (obligations met) once repaid, 601 written off,
// 700 overpaid.
//
// Servicing follows Fineract's rules for a loan without interest recalculation: a foreclosure turns the
// installments from its date on into one due that day, charging the interest of the period in
// progress pro rata to it, and books what the loan then owes as one repayment, closing it; a write-off
// writes off all the loan owes, the interest of installments not yet due included, and closes it as
// written off (601), after which it takes no repayment; an interest waiver forgives at most the
// interest outstanding, oldest installment first; charges (the tenant's definitions, Config.Charges,
// DefaultPenaltyCharge by default: flat, due on a specified date) fall on the installment whose period
// holds their due date, or on one added after the last, and are paid with their installment, penalties
// first; a charge waiver waives what is left of one charge, whole, on an active loan only; refundByCash
// pays back at most what was paid on installments not yet due, creditBalanceRefund at most an
// overpaid loan's credit, closing it once none is left. Every transaction's externalId and every loan
// charge's is unique in the tenant. The command of a transaction is matched without regard to case.
//
// Domain refusals and duplicate externalIds answer 403, as Fineract's PlatformDomainRuleException and
// PlatformDataIntegrityException mappers do; the seed's summary table only says 400 covers "Data
// Integrity Issue", so a client must not depend on which 4xx it gets.
//
// The schedule is computed by our engine (package schedule) from the loan's terms and the product's
// day-count and currency settings, and recomputed on disbursement with the actual date. Repayments are
// allocated with the mifos-standard strategy (penalties, fees, interest, principal; oldest first).
//
// Faults injects failures for resilience tests: a share of 500 answers given before anything is
// committed, latency, and a share of requests that are committed and then lose their answer (the
// connection is hijacked and closed), with a seeded generator so a run is reproducible.
package sim
