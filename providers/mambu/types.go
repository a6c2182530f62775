package mambu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Transaction types. DISBURSEMENT is what is posted; the stored transaction comes back as DISBURSMENT.
const (
	TypeApproval     = "APPROVAL"
	TypeUndoApproval = "UNDO_APPROVAL"
	TypeReject       = "REJECT"
	TypeWithdraw     = "WITHDRAW"
	TypeDisbursement = "DISBURSEMENT"
	TypeDisbursed    = "DISBURSMENT"
	TypeRepayment    = "REPAYMENT"

	TypeClose              = "CLOSE"
	TypeWriteOff           = "WRITE_OFF"
	TypeFee                = "FEE"
	TypeFeeAdjustment      = "FEE_ADJUSTMENT"
	TypeInterestAdjustment = "INTEREST_APPLIED_ADJUSTMENT"
	TypePaymentMade        = "PAYMENT_MADE"
)

// Loan account states (L51656-51691) the lifecycle passes through.
const (
	StatePartialApplication = "PARTIAL_APPLICATION"
	StatePendingApproval    = "PENDING_APPROVAL"
	StateApproved           = "APPROVED"
	StateActive             = "ACTIVE"
	StateActiveInArrears    = "ACTIVE_IN_ARREARS"
	StateClosed             = "CLOSED"
	StateClosedRejected     = "CLOSED_REJECTED"
	StateClosedWithdrawn    = "CLOSED_WITHDRAWN"
	StateClosedWrittenOff   = "CLOSED_WRITTEN_OFF"
)

// Repayment period units.
const (
	UnitDays   = "DAYS"
	UnitWeeks  = "WEEKS"
	UnitMonths = "MONTHS"
	UnitYears  = "YEARS"
)

// Time is a Mambu date or date-time: "2016-01-08", "2019-12-01T00:00:00+0000" (offsets without a colon,
// L160) or RFC 3339. The zero Time is an absent one.
type Time struct{ time.Time }

