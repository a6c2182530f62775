package api

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/schedulecmd"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// Response bodies. Money is a string at the currency's scale, dates are
// YYYY-MM-DD, instants RFC 3339 in UTC, field names snake_case.

func money(d decimal.Decimal, scale int32) string { return schedulecmd.Fixed(d, scale) }

func date(t time.Time) string { return t.UTC().Format(dateLayout) }

func optDate(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := date(*t)
	return &s
}

// optMoney is null for an amount not known yet (a loan outside its product's
// ranges is never priced).
func optMoney(d decimal.Decimal, scale int32) *string {
	if d.IsZero() {
		return nil
	}
	s := money(d, scale)
	return &s
}

func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type altContactJSON struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	Phone    string `json:"phone"`
}

type addressJSON struct {
	Town      string `json:"town"`
	Street    string `json:"street"`
	House     string `json:"house"`
	Apartment string `json:"apartment"`
}

type applicantJSON struct {
	IdentityNumber string         `json:"identity_number"`
	FirstName      string         `json:"first_name"`
	LastName       string         `json:"last_name"`
	Patronymic     string         `json:"patronymic"`
	BirthDate      string         `json:"birth_date"`
	DocumentSerial string         `json:"document_serial"`
	MobilePhone    string         `json:"mobile_phone"`
	HomePhone      string         `json:"home_phone"`
	AltContact     altContactJSON `json:"alt_contact"`
	Address        addressJSON    `json:"address"`
}

type loanJSON struct {
	Ref                int64          `json:"ref"`
	Status             lending.Status `json:"status"`
	ReasonCodes        []string       `json:"reason_codes"`
	Reason             string         `json:"reason"`
	ProductCode        string         `json:"product_code"`
	Currency           string         `json:"currency"`
	Amount             string         `json:"amount"`
	TermMonths         int            `json:"term_months"`
	AnnualInterestRate string         `json:"annual_interest_rate"`
	InstallmentAmount  *string        `json:"installment_amount"`
	TotalRepayable     *string        `json:"total_repayable"`
	Repaid             string         `json:"repaid"`
	Remaining          *string        `json:"remaining"`
	APR                *string        `json:"apr"`
	FirstRepaymentDate *string        `json:"first_repayment_date"`
	DisbursedOn        *string        `json:"disbursed_on"`
	ClosedOn           *string        `json:"closed_on"`
	// After pay-out: how late the oldest unpaid installment is and its
	// bucket (null before pay-out), penalties still due, money paid beyond
	// what the loan claims, what was written off and recovered after.
	DaysPastDue       int           `json:"days_past_due"`
	DelinquencyBucket *string       `json:"delinquency_bucket"`
	PenaltiesDue      string        `json:"penalties_due"`
	Overpaid          string        `json:"overpaid"`
	WrittenOff        string        `json:"written_off"`
	Recovered         string        `json:"recovered"`
	CreatedAt         string        `json:"created_at"`
	SubmittedBy       string        `json:"submitted_by"`
	Office            string        `json:"office"`
	Applicant         applicantJSON `json:"applicant"`
}

// reasonCodes splits the stored comma-separated codes; [] when none.
func reasonCodes(s string) []string {
	codes := []string{}
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	return codes
}

func newLoanJSON(l *models.Loan, scale int32) loanJSON {
	a := l.Applicant
	j := loanJSON{
		Ref:                l.Ref,
		Status:             l.Status,
		ReasonCodes:        reasonCodes(l.ReasonCodes),
		Reason:             l.Reason,
		ProductCode:        l.ProductCode,
		Currency:           l.Currency,
		Amount:             money(l.Amount, scale),
		TermMonths:         l.TermMonths,
		AnnualInterestRate: l.AnnualInterestRate.String(),
		InstallmentAmount:  optMoney(l.InstallmentAmount, scale),
		TotalRepayable:     optMoney(l.TotalRepayable, scale),
		Repaid:             money(l.Repaid, scale),
		APR:                optMoney(l.APR, 2),
		FirstRepaymentDate: optDate(l.FirstRepaymentDate),
		DisbursedOn:        optDate(l.DisbursedOn),
		ClosedOn:           optDate(l.ClosedOn),
		DaysPastDue:        l.DaysPastDue,
		PenaltiesDue:       money(l.PenaltiesDue, scale),
		Overpaid:           money(l.Overpaid, scale),
		WrittenOff:         money(l.WrittenOff, scale),
		Recovered:          money(l.Recovered, scale),
		CreatedAt:          instant(l.CreatedAt),
		SubmittedBy:        l.SubmittedBy,
		Office:             l.Office,
		Applicant: applicantJSON{
			IdentityNumber: a.IdentityNumber,
			FirstName:      a.FirstName,
			LastName:       a.LastName,
			Patronymic:     a.Patronymic,
			BirthDate:      date(a.BirthDate),
			DocumentSerial: a.DocumentSerial,
			MobilePhone:    a.MobilePhone,
			HomePhone:      a.HomePhone,
			AltContact:     altContactJSON{Name: a.AltContactName, Relation: a.AltContactRel, Phone: a.AltContactPhone},
			Address:        addressJSON{Town: a.Town, Street: a.Street, House: a.House, Apartment: a.Apartment},
		},
	}
	if l.DelinquencyBucket != "" {
		j.DelinquencyBucket = &l.DelinquencyBucket
	}
	if l.TotalRepayable.IsPositive() {
		j.Remaining = optMoneyZero(l.Remaining(), scale)
	}
	return j
}

