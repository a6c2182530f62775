package lending

// Action names one entry of a loan's audit trail: what happened, whoever
// did it.
type Action string

// Actions of the loan workflow.
const (
	ActionSubmit           Action = "submit"
	ActionAutoReject       Action = "auto_reject"
	ActionApproveFirst     Action = "approve_first" // the first of two four-eyes approvals
	ActionApprove          Action = "approve"
	ActionReject           Action = "reject"
	ActionCancel           Action = "cancel"
	ActionExpire           Action = "expire"
	ActionUploadDocument   Action = "upload_document"
	ActionSubmitDocuments  Action = "submit_documents" // the upload that completed the documents
	ActionRejectDocuments  Action = "reject_documents"
	ActionAuthorizeRelease Action = "authorize_cash_release"
	ActionDisburse         Action = "disburse"
	ActionArrears          Action = "arrears"
	ActionCure             Action = "cure"
	ActionClose            Action = "close"

	// Servicing a paid-out loan.
	ActionSettle            Action = "settle"           // paid off early at the payoff quote
	ActionOverpay           Action = "overpay"          // paid beyond all the loan claims
	ActionRefund            Action = "refund"           // an overpayment paid back
	ActionWaive             Action = "waive"            // part of what is due forgiven
	ActionWriteOffFirst     Action = "write_off_first"  // the first of two four-eyes write-off approvals
	ActionWriteOff          Action = "write_off"        // the rest of the loan written off
	ActionRecover           Action = "recover"          // a repayment after the write-off
	ActionRescheduleFirst   Action = "reschedule_first" // the first of two four-eyes payment-holiday approvals
	ActionReschedule        Action = "reschedule"       // a payment holiday: unpaid installments moved later
	ActionDelinquencyChange Action = "delinquency"      // the delinquency bucket moved

	// A provider refused a posting or a poll; the loan records why.
	ActionLedgerRefused Action = "ledger_refused"
	ActionLenderRefused Action = "lender_refused"
	// Staff send the refused step again, its cause fixed.
	ActionProviderRetry Action = "provider_retry"

	// An external lender's decisions.
	ActionLenderApprove          Action = "lender_approve"
	ActionLenderReject           Action = "lender_reject"
	ActionLenderAuthorizeRelease Action = "lender_authorize_cash_release"

	// JULO's onboarding steps.
	ActionLenderRegister Action = "lender_register"
	ActionLenderImages   Action = "lender_images"
	ActionOTPSent        Action = "otp_sent"
	ActionOTPWrong       Action = "otp_wrong"
	ActionOTPVerified    Action = "otp_verified"
	ActionLenderComplete Action = "lender_complete"
	// A lender step whose outcome is unknown (its answer lost, the
	// lender's documented calls cannot tell), and operations' resolution
	// of it from the lender's portal.
	ActionLenderUnknown  Action = "lender_unknown"
	ActionLenderResolved Action = "lender_resolved"
)
