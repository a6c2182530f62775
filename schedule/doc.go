// Package schedule computes consumer-loan repayment schedules at Apache Fineract fidelity: due dates,
// principal and interest per period under Fineract's cumulative and progressive engines, fees, the EU
// Consumer Credit Directive APR, allocation of payments over a schedule, and payoff quotes.
//
// Everything here is a pure function of its arguments on decimal.Decimal: no I/O, no clock, no package
// state, so workflows may call it deterministically. The reference for every rule is Fineract's own
// source and tests (see the shared reference digest); where Fineract rounds, this package rounds at the
// same point with the same mode, because a cent of difference is what a lender notices first.
package schedule
