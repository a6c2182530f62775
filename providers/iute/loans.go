package iute

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/providers"
)

// Calculation is the answer of calculate loan conditions.
type Calculation struct {
	FirstRepaymentDate time.Time
	MonthlyPayment     decimal.Decimal
	// TotalLoanAmount is everything the client repays: principal, interest and fees.
	TotalLoanAmount decimal.Decimal
}

// File is a document sent to Iute. Iute accepts jpg and pdf.
type File = providers.File

// Application is the add new loan request. Phone numbers are local: GSM and AltContactPhone "0" plus 9
// digits, PhoneHome "0" plus 8 digits.
type Application struct {
	PIN                string
	FirstName          string
	LastName           string
	Patronymic         string
	BirthDate          time.Time
	DocumentSerial     string
	GSM                string
	PhoneHome          string
	AltContactName     string
	AltContactRelation string
	AltContactPhone    string
	Town               string
	Street             string
	HouseNr            string
	ApartmentNr        string
	LoanAmount         decimal.Decimal
	LoanDuration       int // months
	SubmitPerson       string
	SubmitPostOffice   string
	IDCopy             *File // optional copy of the identity document
	DataVerification   *File // optional data verification document
}

// NewLoan is Iute's answer to add new loan.
type NewLoan struct {
	LoanRef            int64
	LoanPeriod         int
	FirstRepaymentDate time.Time
	ClientPIN          string
	ClientName         string
}

// Decision is what check loan status reports.
type Decision string

// Decisions. MovedOn is Iute's 400 answer for an application past the decision step (or withdrawn).
const (
	DecisionPending  Decision = iutewire.ApprovedFalse
	DecisionApproved Decision = iutewire.ApprovedTrue
	DecisionRejected Decision = iutewire.ApprovedRejected
	DecisionMovedOn  Decision = "moved_on"
)

// LoanStatus is the answer of check loan status.
type LoanStatus struct {
	LoanRef  int64
	Decision Decision
	// Message is Iute's explanation when Decision is DecisionMovedOn.
	Message string
}

// LoanInfo is the answer of check loan info for a paid-out loan.
type LoanInfo struct {
	LoanRef          int64
	LoanPeriod       int
	TotalBalance     decimal.Decimal // principal plus fees and interest
	Repaid           decimal.Decimal
	RemainingBalance decimal.Decimal
	ClientPIN        string
	ClientName       string
	Installments     []Installment
}

// Installment is one row of the installment table. ToBePaid is zero once covered.
type Installment struct {
	Number   int
	DueDate  time.Time
	Total    decimal.Decimal
	ToBePaid decimal.Decimal
}

// Calculate asks for the monthly payment and total repayable for amount over months.
func (c *Client) Calculate(ctx context.Context, amount decimal.Decimal, months int) (*Calculation, error) {
	const op = "calculate"
	w, err := doXML[iutewire.LoanCalc](ctx, c, call{op: op, iface: iutewire.Calculate, values: url.Values{
		iutewire.FieldLoanAmount:   {amount.String()},
		iutewire.FieldLoanDuration: {strconv.Itoa(months)},
	}})
	if err != nil {
		return nil, err
	}
	var f providers.Fields
	out := &Calculation{
		FirstRepaymentDate: f.Time("first_repayment_date", w.FirstRepaymentDate, iutewire.DateLayout, time.UTC),
		MonthlyPayment:     f.Decimal("monthly_payment", w.MonthlyPayment),
		TotalLoanAmount:    f.Decimal("total_loan_amount", w.TotalLoanAmount),
	}
	return out, parsed(op, f, false)
}

// AddLoan submits an application (multipart, with the optional files). Iute may auto-reject it right
// after; CheckLoanStatus tells. When Iute refuses because the person already has an open application,
// ExistingLoanRef(err) names it.
func (c *Client) AddLoan(ctx context.Context, a Application) (*NewLoan, error) {
	const op = "add_loan"
	values := url.Values{
		iutewire.FieldPIN:              {a.PIN},
		iutewire.FieldFirstName:        {a.FirstName},
		iutewire.FieldLastName:         {a.LastName},
		iutewire.FieldPatronymic:       {a.Patronymic},
		iutewire.FieldBirthDate:        {a.BirthDate.Format(iutewire.DateLayout)},
		iutewire.FieldDocumentSerial:   {a.DocumentSerial},
		iutewire.FieldGSM:              {a.GSM},
		iutewire.FieldPhoneHome:        {a.PhoneHome},
		iutewire.FieldAltContactName:   {a.AltContactName},
		iutewire.FieldAltContactRel:    {a.AltContactRelation},
		iutewire.FieldAltContactPhone:  {a.AltContactPhone},
		iutewire.FieldTown:             {a.Town},
		iutewire.FieldStreet:           {a.Street},
		iutewire.FieldHouseNr:          {a.HouseNr},
		iutewire.FieldApartmentNr:      {a.ApartmentNr},
		iutewire.FieldLoanAmount:       {a.LoanAmount.String()},
		iutewire.FieldLoanDuration:     {strconv.Itoa(a.LoanDuration)},
		iutewire.FieldSubmitPerson:     {a.SubmitPerson},
		iutewire.FieldSubmitPostOffice: {a.SubmitPostOffice},
	}
	var files []providers.FormFile
	if a.IDCopy != nil {
		files = append(files, providers.FormFile{Field: iutewire.FieldIDCopy, File: *a.IDCopy})
	}
	if a.DataVerification != nil {
		files = append(files, providers.FormFile{Field: iutewire.FieldDataVerification, File: *a.DataVerification})
	}
	w, err := doXML[iutewire.NewLoan](ctx, c, call{op: op, iface: iutewire.AddLoan, values: values, files: files, multipart: true, write: true})
	if err != nil {
		return nil, err
	}
	var f providers.Fields
	out := &NewLoan{
		LoanRef:            f.Int64("loan_ref", w.LoanRef),
		LoanPeriod:         f.Int("loan_period", w.LoanPeriod),
		FirstRepaymentDate: f.Time("first_repayment_date", w.FirstRepaymentDate, iutewire.DateLayout, time.UTC),
		ClientPIN:          strings.TrimSpace(w.ClientPIN),
		ClientName:         strings.TrimSpace(w.ClientName),
	}
	return out, parsed(op, f, true)
}

