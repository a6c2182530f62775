// Package servicing is the money of a paid-out loan: what is due and paid per installment and
// component, daily accrual, penalties, payoff quotes, prepayment strategies, waivers, refunds,
// write-off and recovery, payment holidays; pure functions on decimal.Decimal, deterministic so the
// loan workflow can call them.
//
// An Account is opened from the agreed schedule.Terms, the schedule generated from them and the
// product's Policy. It holds, per installment and component (principal, interest, fees, penalties),
// what is charged and how the charge was cleared: paid, waived, written off, or unearned (interest and
// fees for time the credit did not run, released by an early settlement). Operations take the date
// they happen on, change the account only when they succeed, and return what happened, which the
// workflow turns into audit events, transactions and ledger postings. Nothing reads a clock, iterates
// a map or keeps package state.
//
// The agreed schedule stays the reference for what is due; accrual decides what a settlement costs:
// interest accrues day by day with the policy's day count on the principal not yet due, and a payoff
// never charges interest that has not accrued (Consumer Credit Directive 2008/48/EC art. 16,
// 2023/2225 art. 29). Accrued amounts are counted exactly (principal × days) and rounded once, so a
// figure never drifts by the cent a daily rounding would lose.
//
// Whatever the sequence of operations, no cent is lost or invented:
//
//	received = paid components + early-repayment fees + overpaid balance + refunded + recovered
//	principal paid out + capitalized interest = principal paid + outstanding + written off
//
// and no amount is negative or finer than the currency. Totals and Check state it.
package servicing
