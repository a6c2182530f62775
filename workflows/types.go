package workflows

import (
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/servicing"
	"github.com/shopspring/decimal"
)

// ApplicantFacts are the parts of the application the auto-reject rules read.
type ApplicantFacts struct {
	IdentityNumber  string
	BirthDate       time.Time
	MobilePhone     string
	HomePhone       string
	AltContactPhone string
}

// LoanInput starts a LoanWorkflow. State is nil on the first run and carries
// the loan across continue-as-new.
type LoanInput struct {
	Ref         int64
	PartnerID   uint
	Partner     string // partner username, the PartnerId search attribute
	Product     lending.Product
	Amount      decimal.Decimal
	TermMonths  int
	Applicant   ApplicantFacts
	SubmittedAt time.Time

	// ApprovalTTL: a SUBMITTED loan with no decision within it expires.
	ApprovalTTL time.Duration
	// HistoryLimit: continue-as-new once the history holds this many
	// events (0: when the server suggests it).
	HistoryLimit int

	State *LoanState
}

// Installment is one row of the fixed schedule, with what has been paid on it.
type Installment struct {
	Number    int
	FromDate  time.Time
	DueDate   time.Time
	Principal decimal.Decimal
	Interest  decimal.Decimal
	Fees      decimal.Decimal
	Total     decimal.Decimal
	Paid      decimal.Decimal
}

// LoanState is what the workflow knows about its loan.
type LoanState struct {
	Status lending.Status
	// StatusSince is when the loan took its status (zero for a loan whose
	// workflow started before it was kept, until its next transition).
	StatusSince time.Time `json:",omitzero"`
	// LastAction is the latest step recorded on the loan and who took it,
	// for the workflow's current details in the Temporal UI.
	LastAction  string `json:",omitempty"`
	Seq         int    // transitions recorded so far; the audit event key
	ReasonCodes []string
	Reason      string
	// Approvals: underwriters who approved so far (four eyes needs two).
	Approvals []lending.Actor
	// CashReleaseAuthorizedBy: the operations user who authorized.
	CashReleaseAuthorizedBy lending.Actor
	CashReleaseAuthorizedAt time.Time
	// Documents maps a document kind to the ID of its latest upload.
	Documents    map[lending.DocumentKind]uint
	Installments []Installment
	Repaid       decimal.Decimal
	Overpaid     decimal.Decimal
	// Repayments: idempotency keys of repayments already applied.
	Repayments  []string
	DisbursedOn *time.Time
	ClosedOn    *time.Time

	// LedgerQueue holds the postings still to send to the product's
	// ledger, in order; LedgerLoanID is the ledger's id of the loan once
	// booked; LedgerError the refusal that stopped the sync.
	LedgerQueue  []Posting
	LedgerLoanID string
	LedgerError  string

	// The same for the product's external lender; LenderRepaid is what the
	// lender has been told was repaid.
	LenderQueue  []Posting
	LenderLoanID string
	LenderError  string
	LenderRepaid decimal.Decimal

	// Julo is the onboarding at JULO of a loan it funds, nil otherwise.
	Julo *JuloState

	// Account is the money of a paid-out loan serviced since the
	// servicing change (nil before the pay-out, and for a loan paid out
	// earlier until its first step after the change).
	Account *servicing.Account `json:",omitempty"`
	// ServicingSeq numbers the account's snapshots written to the database.
	ServicingSeq int `json:",omitempty"`
	// Delinquency is where the loan's arrears stood when last checked.
	Delinquency servicing.Delinquency `json:",omitempty"`
	// WriteOffApprovals and RescheduleApprovals: staff who approved a
	// four-eyes write-off or payment holiday so far.
	WriteOffApprovals   []lending.Actor `json:",omitempty"`
	RescheduleApprovals []lending.Actor `json:",omitempty"`
	// Keys of the servicing requests applied (settlements, refunds,
	// waivers), as Repayments for repayments.
	Applied []string `json:",omitempty"`
}

// Posting is one call to send to a provider, in the order the loan's life
// produced it.
type Posting struct {
	Kind   PostingKind
	Key    string
	Amount decimal.Decimal
	Date   time.Time
	// Component and Note of a servicing posting (a waiver's component, a
	// penalty's kind; the reason staff gave).
	Component string `json:",omitempty"`
	Note      string `json:",omitempty"`
}

// LoanView is what the status Query and every Update answer: the loan as the
// workflow sees it after the call.
type LoanView struct {
	Ref                     int64
	Status                  lending.Status
	ReasonCodes             []string
	Reason                  string
	Amount                  decimal.Decimal
	TermMonths              int
	Approvals               []lending.Actor
	CashReleaseAuthorizedBy lending.Actor
	Documents               map[lending.DocumentKind]uint
	Installments            []Installment
	TotalRepayable          decimal.Decimal
	Repaid                  decimal.Decimal
	Remaining               decimal.Decimal
	Overpaid                decimal.Decimal
	DisbursedOn             *time.Time
	ClosedOn                *time.Time
	LedgerLoanID            string
	LedgerError             string
	LedgerPending           int
	LenderLoanID            string
	LenderError             string
	LenderPending           int
	// Julo is where a JULO loan's onboarding at JULO stands, nil for
	// other lenders.
	Julo *JuloView

	// Servicing a paid-out loan: how late it is and what it owes beyond
	// its schedule.
	DaysPastDue       int
	DelinquencyBucket string
	PenaltiesDue      decimal.Decimal
	WrittenOff        decimal.Decimal
	Recovered         decimal.Decimal
}

// DecisionRequest is the argument of approve, reject, cancel, reject-documents
// and authorize-cash-release. Actor is "staff:<username>" or
// "partner:<username>"; the API has already checked the actor's role.
type DecisionRequest struct {
	Actor  lending.Actor
	Reason string
}

// DocumentRequest tells the workflow a document was stored.
type DocumentRequest struct {
	Actor      lending.Actor
	Kind       lending.DocumentKind
	DocumentID uint
}

// DisbursementRequest confirms the partner paid the cash out on Date.
type DisbursementRequest struct {
	Actor lending.Actor
	Date  time.Time
}

// OTPRequest submits the OTP JULO texted the customer. The API derives
// the Update ID from the code and JuloView.OTPRound.
type OTPRequest struct {
	Actor lending.Actor
	OTP   string
}

// RepaymentRequest applies a repayment. Key is the caller's idempotency key.
// Strategy says what money beyond what is due does (a servicing prepayment
// strategy; empty: the product's).
type RepaymentRequest struct {
	Actor    lending.Actor
	Key      string
	Amount   decimal.Decimal
	PaidOn   time.Time
	Strategy string `json:",omitempty"`
}

// SettleRequest pays the loan off: Amount must be the payoff quote for
// PaidOn.
type SettleRequest struct {
	Actor  lending.Actor
	Key    string
	Amount decimal.Decimal
	PaidOn time.Time
}

// RefundRequest records Amount of the overpaid balance paid back.
type RefundRequest struct {
	Actor  lending.Actor
	Key    string
	Amount decimal.Decimal
	Reason string
}

// WaiveRequest forgives Amount of a Component (interest, fees, penalties)
// of what is due.
type WaiveRequest struct {
	Actor     lending.Actor
	Key       string
	Component string
	Amount    decimal.Decimal
	Reason    string
}

// RescheduleRequest grants a payment holiday: every unpaid installment
// moves Periods periods later.
type RescheduleRequest struct {
	Actor   lending.Actor
	Periods int
	Reason  string
}
