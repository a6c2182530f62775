// Package fineract is a typed client for the part of the Apache Fineract REST API a loan lifecycle
// needs: find a client by externalId or create it, submit a loan application carrying our loan ref as
// its externalId, approve, disburse, post repayments (each with its own externalId) and read the loan
// back with its repayment schedule and transactions; and service it once paid out: foreclose it
// (settle it early), write it off, waive interest, apply and waive charges (penalties), refund money
// paid in advance or overpaid.
//
// Every request carries HTTP Basic credentials and the tenant header. Fineract documents the header as
// X-Mifos-Platform-TenantId (seed 001, L21); releases since the Apache rename read
// Fineract-Platform-TenantId, so the client sends both and either kind of server finds its tenant.
// Bodies that hold dates or amounts carry "locale" and "dateFormat" (L45-64); amounts go out as plain
// JSON numbers, never through float64.
//
// Fineract has no idempotency key (digest §1.7): externalId uniqueness is the only lever. The Ensure*
// methods are the look-up-before-create steps an activity runs on every attempt, so a retry after an
// ambiguous failure finds what the lost request created instead of booking it twice.
//
// Failures are *providers.Error (see package providers for the retry rules); Code is Fineract's
// userMessageGlobalisationCode and Message its defaultUserMessage plus the per-field messages.
// The simulator is in the sim sub-package.
package fineract