// CancelLoan withdraws an application that is still NEW or APPROVED.
func (c *Client) CancelLoan(ctx context.Context, ref int64) error {
	_, err := c.do(ctx, call{op: "cancel_loan", iface: iutewire.CancelLoan, values: refQuery(ref), write: true})
	return err
}

// CheckLoanStatus reports Iute's decision on an application. Iute answers 400 once the application has
// moved past the decision step; that is reported as DecisionMovedOn with Iute's message, not as an error.
func (c *Client) CheckLoanStatus(ctx context.Context, ref int64) (*LoanStatus, error) {
	const op = "check_loan_status"
	w, err := doXML[iutewire.LoanStatus](ctx, c, call{op: op, iface: iutewire.CheckLoanStatus, multipart: true, values: url.Values{
		iutewire.FieldLoanRefPost: {strconv.FormatInt(ref, 10)},
	}})
	if pe, ok := providers.AsError(err); ok && pe.Status == http.StatusBadRequest {
		return &LoanStatus{LoanRef: ref, Decision: DecisionMovedOn, Message: pe.Message}, nil
	}
	if err != nil {
		return nil, err
	}
	var f providers.Fields
	out := &LoanStatus{LoanRef: f.Int64("loan_ref", w.LoanRef)}
	switch d := Decision(strings.ToLower(strings.TrimSpace(w.Approved))); d {
	case DecisionPending, DecisionApproved, DecisionRejected:
		out.Decision = d
	default:
		f.Fail("approved", w.Approved, fmt.Errorf("want true, false or rejected"))
	}
	return out, parsed(op, f, false)
}

// CheckLoanInfo returns the balances and installment table of a paid-out loan. Before pay-out (and for
// unknown refs) Iute answers status -1 "No active loan found!", returned as an error with code
// CodeNoActiveLoan (see IsNoActiveLoan).
func (c *Client) CheckLoanInfo(ctx context.Context, ref int64) (*LoanInfo, error) {
	const op = "check_loan_info"
	w, err := doXML[iutewire.LoanResponse](ctx, c, call{op: op, iface: iutewire.CheckLoanInfo, values: refQuery(ref)})
	if err != nil {
		return nil, err
	}
	if status := strings.TrimSpace(w.Status); status != iutewire.InfoStatusOK {
		return nil, newError(op, http.StatusOK, CodeNoActiveLoan, strings.TrimSpace(w.Message))
	}
	if w.Loan == nil {
		return nil, providers.BadResponseError(Provider, op, http.StatusOK, errors.New("status 0 without a <loan> element"), false)
	}
	var f providers.Fields
	l := w.Loan
	out := &LoanInfo{
		LoanRef:          f.Int64("loan_ref", l.LoanRef),
		LoanPeriod:       f.Int("loan_period", l.LoanPeriod),
		TotalBalance:     f.Decimal("total_balance", l.TotalBalance),
		Repaid:           f.Decimal("repaid", l.Repaid),
		RemainingBalance: f.Decimal("remaining_balance", l.RemainingBalance),
		ClientPIN:        strings.TrimSpace(l.ClientPIN),
		ClientName:       strings.TrimSpace(l.ClientName),
		Installments:     make([]Installment, 0, len(l.Installments)),
	}
	for _, in := range l.Installments {
		out.Installments = append(out.Installments, Installment{
			Number:   f.Int("number", in.Number),
			DueDate:  f.Time("due_date", in.DueDate, iutewire.DateLayout, time.UTC),
			Total:    f.Decimal("total", in.Total),
			ToBePaid: f.Decimal("to_be_paid", in.ToBePaid),
		})
	}
	return out, parsed(op, f, false)
}

func refQuery(ref int64) url.Values {
	return url.Values{iutewire.FieldLoanRefGet: {strconv.FormatInt(ref, 10)}}
}

// doXML sends cl and reads its 200 answer into a W. A 200 that cannot be read is retryable; after a
// write the request took effect but its answer is lost, which is ambiguous for the caller.
func doXML[W any](ctx context.Context, c *Client, cl call) (*W, error) {
	r, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	var w W
	if err := xml.Unmarshal(r.Body, &w); err != nil {
		return nil, providers.BadResponseError(Provider, cl.op, http.StatusOK, fmt.Errorf("unreadable XML answer: %w", err), cl.write)
	}
	return &w, nil
}

func parsed(op string, f providers.Fields, write bool) error {
	if f.Err != nil {
		return providers.BadResponseError(Provider, op, http.StatusOK, f.Err, write)
	}
	return nil
}