func optMoneyZero(d decimal.Decimal, scale int32) *string {
	s := money(d, scale)
	return &s
}

type pageJSON[T any] struct {
	Items    []T   `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"page_size"`
	Total    int64 `json:"total"`
}

// quoteJSON is the schedule result of `loanflow schedule` plus the product
// and the figures a partner quotes to a client. The answer is written by
// appendQuoteJSON; this type is its shape, which encoding/json writes
// byte for byte alike (TestQuoteAnswerIsItsJSON).
type quoteJSON struct {
	ProductCode        string `json:"product_code"`
	Currency           string `json:"currency"`
	Amount             string `json:"amount"`
	TermMonths         int    `json:"term_months"`
	InstallmentAmount  string `json:"installment_amount"`
	TotalRepayable     string `json:"total_repayable"`
	FirstRepaymentDate string `json:"first_repayment_date"`
	schedulecmd.Result
}

func newQuoteJSON(q *service.Quote, amount decimal.Decimal, months int) quoteJSON {
	scale := q.Product.CurrencyDecimals
	return quoteJSON{
		ProductCode:        q.Product.Code,
		Currency:           q.Product.Currency,
		Amount:             money(amount, scale),
		TermMonths:         months,
		InstallmentAmount:  money(q.InstallmentAmount, scale),
		TotalRepayable:     money(q.Schedule.TotalRepayment, scale),
		FirstRepaymentDate: date(q.FirstRepaymentDate),
		Result:             schedulecmd.NewResult(q.Schedule, scale),
	}
}

// jsonContentType is what gin's c.JSON answers with.
const jsonContentType = "application/json; charset=utf-8"

// appendQuoteJSON appends json.Marshal(newQuoteJSON(q, amount, months))
// to dst, writing the amounts from their coefficients in one buffer: the
// quote is the partner API's most frequent answer, and reflecting over its
// schedule and formatting its amounts through math/big was a tenth of its
// time.
func appendQuoteJSON(dst []byte, q *service.Quote, amount decimal.Decimal, months int) []byte {
	scale := q.Product.CurrencyDecimals
	if dst == nil {
		dst = make([]byte, 0, 512+192*len(q.Schedule.Periods))
	}
	dst = appendJSONString(append(dst, `{"product_code":`...), q.Product.Code)
	dst = appendJSONString(append(dst, `,"currency":`...), q.Product.Currency)
	dst = schedulecmd.AppendFixed(append(dst, `,"amount":"`...), amount, scale)
	dst = strconv.AppendInt(append(dst, `","term_months":`...), int64(months), 10)
	dst = schedulecmd.AppendFixed(append(dst, `,"installment_amount":"`...), q.InstallmentAmount, scale)
	dst = schedulecmd.AppendFixed(append(dst, `","total_repayable":"`...), q.Schedule.TotalRepayment, scale)
	dst = q.FirstRepaymentDate.UTC().AppendFormat(append(dst, `","first_repayment_date":"`...), dateLayout)
	dst = schedulecmd.AppendResultMembers(append(dst, `",`...), q.Schedule, scale)
	return append(dst, '}')
}

// appendJSONString appends s as encoding/json writes a string: as it is
// when it is printable ASCII with nothing to escape (a product code, a
// currency), else through encoding/json itself.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

