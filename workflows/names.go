package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
)

// TaskQueue is the one task queue loan workflows and activities run on.
const TaskQueue = "loanflow"

// Update names: every state transition of a loan is one of these Updates.
const (
	UpdateApprove              = "approve"
	UpdateReject               = "reject"
	UpdateCancel               = "cancel"
	UpdateSubmitDocument       = "submit-document"
	UpdateRejectDocuments      = "reject-documents"
	UpdateAuthorizeCashRelease = "authorize-cash-release"
	// UpdateRetryProvider sends a provider's refused step again.
	UpdateRetryProvider = "retry-provider"
	// UpdateResolveLender settles a lender step whose outcome is unknown.
	UpdateResolveLender       = "resolve-lender"
	UpdateConfirmDisbursement = "confirm-disbursement"
	UpdateRepay               = "repay"
	// UpdateSubmitOTP hands JULO the OTP the customer received (JULO
	// loans only).
	UpdateSubmitOTP = "submit-otp"

	// Servicing a paid-out loan.
	UpdateSettle     = "settle"     // pay the loan off at its payoff quote
	UpdateRefund     = "refund"     // pay an overpayment back
	UpdateWaive      = "waive"      // forgive part of what is due
	UpdateWriteOff   = "write-off"  // write the rest of the loan off
	UpdateReschedule = "reschedule" // a payment holiday
)

// QueryStatus answers the loan's current LoanView.
const QueryStatus = "status"

// QueryPayoff answers what settles a paid-out loan on a date
// (servicing.Quote); its argument is the date.
const QueryPayoff = "payoff"

// Application error types a validator or handler rejects an Update with; the
// API maps them to HTTP statuses.
const (
	// ErrTypeIllegalTransition: the loan is not in a state that allows it (409).
	ErrTypeIllegalTransition = "IllegalTransition"
	// ErrTypeForbidden: segregation of duties or four eyes forbids this actor (403).
	ErrTypeForbidden = "Forbidden"
	// ErrTypeInvalid: the Update's arguments are wrong (400); its details,
	// when it has any, are a FieldProblem.
	ErrTypeInvalid = "Invalid"
)

// FieldProblem names the request field an Invalid error is about.
type FieldProblem struct {
	Field   string
	Message string
}

// Search attributes, upserted on every transition so engineers can filter
// loans in the Temporal UI. They must be registered on the namespace.
var (
	SearchAttrLoanStatus = temporal.NewSearchAttributeKeyKeyword("LoanStatus")
	SearchAttrPartnerID  = temporal.NewSearchAttributeKeyKeyword("PartnerId")
	SearchAttrLoanRef    = temporal.NewSearchAttributeKeyInt64("LoanRef")
	SearchAttrLoanAmount = temporal.NewSearchAttributeKeyFloat64("LoanAmount")
	SearchAttrLedger     = temporal.NewSearchAttributeKeyKeyword("Ledger")
	SearchAttrLender     = temporal.NewSearchAttributeKeyKeyword("Lender")
	// SearchAttrDaysPastDue and SearchAttrDelinquencyBucket follow a
	// serviced loan's arrears, for `LoanStatus = 'IN_ARREARS' AND
	// DaysPastDue > 30`.
	SearchAttrDaysPastDue       = temporal.NewSearchAttributeKeyInt64("DaysPastDue")
	SearchAttrDelinquencyBucket = temporal.NewSearchAttributeKeyKeyword("DelinquencyBucket")
	// SearchAttrCurrency is the currency of LoanAmount.
	SearchAttrCurrency = temporal.NewSearchAttributeKeyKeyword("Currency")
	// SearchAttrStatusSince is when the loan took its LoanStatus, for
	// loans stuck in a status longer than its SLA.
	SearchAttrStatusSince = temporal.NewSearchAttributeKeyTime("StatusSince")
)

// SearchAttributeKeys are every search attribute the workflows upsert: the
// namespace must have each registered with its type, or the workflow task
// that upserts it fails.
func SearchAttributeKeys() []temporal.SearchAttributeKey {
	return []temporal.SearchAttributeKey{
		SearchAttrLoanStatus, SearchAttrPartnerID, SearchAttrLoanRef, SearchAttrLoanAmount,
		SearchAttrLedger, SearchAttrLender, SearchAttrDaysPastDue, SearchAttrDelinquencyBucket,
		SearchAttrCurrency, SearchAttrStatusSince,
	}
}

// LoanWorkflowID is the workflow ID of the loan with the given ref.
func LoanWorkflowID(ref int64) string { return fmt.Sprintf("loan-%d", ref) }

// LoanWorkflowName is the registered name of LoanWorkflow.
const LoanWorkflowName = "LoanWorkflow"