var timeLayouts = []string{"2006-01-02T15:04:05-0700", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"}

// UnmarshalJSON reads any of the layouts above, "" or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("mambu time %s: %w", b, err)
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, l := range timeLayouts {
		if v, err := time.Parse(l, s); err == nil {
			// Parse picks time.Local for an offset matching it; a zero offset is plainly UTC.
			if _, off := v.Zone(); off == 0 {
				v = v.UTC()
			}
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("mambu time %q: unknown layout", s)
}

// ClientRecord is a Mambu client (ClientApiV1, L43074-43181). ID is the client id we chose.
type ClientRecord struct {
	EncodedKey   string `json:"encodedKey"`
	ID           string `json:"id"`
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	State        string `json:"state"`
	CreationDate Time   `json:"creationDate"`
}

// NewClient is a client to create. ID is our customer id: Mambu keeps client ids unique, and GetClient
// finds the client by it.
type NewClient struct {
	ID           string
	FirstName    string
	LastName     string
	MobilePhone  string
	EmailAddress string
	BirthDate    *time.Time
}

// DisbursementDetails are a loan's planned and actual pay-out dates.
type DisbursementDetails struct {
	ExpectedDisbursementDate Time `json:"expectedDisbursementDate"`
	DisbursementDate         Time `json:"disbursementDate"`
	FirstRepaymentDate       Time `json:"firstRepaymentDate"`
}

// LoanAccount is a Mambu loan account (LoanAccountApiV1, L51548-51650). Amounts arrive as strings or
// numbers; both decode.
type LoanAccount struct {
	EncodedKey                string               `json:"encodedKey"`
	ID                        string               `json:"id"`
	AccountHolderKey          string               `json:"accountHolderKey"`
	AccountHolderType         string               `json:"accountHolderType"`
	ProductTypeKey            string               `json:"productTypeKey"`
	LoanName                  string               `json:"loanName"`
	AccountState              string               `json:"accountState"`
	AccountSubState           string               `json:"accountSubState"`
	LoanAmount                decimal.Decimal      `json:"loanAmount"`
	InterestRate              decimal.Decimal      `json:"interestRate"`
	InterestChargeFrequency   string               `json:"interestChargeFrequency"`
	InterestCalculationMethod string               `json:"interestCalculationMethod"`
	RepaymentInstallments     int                  `json:"repaymentInstallments"`
	RepaymentPeriodCount      int                  `json:"repaymentPeriodCount"`
	RepaymentPeriodUnit       string               `json:"repaymentPeriodUnit"`
	PrincipalDue              decimal.Decimal      `json:"principalDue"`
	PrincipalPaid             decimal.Decimal      `json:"principalPaid"`
	PrincipalBalance          decimal.Decimal      `json:"principalBalance"`
	InterestDue               decimal.Decimal      `json:"interestDue"`
	InterestPaid              decimal.Decimal      `json:"interestPaid"`
	InterestBalance           decimal.Decimal      `json:"interestBalance"`
	FeesBalance               decimal.Decimal      `json:"feesBalance"`
	PenaltyBalance            decimal.Decimal      `json:"penaltyBalance"`
	CreationDate              Time                 `json:"creationDate"`
	ApprovedDate              Time                 `json:"approvedDate"`
	ClosedDate                Time                 `json:"closedDate"`
	DisbursementDetails       *DisbursementDetails `json:"disbursementDetails,omitempty"`
}

// NewLoan is a loan account to create. ID is our loan ref; ClientKey and ProductKey are encoded keys.
// Zero InterestRate, RepaymentInstallments, RepaymentPeriodCount or RepaymentPeriodUnit take the
// product's defaults.
type NewLoan struct {
	ID                       string
	ClientKey                string
	ProductKey               string
	LoanName                 string
	LoanAmount               decimal.Decimal
	InterestRate             decimal.Decimal
	RepaymentInstallments    int
	RepaymentPeriodCount     int
	RepaymentPeriodUnit      string
	GracePeriod              int
	ExpectedDisbursementDate time.Time
	// FirstRepaymentDate, when set, is the first due date; otherwise one period after disbursement.
	FirstRepaymentDate *time.Time
	Notes              string
}

// Disbursement pays an approved loan out. Identifier de-duplicates the transaction; ValueDate defaults
// to the expected disbursement date.
type Disbursement struct {
	Identifier         string
	ValueDate          *time.Time
	FirstRepaymentDate *time.Time
	Notes              string
}

// Repayment is one payment received. Identifier de-duplicates it across retries.
type Repayment struct {
	Identifier string
	Amount     decimal.Decimal
	ValueDate  time.Time
	Notes      string
}

// Transaction is a loan transaction (LoanTransactionApiV1, L61338-61407). Type is as returned:
// DISBURSMENT, REPAYMENT, … .
type Transaction struct {
	EncodedKey       string          `json:"encodedKey"`
	TransactionID    int64           `json:"transactionId"`
	ParentAccountKey string          `json:"parentAccountKey"`
	Type             string          `json:"type"`
	Amount           decimal.Decimal `json:"amount"`
	PrincipalPaid    decimal.Decimal `json:"principalPaid"`
	InterestPaid     decimal.Decimal `json:"interestPaid"`
	FeesPaid         decimal.Decimal `json:"feesPaid"`
	PenaltyPaid      decimal.Decimal `json:"penaltyPaid"`
	Balance          decimal.Decimal `json:"balance"`
	PrincipalBalance decimal.Decimal `json:"principalBalance"`
	ValueDate        Time            `json:"valueDate"`
	EntryDate        Time            `json:"entryDate"`
	CreationDate     Time            `json:"creationDate"`
	Comment          string          `json:"comment"`
	// ReversalTransactionKey names the adjustment that took the transaction back.
	ReversalTransactionKey string `json:"reversalTransactionKey"`
}

// Installment is one row of a loan's repayment schedule (RepaymentApiV1, L18603-18661). State is
// PENDING, PARTIALLY_PAID, PAID, LATE or GRACE.
type Installment struct {
	EncodedKey       string          `json:"encodedKey"`
	ParentAccountKey string          `json:"parentAccountKey"`
	DueDate          Time            `json:"dueDate"`
	State            string          `json:"state"`
	PrincipalDue     decimal.Decimal `json:"principalDue"`
	PrincipalPaid    decimal.Decimal `json:"principalPaid"`
	InterestDue      decimal.Decimal `json:"interestDue"`
	InterestPaid     decimal.Decimal `json:"interestPaid"`
	FeesDue          decimal.Decimal `json:"feesDue"`
	FeesPaid         decimal.Decimal `json:"feesPaid"`
	PenaltyDue       decimal.Decimal `json:"penaltyDue"`
	PenaltyPaid      decimal.Decimal `json:"penaltyPaid"`
	RepaidDate       Time            `json:"repaidDate"`
}

// TotalDue is what the installment asks for in all.
func (i Installment) TotalDue() decimal.Decimal {
	return i.PrincipalDue.Add(i.InterestDue).Add(i.FeesDue).Add(i.PenaltyDue)
}
