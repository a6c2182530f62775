package fineract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Loan status ids (L4554-4596, L5039). 600, 602 and 700 are not in the seed's examples but are what
// Fineract sets when a loan is repaid, rescheduled or overpaid.
const (
	StatusSubmitted            = 100
	StatusApproved             = 200
	StatusActive               = 300
	StatusWithdrawn            = 400
	StatusRejected             = 500
	StatusClosedObligationsMet = 600
	StatusClosedWrittenOff     = 601
	StatusClosedRescheduled    = 602
	StatusOverpaid             = 700
)

// Period frequency types for loanTermFrequencyType and repaymentFrequencyType (L3437-3447).
const (
	FrequencyDays   = 0
	FrequencyWeeks  = 1
	FrequencyMonths = 2
	FrequencyYears  = 3
)

// Interest, amortization and interest-period enums (L3469-3475).
const (
	InterestTypeDecliningBalance = 0
	InterestTypeFlat             = 1

	AmortizationEqualPrincipal    = 0
	AmortizationEqualInstallments = 1

	InterestPeriodDaily           = 0
	InterestPeriodSameAsRepayment = 1
)

// StrategyMifosStandard is transactionProcessingStrategyId 1: penalties, fees, interest, principal.
const StrategyMifosStandard = 1

// Transaction type ids as returned in type.id (Fineract's LoanTransactionType). A foreclosure books a
// repayment.
const (
	TransactionDisbursement        = 1
	TransactionRepayment           = 2
	TransactionWaiveInterest       = 4
	TransactionWriteOff            = 6
	TransactionWaiveCharges        = 9
	TransactionRefundForActiveLoan = 18
	TransactionCreditBalanceRefund = 20
)

// Date is a calendar day. Fineract answers dates as [yyyy, m, d] arrays (L45); a "yyyy-MM-dd" string is
// accepted too. The zero Date is an absent one.
type Date struct{ time.Time }

// UnmarshalJSON reads [y, m, d], "yyyy-MM-dd", or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`)) {
		d.Time = time.Time{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		t, err := time.Parse(dateLayout, s)
		if err != nil {
			return fmt.Errorf("fineract date %q: %w", s, err)
		}
		d.Time = t
		return nil
	}
	var parts []int
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("fineract date %s: %w", b, err)
	}
	if len(parts) != 3 {
		return fmt.Errorf("fineract date %s: want [year, month, day]", b)
	}
	d.Time = time.Date(parts[0], time.Month(parts[1]), parts[2], 0, 0, 0, 0, time.UTC)
	return nil
}

// Enum is Fineract's {id, code, value} rendering of an enumeration.
type Enum struct {
	ID    int    `json:"id"`
	Code  string `json:"code"`
	Value string `json:"value"`
}

// Status is a loan's status with its flags (L4554-4566).
type Status struct {
	ID                   int    `json:"id"`
	Code                 string `json:"code"`
	Value                string `json:"value"`
	PendingApproval      bool   `json:"pendingApproval"`
	WaitingForDisbursal  bool   `json:"waitingForDisbursal"`
	Active               bool   `json:"active"`
	ClosedObligationsMet bool   `json:"closedObligationsMet"`
	ClosedWrittenOff     bool   `json:"closedWrittenOff"`
	ClosedRescheduled    bool   `json:"closedRescheduled"`
	Closed               bool   `json:"closed"`
	Overpaid             bool   `json:"overpaid"`
}

// Currency is a loan's currency as Fineract reports it.
type Currency struct {
	Code          string `json:"code"`
	DecimalPlaces int32  `json:"decimalPlaces"`
	InMultiplesOf int64  `json:"inMultiplesOf"`
}

// CommandResult is the envelope of every create and command (L4929-4933). For a loan transaction
// ResourceID is the transaction id; for a loan command it is the loan id. Changes echoes what changed.
type CommandResult struct {
	OfficeID   int64           `json:"officeId"`
	ClientID   int64           `json:"clientId"`
	LoanID     int64           `json:"loanId"`
	ResourceID int64           `json:"resourceId"`
	Changes    json.RawMessage `json:"changes,omitempty"`
}

// ClientRecord is a Fineract client (the borrower), as listed by GET clients.
type ClientRecord struct {
	ID          int64  `json:"id"`
	AccountNo   string `json:"accountNo"`
	ExternalID  string `json:"externalId"`
	Status      Enum   `json:"status"`
	Active      bool   `json:"active"`
	DisplayName string `json:"displayName"`
	OfficeID    int64  `json:"officeId"`
}

// NewClient is a client to create. It is created active on ActivationDate, so loans can be submitted
// for it at once.
type NewClient struct {
	OfficeID       int64
	Firstname      string
	Lastname       string
	ExternalID     string
	MobileNo       string
	ActivationDate time.Time
}

