// Package sim simulates the JULO partnership API for tests and for `loanflow dev`: the endpoints
// loanflow uses (pre-register check, initial registration, image upload, send and validate OTP, complete
// application data) with JULO's header authentication, {success, data, errors} envelope and validation
// rules, and an in-memory store.
//
// The OTP the customer would receive by SMS is read with LastOTP. An OTP expires after Options.OTPTTL
// and allows Options.MaxOTPAttempts wrong tries before a new one must be requested.
//
// Rules beyond JULO's document, chosen so a partner can recover from lost answers: an identical repeat
// of a registration (same NIK, PIN and email) answers with the same application; a resend while an OTP
// is pending repeats the same code; validating the already accepted OTP again succeeds; the mobile phone
// completed in the application data must be the one verified by OTP.
package sim
