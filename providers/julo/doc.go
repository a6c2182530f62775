// Package julo is loanflow's client for the JULO partnership API, used when JULO funds a loan: check
// that the customer is new to JULO, register them (keeping the application_xid JULO returns), upload the
// KTP and selfie images, send an OTP to the customer's phone, validate the OTP the customer received,
// and complete the application data.
//
// Requests carry the partner credentials in the secret-key and username headers and are JSON, except
// image uploads (multipart). Every answer is the {success, data, errors} envelope; a failure is turned
// into a *providers.Error whose Message joins JULO's errors. 4xx refusals are not retryable; 5xx,
// timeouts and broken connections are, and are Ambiguous when a write may have been committed.
//
// JULO has no idempotency key. Its writes are safe to repeat in this order: registration is recognized
// by NIK (PreRegisterCheck tells whether it landed; the simulator replays the same application_xid to
// an identical repeat), image uploads replace, an OTP resend while one is pending resends the same code,
// a repeated validation of the accepted OTP succeeds and completing the data again updates it.
//
// The simulator in the sim sub-package serves the same endpoints.
package julo