// LoanApplication is a loan to submit (L4466). ExternalID is our loan ref: Fineract keeps it unique,
// which is what makes a resubmission after a lost answer detectable. Enum fields take the constants
// above; the interest rate's frequency comes from the product.
type LoanApplication struct {
	ClientID                        int64
	ProductID                       int64
	ExternalID                      string
	Principal                       decimal.Decimal
	LoanTermFrequency               int
	LoanTermFrequencyType           int
	NumberOfRepayments              int
	RepaymentEvery                  int
	RepaymentFrequencyType          int
	InterestRatePerPeriod           decimal.Decimal
	AmortizationType                int
	InterestType                    int
	InterestCalculationPeriodType   int
	TransactionProcessingStrategyID int
	ExpectedDisbursementDate        time.Time
	SubmittedOnDate                 time.Time
	// RepaymentsStartingFromDate, when set, is the first due date; otherwise one period after disbursement.
	RepaymentsStartingFromDate *time.Time
}

// Approval approves a submitted loan (L4529-4572). ApprovedLoanAmount defaults to the principal applied for.
type Approval struct {
	ApprovedOnDate           time.Time
	ApprovedLoanAmount       *decimal.Decimal
	ExpectedDisbursementDate *time.Time
	Note                     string
}

// Disbursal pays an approved loan out (L4723-4775). TransactionAmount defaults to the approved amount.
type Disbursal struct {
	ActualDisbursementDate time.Time
	TransactionAmount      *decimal.Decimal
	Note                   string
}

// Repayment is one payment received. ExternalID identifies it in Fineract so a retry can find it.
type Repayment struct {
	ExternalID        string
	TransactionDate   time.Time
	TransactionAmount decimal.Decimal
	Note              string
}

// Timeline holds a loan's milestone dates.
type Timeline struct {
	SubmittedOnDate          Date `json:"submittedOnDate"`
	ApprovedOnDate           Date `json:"approvedOnDate"`
	ExpectedDisbursementDate Date `json:"expectedDisbursementDate"`
	ActualDisbursementDate   Date `json:"actualDisbursementDate"`
	ExpectedMaturityDate     Date `json:"expectedMaturityDate"`
	ClosedOnDate             Date `json:"closedOnDate"`
}

// Summary is a loan's running balances.
type Summary struct {
	PrincipalDisbursed        decimal.Decimal `json:"principalDisbursed"`
	PrincipalPaid             decimal.Decimal `json:"principalPaid"`
	PrincipalOutstanding      decimal.Decimal `json:"principalOutstanding"`
	InterestCharged           decimal.Decimal `json:"interestCharged"`
	InterestPaid              decimal.Decimal `json:"interestPaid"`
	InterestOutstanding       decimal.Decimal `json:"interestOutstanding"`
	InterestWaived            decimal.Decimal `json:"interestWaived"`
	FeeChargesOutstanding     decimal.Decimal `json:"feeChargesOutstanding"`
	PenaltyChargesCharged     decimal.Decimal `json:"penaltyChargesCharged"`
	PenaltyChargesWaived      decimal.Decimal `json:"penaltyChargesWaived"`
	PenaltyChargesOutstanding decimal.Decimal `json:"penaltyChargesOutstanding"`
	TotalWaived               decimal.Decimal `json:"totalWaived"`
	TotalWrittenOff           decimal.Decimal `json:"totalWrittenOff"`
	TotalExpectedRepayment    decimal.Decimal `json:"totalExpectedRepayment"`
	TotalRepayment            decimal.Decimal `json:"totalRepayment"`
	TotalOutstanding          decimal.Decimal `json:"totalOutstanding"`
	TotalOverdue              decimal.Decimal `json:"totalOverdue"`
}

// SchedulePeriod is one row of a repayment schedule (L4384-4430). The disbursement row has Period 0.
type SchedulePeriod struct {
	Period                          int             `json:"period"`
	FromDate                        Date            `json:"fromDate"`
	DueDate                         Date            `json:"dueDate"`
	DaysInPeriod                    int             `json:"daysInPeriod"`
	Complete                        bool            `json:"complete"`
	PrincipalDisbursed              decimal.Decimal `json:"principalDisbursed"`
	PrincipalDue                    decimal.Decimal `json:"principalDue"`
	PrincipalPaid                   decimal.Decimal `json:"principalPaid"`
	PrincipalOutstanding            decimal.Decimal `json:"principalOutstanding"`
	PrincipalLoanBalanceOutstanding decimal.Decimal `json:"principalLoanBalanceOutstanding"`
	InterestDue                     decimal.Decimal `json:"interestDue"`
	InterestPaid                    decimal.Decimal `json:"interestPaid"`
	InterestOutstanding             decimal.Decimal `json:"interestOutstanding"`
	FeeChargesDue                   decimal.Decimal `json:"feeChargesDue"`
	PenaltyChargesDue               decimal.Decimal `json:"penaltyChargesDue"`
	TotalDueForPeriod               decimal.Decimal `json:"totalDueForPeriod"`
	TotalPaidForPeriod              decimal.Decimal `json:"totalPaidForPeriod"`
	TotalOutstandingForPeriod       decimal.Decimal `json:"totalOutstandingForPeriod"`
}

