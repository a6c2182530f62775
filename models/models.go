// Package models holds loanflow's persistent state: the GORM models, the
// versioned SQL migrations for PostgreSQL and SQLite, and the repository
// (Store) through which the API reads and the activities write.
//
// Money columns are decimal.Decimal in Go, numeric in PostgreSQL and text in
// SQLite, so no amount ever passes through a float. Dates without a time of
// day (birth dates, due dates) are time.Time values at UTC midnight.
package models

import (
	"strconv"
	"strings"
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/servicing"
	"github.com/shopspring/decimal"
)

// Partner is an originating partner (a retail chain, a post office, an app).
// Username/PasswordHash are its HTTP Basic credentials.
type Partner struct {
	ID                 uint   `gorm:"primaryKey"`
	Username           string `gorm:"uniqueIndex;not null"`
	Name               string `gorm:"not null"`
	PartnerType        string `gorm:"not null"` // Iute's partner_type, e.g. "post"
	PasswordHash       string `gorm:"not null"` // bcrypt
	DefaultProductCode string `gorm:"not null"`
	Active             bool   `gorm:"not null"`
	// RatePerSecond and RateBurst are the partner's own request limit on
	// the partner APIs; 0 follows the deployment's default
	// (LOANFLOW_PARTNER_RATE, LOANFLOW_PARTNER_BURST).
	RatePerSecond float64 `gorm:"not null"`
	RateBurst     int     `gorm:"not null"`
	CreatedAt     time.Time
}

// Staff is a back-office user.
type Staff struct {
	ID           uint         `gorm:"primaryKey"`
	Username     string       `gorm:"uniqueIndex;not null"`
	Name         string       `gorm:"not null"`
	Role         lending.Role `gorm:"not null"`
	PasswordHash string       `gorm:"not null"` // bcrypt
	Active       bool         `gorm:"not null"`
	CreatedAt    time.Time
}

// Product is a loan product: the ranges a loan must fall in and the terms
// its schedule is computed with.
type Product struct {
	ID       uint   `gorm:"primaryKey"`
	Code     string `gorm:"uniqueIndex;not null"`
	Name     string `gorm:"not null"`
	Currency string `gorm:"not null"` // ISO 4217, e.g. "MDL"
	// CurrencyDecimals is the currency's minor-unit scale (2 for MDL, EUR).
	CurrencyDecimals int32 `gorm:"not null"`

	MinAmount     decimal.Decimal `gorm:"not null"`
	MaxAmount     decimal.Decimal `gorm:"not null"`
	MinTermMonths int             `gorm:"not null"`
	MaxTermMonths int             `gorm:"not null"`

	// AnnualInterestRate is the nominal yearly rate in percent ("36" = 36 %).
	AnnualInterestRate decimal.Decimal `gorm:"not null"`
	// DisbursementFeePercent is charged on the principal and financed
	// (added to the first installment); zero for none.
	DisbursementFeePercent decimal.Decimal `gorm:"not null"`
	// MonthlyFeePercent of the principal is added to every installment.
	MonthlyFeePercent decimal.Decimal `gorm:"not null"`

	MinAge                int `gorm:"not null"` // at submission
	MaxAgeAtMaturity      int `gorm:"not null"`
	MaxOpenLoans          int `gorm:"not null"` // per identity number
	CashReleaseWindowDays int `gorm:"not null"`
	// ApprovalSLAHours: an application undecided this long expires; 0
	// means the deployment's LOANFLOW_APPROVAL_TTL.
	ApprovalSLAHours int `gorm:"not null"`

	// FourEyesThreshold: approvals of loans above it need two underwriters
	// (zero: never).
	FourEyesThreshold decimal.Decimal `gorm:"not null"`

	Ledger lending.Ledger `gorm:"not null"`
	// LedgerProducts names the product its loans are booked under in the
	// ledger (fineract_product_id, mambu_product_key); zero: the
	// deployment's default. Unlike the terms, the booking reads it when
	// it books, so fixing it helps loans not booked yet.
	LedgerProducts lending.LedgerProducts `gorm:"embedded"`
	Lender         lending.Lender         `gorm:"not null"`
	Active         bool                   `gorm:"not null"`

	// Servicing settings: what a paid-out loan's money follows
	// (servicing.Policy, whose documentation says each).
	PrepaymentStrategy       string          `gorm:"not null"`
	AllocationOrder          string          `gorm:"not null"`
	EarlyRepaymentFeePercent decimal.Decimal `gorm:"not null"`
	PenaltyGraceDays         int             `gorm:"not null"`
	LateFee                  decimal.Decimal `gorm:"not null"`
	PenaltyRate              decimal.Decimal `gorm:"not null"`
	PenaltyCapPercent        decimal.Decimal `gorm:"not null"`
	// DelinquencyBuckets are the buckets' upper bounds in days past due,
	// comma separated ("30,60,90").
	DelinquencyBuckets string `gorm:"not null"`
	HolidayInterest    string `gorm:"not null"`
	AccrualDaysInYear  string `gorm:"not null"`
	AccrualDaysInMonth string `gorm:"not null"`

	// Schedule is how the product's loans are scheduled, one column per
	// setting under its own name (interest_method, repayment_every, …).
	Schedule lending.Schedule `gorm:"embedded"`

	CreatedAt time.Time
}