type scheduleRowJSON struct {
	Number   int    `json:"number"`
	DueDate  string `json:"due_date"`
	Total    string `json:"total"`
	Paid     string `json:"paid"`
	ToBePaid string `json:"to_be_paid"`
}

type scheduleJSON struct {
	Installments []scheduleRowJSON `json:"installments"`
	Total        string            `json:"total"`
	Repaid       string            `json:"repaid"`
	Remaining    string            `json:"remaining"`
}

func newScheduleJSON(s *service.RepaymentSchedule, scale int32) scheduleJSON {
	j := scheduleJSON{
		Installments: make([]scheduleRowJSON, len(s.Installments)),
		Total:        money(s.Total, scale),
		Repaid:       money(s.Repaid, scale),
		Remaining:    money(s.Remaining, scale),
	}
	for i, in := range s.Installments {
		j.Installments[i] = scheduleRowJSON{
			Number: in.Number, DueDate: date(in.DueDate),
			Total: money(in.Total, scale), Paid: money(in.Paid, scale), ToBePaid: money(in.ToBePaid(), scale),
		}
	}
	return j
}

type cashReleaseJSON struct {
	Allowed bool           `json:"allowed"`
	Status  lending.Status `json:"status"`
	// WaitingFor says what the release waits for beyond our staff:
	// "ledger_booking" until the ledger holds the loan.
	WaitingFor string `json:"waiting_for,omitempty"`
}

type documentJSON struct {
	ID          uint                   `json:"id"`
	Kind        lending.DocumentKind   `json:"kind"`
	Filename    string                 `json:"filename"`
	ContentType string                 `json:"content_type"`
	Size        int64                  `json:"size"`
	SHA256      string                 `json:"sha256"`
	Status      lending.DocumentStatus `json:"status"`
	UploadedBy  lending.Actor          `json:"uploaded_by"`
	CreatedAt   string                 `json:"created_at"`
}

func newDocumentJSON(d *models.Document) documentJSON {
	return documentJSON{
		ID: d.ID, Kind: d.Kind, Filename: d.Filename, ContentType: d.ContentType, Size: d.Size,
		SHA256: d.SHA256, Status: d.Status, UploadedBy: d.UploadedBy, CreatedAt: instant(d.CreatedAt),
	}
}

type uploadJSON struct {
	Document documentJSON `json:"document"`
	Loan     loanJSON     `json:"loan"`
}

// staffLoanJSON is a loan as the back office lists it: with its partner and
// the staff who acted on it.
type staffLoanJSON struct {
	loanJSON
	Partner                 string         `json:"partner"`
	ApprovedBy              []string       `json:"approved_by"`
	CashReleaseAuthorizedBy lending.Actor  `json:"cash_release_authorized_by"`
	Ledger                  lending.Ledger `json:"ledger"`
	Lender                  lending.Lender `json:"lender"`
	LedgerLoanID            string         `json:"ledger_loan_id"`
	LenderLoanID            string         `json:"lender_loan_id"`
	ProviderError           string         `json:"provider_error"`
	// ProviderWaiting: why a provider step waits for the operator.
	ProviderWaiting string `json:"provider_waiting"`
}

func newStaffLoanJSON(l *models.Loan, partner string, scale int32) staffLoanJSON {
	return staffLoanJSON{
		loanJSON:                newLoanJSON(l, scale),
		Partner:                 partner,
		ApprovedBy:              reasonCodes(l.ApprovedBy),
		CashReleaseAuthorizedBy: l.CashReleaseAuthorizedBy,
		Ledger:                  l.Ledger,
		Lender:                  l.Lender,
		LedgerLoanID:            l.LedgerLoanID,
		LenderLoanID:            l.LenderLoanID,
		ProviderError:           l.ProviderError,
		ProviderWaiting:         l.ProviderWaiting,
	}
}

// findingJSON is one figure on which the ledger disagrees with us.
type findingJSON struct {
	Provider    lending.Ledger `json:"provider"`
	Installment int            `json:"installment"`
	Field       string         `json:"field"`
	Ours        string         `json:"ours"`
	Theirs      string         `json:"theirs"`
	FoundAt     string         `json:"found_at"`
}

type auditJSON struct {
	Seq        int            `json:"seq"`
	Actor      lending.Actor  `json:"actor"`
	Action     lending.Action `json:"action"`
	FromStatus lending.Status `json:"from_status"`
	ToStatus   lending.Status `json:"to_status"`
	Reason     string         `json:"reason"`
	At         string         `json:"at"`
}