// RepaymentSchedule is the repaymentSchedule association of a loan.
type RepaymentSchedule struct {
	Currency                Currency         `json:"currency"`
	LoanTermInDays          int              `json:"loanTermInDays"`
	TotalPrincipalDisbursed decimal.Decimal  `json:"totalPrincipalDisbursed"`
	TotalPrincipalExpected  decimal.Decimal  `json:"totalPrincipalExpected"`
	TotalInterestCharged    decimal.Decimal  `json:"totalInterestCharged"`
	TotalRepaymentExpected  decimal.Decimal  `json:"totalRepaymentExpected"`
	TotalRepayment          decimal.Decimal  `json:"totalRepayment"`
	TotalOutstanding        decimal.Decimal  `json:"totalOutstanding"`
	Periods                 []SchedulePeriod `json:"periods"`
}

// Installments returns the schedule's installments, without the disbursement row.
func (s *RepaymentSchedule) Installments() []SchedulePeriod {
	if s == nil {
		return nil
	}
	out := make([]SchedulePeriod, 0, len(s.Periods))
	for _, p := range s.Periods {
		if p.Period > 0 {
			out = append(out, p)
		}
	}
	return out
}

// TransactionType is a loan transaction's type with its flags (L5122-5135).
type TransactionType struct {
	ID            int    `json:"id"`
	Code          string `json:"code"`
	Value         string `json:"value"`
	Disbursement  bool   `json:"disbursement"`
	Repayment     bool   `json:"repayment"`
	WaiveInterest bool   `json:"waiveInterest"`
	WaiveCharges  bool   `json:"waiveCharges"`
	WriteOff      bool   `json:"writeOff"`
}

// Transaction is one loan transaction.
type Transaction struct {
	ID                     int64           `json:"id"`
	ExternalID             string          `json:"externalId"`
	Type                   TransactionType `json:"type"`
	Date                   Date            `json:"date"`
	Amount                 decimal.Decimal `json:"amount"`
	PrincipalPortion       decimal.Decimal `json:"principalPortion"`
	InterestPortion        decimal.Decimal `json:"interestPortion"`
	FeeChargesPortion      decimal.Decimal `json:"feeChargesPortion"`
	PenaltyChargesPortion  decimal.Decimal `json:"penaltyChargesPortion"`
	OutstandingLoanBalance decimal.Decimal `json:"outstandingLoanBalance"`
	ManuallyReversed       bool            `json:"manuallyReversed"`
}

// Loan is a loan account (L3891-4105), with the associations that were asked for.
type Loan struct {
	ID                    int64              `json:"id"`
	AccountNo             string             `json:"accountNo"`
	ExternalID            string             `json:"externalId"`
	ClientID              int64              `json:"clientId"`
	LoanProductID         int64              `json:"loanProductId"`
	Status                Status             `json:"status"`
	Currency              Currency           `json:"currency"`
	Principal             decimal.Decimal    `json:"principal"`
	ApprovedPrincipal     decimal.Decimal    `json:"approvedPrincipal"`
	NumberOfRepayments    int                `json:"numberOfRepayments"`
	RepaymentEvery        int                `json:"repaymentEvery"`
	InterestRatePerPeriod decimal.Decimal    `json:"interestRatePerPeriod"`
	AnnualInterestRate    decimal.Decimal    `json:"annualInterestRate"`
	Timeline              Timeline           `json:"timeline"`
	Summary               *Summary           `json:"summary,omitempty"`
	RepaymentSchedule     *RepaymentSchedule `json:"repaymentSchedule,omitempty"`
	Transactions          []Transaction      `json:"transactions,omitempty"`
	// TotalOverpaid is the credit an overpaid loan holds.
	TotalOverpaid decimal.Decimal `json:"totalOverpaid"`
}

// page is the envelope of GET clients and GET loans (L4138-4140).
type page[T any] struct {
	TotalFilteredRecords int `json:"totalFilteredRecords"`
	PageItems            []T `json:"pageItems"`
}