// Applicant is the borrower as submitted by the partner. Embedded in Loan
// with the column prefix applicant_.
type Applicant struct {
	IdentityNumber  string    `gorm:"not null;index"`
	FirstName       string    `gorm:"not null"`
	LastName        string    `gorm:"not null"`
	Patronymic      string    `gorm:"not null"`
	BirthDate       time.Time `gorm:"not null"`
	DocumentSerial  string    `gorm:"not null"`
	MobilePhone     string    `gorm:"not null"`
	HomePhone       string    `gorm:"not null"`
	AltContactName  string    `gorm:"not null"`
	AltContactRel   string    `gorm:"not null"`
	AltContactPhone string    `gorm:"not null"`
	Town            string    `gorm:"not null"`
	Street          string    `gorm:"not null"`
	House           string    `gorm:"not null"`
	Apartment       string    `gorm:"not null"`
}

// Approvers are the staff who approved the loan, in order.
func (l Loan) Approvers() []lending.Actor {
	var out []lending.Actor
	for _, a := range strings.Split(l.ApprovedBy, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, lending.Actor(a))
		}
	}
	return out
}

// Remaining is what the loan still claims: the total repayable, less what
// was repaid, never below zero (money beyond it is Overpaid).
func (l Loan) Remaining() decimal.Decimal {
	return decimal.Max(l.TotalRepayable.Sub(l.Repaid), decimal.Zero)
}

// AwaitsBooking: the loan is routed to a ledger that does not hold it yet,
// before its pay-out; its cash release cannot be allowed until it does.
func (l Loan) AwaitsBooking() bool {
	return l.Status.AwaitingPayout() && l.Ledger.Books() && l.LedgerLoanID == ""
}

// FullName is "First Last", as the Iute API prints a client's name.
func (a Applicant) FullName() string { return a.FirstName + " " + a.LastName }