type installmentJSON struct {
	Number    int    `json:"number"`
	FromDate  string `json:"from_date"`
	DueDate   string `json:"due_date"`
	Principal string `json:"principal"`
	Interest  string `json:"interest"`
	Fees      string `json:"fees"`
	Total     string `json:"total"`
	Paid      string `json:"paid"`
	ToBePaid  string `json:"to_be_paid"`
}

type transactionJSON struct {
	ID             uint                    `json:"id"`
	Kind           lending.TransactionKind `json:"kind"`
	IdempotencyKey string                  `json:"idempotency_key"`
	Amount         string                  `json:"amount"`
	Overpayment    string                  `json:"overpayment"`
	ValueDate      string                  `json:"value_date"`
	CreatedAt      string                  `json:"created_at"`
}

type loanDetailJSON struct {
	staffLoanJSON
	Documents    []documentJSON    `json:"documents"`
	AuditTrail   []auditJSON       `json:"audit_trail"`
	Installments []installmentJSON `json:"installments"`
	Transactions []transactionJSON `json:"transactions"`
	Findings     []findingJSON     `json:"reconciliation_findings"`
	Held         []heldJSON        `json:"held_repayments"`
}

// heldJSON is a repayment held as a possible duplicate.
type heldJSON struct {
	ID         uint          `json:"id"`
	Amount     string        `json:"amount"`
	PaidOn     string        `json:"paid_on"`
	ReceivedBy lending.Actor `json:"received_by"`
	SimilarTo  string        `json:"similar_to"`
	Status     string        `json:"status"`
	ResolvedBy lending.Actor `json:"resolved_by,omitempty"`
	ResolvedAt *string       `json:"resolved_at,omitempty"`
	CreatedAt  string        `json:"created_at"`
}

func newLoanDetailJSON(d *service.LoanDetail, scale int32) loanDetailJSON {
	j := loanDetailJSON{
		staffLoanJSON: newStaffLoanJSON(d.Loan, d.Partner, scale),
		Documents:     make([]documentJSON, len(d.Documents)),
		AuditTrail:    make([]auditJSON, len(d.AuditTrail)),
		Installments:  make([]installmentJSON, len(d.Installments)),
		Transactions:  make([]transactionJSON, len(d.Transactions)),
		Findings:      make([]findingJSON, len(d.Findings)),
	}
	for i, f := range d.Findings {
		j.Findings[i] = findingJSON{Provider: f.Provider, Installment: f.InstallmentNumber, Field: f.Field,
			Ours: f.Ours.String(), Theirs: f.Theirs.String(), FoundAt: instant(f.FoundAt)}
	}
	for i := range d.Documents {
		j.Documents[i] = newDocumentJSON(&d.Documents[i])
	}
	for i, e := range d.AuditTrail {
		j.AuditTrail[i] = auditJSON{Seq: e.Seq, Actor: e.Actor, Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus, Reason: e.Reason, At: instant(e.At)}
	}
	for i, in := range d.Installments {
		j.Installments[i] = installmentJSON{
			Number: in.Number, FromDate: date(in.FromDate), DueDate: date(in.DueDate),
			Principal: money(in.Principal, scale), Interest: money(in.Interest, scale), Fees: money(in.Fees, scale),
			Total: money(in.Total, scale), Paid: money(in.Paid, scale), ToBePaid: money(in.ToBePaid(), scale),
		}
	}
	j.Held = make([]heldJSON, len(d.Held))
	for i, h := range d.Held {
		j.Held[i] = heldJSON{ID: h.ID, Amount: money(h.Amount, scale), PaidOn: date(h.PaidOn), ReceivedBy: h.ReceivedBy,
			SimilarTo: h.SimilarTo, Status: h.Status, ResolvedBy: h.ResolvedBy, CreatedAt: instant(h.CreatedAt)}
		if h.ResolvedAt != nil {
			at := instant(*h.ResolvedAt)
			j.Held[i].ResolvedAt = &at
		}
	}
	for i, t := range d.Transactions {
		j.Transactions[i] = transactionJSON{
			ID: t.ID, Kind: t.Kind, IdempotencyKey: t.Key, Amount: money(t.Amount, scale),
			Overpayment: money(t.Overpayment, scale), ValueDate: date(t.ValueDate), CreatedAt: instant(t.CreatedAt),
		}
	}
	return j
}