// Loan is one loan application and, once paid out, the loan itself. Ref is
// the public reference (Iute's loanRef), allocated from a sequence; the
// loan's workflow ID is "loan-<Ref>".
type Loan struct {
	Ref         int64          `gorm:"primaryKey;autoIncrement:false"`
	PartnerID   uint           `gorm:"not null;index"`
	ProductCode string         `gorm:"not null"`
	Status      lending.Status `gorm:"not null;index"`
	// ReasonCodes: auto-reject reason codes, comma separated, or the
	// staff reason on REJECTED, or the provider message on a refusal.
	ReasonCodes string `gorm:"not null"`
	Reason      string `gorm:"not null"`

	// IdempotencyKey is the partner's Idempotency-Key; RequestHash the
	// SHA-256 of the canonical request body it was first used with.
	IdempotencyKey string `gorm:"not null"`
	RequestHash    string `gorm:"not null"`

	Currency           string          `gorm:"not null"`
	Amount             decimal.Decimal `gorm:"not null"`
	TermMonths         int             `gorm:"not null"`
	AnnualInterestRate decimal.Decimal `gorm:"not null"`
	InstallmentAmount  decimal.Decimal `gorm:"not null"`
	TotalRepayable     decimal.Decimal `gorm:"not null"`
	Repaid             decimal.Decimal `gorm:"not null"`
	APR                decimal.Decimal `gorm:"column:apr;not null"`

	Applicant   Applicant `gorm:"embedded;embeddedPrefix:applicant_"`
	SubmittedBy string    `gorm:"not null"`
	Office      string    `gorm:"not null"`

	// Ledger and Lender are the product's routing when the loan was
	// submitted; LedgerLoanID and LenderLoanID the providers' ids of it;
	// ProviderError the last refusal a provider gave (shown to staff).
	Ledger        lending.Ledger `gorm:"not null"`
	Lender        lending.Lender `gorm:"not null"`
	LedgerLoanID  string         `gorm:"not null"`
	LenderLoanID  string         `gorm:"not null"`
	ProviderError string         `gorm:"not null"`
	// ProviderWaiting says why a provider step waits for the operator
	// (credentials refused, an unknown ledger product) while it retries;
	// empty once the step succeeds.
	ProviderWaiting string `gorm:"not null"`
	// LenderData is the JSON of what the lender needs beyond the
	// application (lending.JuloApplicant for JULO), empty otherwise.
	LenderData string `gorm:"not null"`

	ApprovedBy              string        `gorm:"not null"` // staff usernames, comma separated (four eyes)
	CashReleaseAuthorizedBy lending.Actor `gorm:"not null"`
	FirstRepaymentDate      *time.Time
	DisbursedOn             *time.Time
	ClosedOn                *time.Time

	// Servicing after pay-out: how late the oldest unpaid installment is,
	// its bucket, the penalties still due, money held for the borrower,
	// what was written off and what was recovered after.
	DaysPastDue       int             `gorm:"not null"`
	DelinquencyBucket string          `gorm:"not null"`
	PenaltiesDue      decimal.Decimal `gorm:"not null"`
	Overpaid          decimal.Decimal `gorm:"not null"`
	WrittenOff        decimal.Decimal `gorm:"not null"`
	Recovered         decimal.Decimal `gorm:"not null"`
	// ServicingSeq is the workflow's count of the snapshots written.
	ServicingSeq int `gorm:"not null"`

	CreatedAt time.Time `gorm:"not null;index"`
	UpdatedAt time.Time `gorm:"not null"`
}

// Installment is one row of a paid-out loan's fixed repayment schedule.
type Installment struct {
	ID        uint            `gorm:"primaryKey"`
	LoanRef   int64           `gorm:"not null;uniqueIndex:ux_installment_loan_number"`
	Number    int             `gorm:"not null;uniqueIndex:ux_installment_loan_number"`
	FromDate  time.Time       `gorm:"not null"`
	DueDate   time.Time       `gorm:"not null"`
	Principal decimal.Decimal `gorm:"not null"`
	Interest  decimal.Decimal `gorm:"not null"`
	Fees      decimal.Decimal `gorm:"not null"`
	Total     decimal.Decimal `gorm:"not null"`
	Paid      decimal.Decimal `gorm:"not null"`
	// Penalties charged on the installment (in Total); what was paid of
	// each component; what was waived, written off, or released as
	// unearned by an early settlement.
	Penalties     decimal.Decimal `gorm:"not null"`
	PaidPrincipal decimal.Decimal `gorm:"not null"`
	PaidInterest  decimal.Decimal `gorm:"not null"`
	PaidFees      decimal.Decimal `gorm:"not null"`
	PaidPenalties decimal.Decimal `gorm:"not null"`
	Waived        decimal.Decimal `gorm:"not null"`
	WrittenOff    decimal.Decimal `gorm:"not null"`
	Unearned      decimal.Decimal `gorm:"not null"`
}

// ToBePaid is what is still owed on the installment.
func (i Installment) ToBePaid() decimal.Decimal {
	return i.Total.Sub(i.Paid).Sub(i.Waived).Sub(i.WrittenOff).Sub(i.Unearned)
}

// Transaction is money moving: the pay-out, a repayment, a servicing
// step's charge or relief (lending.TransactionKind). Key is the caller's
// idempotency key or one loanflow gave, unique per loan and kind.
type Transaction struct {
	ID          uint                    `gorm:"primaryKey"`
	LoanRef     int64                   `gorm:"not null;uniqueIndex:ux_transaction_loan_kind_key"`
	Key         string                  `gorm:"column:idempotency_key;not null;uniqueIndex:ux_transaction_loan_kind_key"`
	Kind        lending.TransactionKind `gorm:"not null;uniqueIndex:ux_transaction_loan_kind_key"`
	Amount      decimal.Decimal         `gorm:"not null"`
	Overpayment decimal.Decimal         `gorm:"not null"`
	ValueDate   time.Time               `gorm:"not null"`
	CreatedAt   time.Time               `gorm:"not null"`
}

// Document is an uploaded file, stored in the database.
type Document struct {
	ID          uint                   `gorm:"primaryKey"`
	LoanRef     int64                  `gorm:"not null;index"`
	Kind        lending.DocumentKind   `gorm:"not null"`
	Filename    string                 `gorm:"not null"`
	ContentType string                 `gorm:"not null"` // sniffed, not trusted from the client
	Size        int64                  `gorm:"not null"`
	SHA256      string                 `gorm:"column:sha256;not null"`
	Status      lending.DocumentStatus `gorm:"not null"`
	Data        []byte                 `gorm:"not null"`
	UploadedBy  lending.Actor          `gorm:"not null"`
	CreatedAt   time.Time
}

// AuditEvent records one state transition of a loan: who, when, from, to,
// why. Seq is the workflow's transition counter, unique per loan, so a
// retried activity never writes the same event twice.
type AuditEvent struct {
	ID         uint           `gorm:"primaryKey"`
	LoanRef    int64          `gorm:"not null;uniqueIndex:ux_audit_loan_seq"`
	Seq        int            `gorm:"not null;uniqueIndex:ux_audit_loan_seq"`
	Actor      lending.Actor  `gorm:"not null"`
	Action     lending.Action `gorm:"not null"`
	FromStatus lending.Status `gorm:"not null"`
	ToStatus   lending.Status `gorm:"not null"`
	Reason     string         `gorm:"not null"`
	At         time.Time      `gorm:"not null"`
}

// ReconciliationFinding is one figure of a loan's schedule on which a ledger
// disagrees with ours by more than one minor unit.
type ReconciliationFinding struct {
	ID                uint            `gorm:"primaryKey"`
	LoanRef           int64           `gorm:"not null"`
	Provider          lending.Ledger  `gorm:"not null"`
	InstallmentNumber int             `gorm:"not null"`
	Field             string          `gorm:"not null"` // due_date is compared as yyyymmdd
	Ours              decimal.Decimal `gorm:"not null"`
	Theirs            decimal.Decimal `gorm:"not null"`
	FoundAt           time.Time       `gorm:"not null"`
}

// Snapshot is the product as a loan is priced and screened under it.
func (p Product) Snapshot() lending.Product {
	return lending.Product{
		Code:                   p.Code,
		Currency:               p.Currency,
		CurrencyDecimals:       p.CurrencyDecimals,
		MinAmount:              p.MinAmount,
		MaxAmount:              p.MaxAmount,
		MinTermMonths:          p.MinTermMonths,
		MaxTermMonths:          p.MaxTermMonths,
		AnnualInterestRate:     p.AnnualInterestRate,
		DisbursementFeePercent: p.DisbursementFeePercent,
		MonthlyFeePercent:      p.MonthlyFeePercent,
		MinAge:                 p.MinAge,
		MaxAgeAtMaturity:       p.MaxAgeAtMaturity,
		MaxOpenLoans:           p.MaxOpenLoans,
		CashReleaseWindowDays:  p.CashReleaseWindowDays,
		ApprovalSLAHours:       p.ApprovalSLAHours,
		FourEyesThreshold:      p.FourEyesThreshold,
		Ledger:                 p.Ledger,
		Lender:                 p.Lender,
		Servicing:              p.Policy(),
		Schedule:               p.Schedule,
	}
}

// Policy is the product's servicing settings as servicing reads them.
func (p Product) Policy() servicing.Policy {
	return servicing.Policy{
		DaysInYear:               p.AccrualDaysInYear,
		DaysInMonth:              p.AccrualDaysInMonth,
		AllocationOrder:          p.AllocationOrder,
		PrepaymentStrategy:       p.PrepaymentStrategy,
		EarlyRepaymentFeePercent: p.EarlyRepaymentFeePercent,
		PenaltyGraceDays:         p.PenaltyGraceDays,
		LateFee:                  p.LateFee,
		PenaltyRate:              p.PenaltyRate,
		PenaltyCapPercent:        p.PenaltyCapPercent,
		Buckets:                  ParseBuckets(p.DelinquencyBuckets),
		HolidayInterest:          p.HolidayInterest,
	}
}

// ParseBuckets reads comma-separated bucket bounds; nil (the default
// buckets) when there are none. A bound that is not a number is dropped:
// products are validated when they are written.
func ParseBuckets(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// FormatBuckets writes bucket bounds as the product stores them.
func FormatBuckets(bounds []int) string {
	parts := make([]string, len(bounds))
	for i, b := range bounds {
		parts[i] = strconv.Itoa(b)
	}
	return strings.Join(parts, ",")
}
