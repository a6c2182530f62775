package fineract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/loanflow/loanflow/providers"
)

// Associations of GET loans/{id} (L3876-3885).
const (
	AssociationRepaymentSchedule = "repaymentSchedule"
	AssociationTransactions      = "transactions"
)

// submitLoanBody is POST loans (L4466-4528).
type submitLoanBody struct {
	ClientID                        int64       `json:"clientId"`
	ProductID                       int64       `json:"productId"`
	ExternalID                      string      `json:"externalId,omitempty"`
	LoanType                        string      `json:"loanType"`
	Principal                       json.Number `json:"principal"`
	LoanTermFrequency               int         `json:"loanTermFrequency"`
	LoanTermFrequencyType           int         `json:"loanTermFrequencyType"`
	NumberOfRepayments              int         `json:"numberOfRepayments"`
	RepaymentEvery                  int         `json:"repaymentEvery"`
	RepaymentFrequencyType          int         `json:"repaymentFrequencyType"`
	InterestRatePerPeriod           json.Number `json:"interestRatePerPeriod"`
	AmortizationType                int         `json:"amortizationType"`
	InterestType                    int         `json:"interestType"`
	InterestCalculationPeriodType   int         `json:"interestCalculationPeriodType"`
	TransactionProcessingStrategyID int         `json:"transactionProcessingStrategyId"`
	ExpectedDisbursementDate        string      `json:"expectedDisbursementDate"`
	SubmittedOnDate                 string      `json:"submittedOnDate"`
	RepaymentsStartingFromDate      string      `json:"repaymentsStartingFromDate,omitempty"`
	Locale                          string      `json:"locale"`
	DateFormat                      string      `json:"dateFormat"`
}

type approveBody struct {
	ApprovedOnDate           string       `json:"approvedOnDate"`
	ApprovedLoanAmount       *json.Number `json:"approvedLoanAmount,omitempty"`
	ExpectedDisbursementDate string       `json:"expectedDisbursementDate,omitempty"`
	Note                     string       `json:"note,omitempty"`
	Locale                   string       `json:"locale"`
	DateFormat               string       `json:"dateFormat"`
}

type disburseBody struct {
	ActualDisbursementDate string       `json:"actualDisbursementDate"`
	TransactionAmount      *json.Number `json:"transactionAmount,omitempty"`
	Note                   string       `json:"note,omitempty"`
	Locale                 string       `json:"locale"`
	DateFormat             string       `json:"dateFormat"`
}

// transactionBody is a money transaction: a repayment (L4911-4946), an interest waiver (L4993-5017), a
// refund (L4947-4970).
type transactionBody struct {
	TransactionDate   string      `json:"transactionDate"`
	TransactionAmount json.Number `json:"transactionAmount"`
	ExternalID        string      `json:"externalId,omitempty"`
	Note              string      `json:"note,omitempty"`
	Locale            string      `json:"locale"`
	DateFormat        string      `json:"dateFormat"`
}

// SubmitLoanApplication submits an individual loan application; the result's LoanID is the new loan. A
// second application with the same ExternalID is refused (IsDuplicate).
func (c *Client) SubmitLoanApplication(ctx context.Context, app LoanApplication) (*CommandResult, error) {
	b := submitLoanBody{
		ClientID: app.ClientID, ProductID: app.ProductID, ExternalID: app.ExternalID, LoanType: "individual",
		Principal: amount(app.Principal), LoanTermFrequency: app.LoanTermFrequency,
		LoanTermFrequencyType: app.LoanTermFrequencyType, NumberOfRepayments: app.NumberOfRepayments,
		RepaymentEvery: app.RepaymentEvery, RepaymentFrequencyType: app.RepaymentFrequencyType,
		InterestRatePerPeriod: amount(app.InterestRatePerPeriod), AmortizationType: app.AmortizationType,
		InterestType: app.InterestType, InterestCalculationPeriodType: app.InterestCalculationPeriodType,
		TransactionProcessingStrategyID: app.TransactionProcessingStrategyID,
		ExpectedDisbursementDate:        formatDate(app.ExpectedDisbursementDate),
		SubmittedOnDate:                 formatDate(app.SubmittedOnDate), Locale: Locale, DateFormat: DateFormat,
	}
	if app.RepaymentsStartingFromDate != nil {
		b.RepaymentsStartingFromDate = formatDate(*app.RepaymentsStartingFromDate)
	}
	var res CommandResult
	if err := c.do(ctx, providers.JSONCall{Op: "SubmitLoanApplication", Method: http.MethodPost, Path: "loans", Body: b}, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// FindLoanByExternalID lists loans filtered by externalId (L4130). None is a 404 (providers.IsNotFound).
// The list item carries status and terms but no associations; use GetLoan for those.
func (c *Client) FindLoanByExternalID(ctx context.Context, externalID string) (*Loan, error) {
	return findByExternalID[Loan](ctx, c, "FindLoanByExternalID", "loan", externalID)
}

// GetLoan reads a loan with the given associations, e.g. AssociationRepaymentSchedule (L3873-4105).
func (c *Client) GetLoan(ctx context.Context, loanID int64, associations ...string) (*Loan, error) {
	var q url.Values
	if len(associations) > 0 {
		q = url.Values{"associations": {strings.Join(associations, ",")}}
	}
	var l Loan
	if err := c.do(ctx, providers.JSONCall{Op: "GetLoan", Method: http.MethodGet, Path: loanPath(loanID), Query: q}, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// GetLoanWithSchedule reads a loan with its repayment schedule and transactions, what reconciliation
// compares with our own schedule.
func (c *Client) GetLoanWithSchedule(ctx context.Context, loanID int64) (*Loan, error) {
	return c.GetLoan(ctx, loanID, AssociationRepaymentSchedule, AssociationTransactions)
}

// ApproveLoan runs command=approve on a submitted loan (L4529-4572). Fineract refuses it for a loan in
// any other status, so a caller that may be retrying reads the status first (EnsureApproved).
func (c *Client) ApproveLoan(ctx context.Context, loanID int64, a Approval) (*CommandResult, error) {
	b := approveBody{ApprovedOnDate: formatDate(a.ApprovedOnDate), Note: a.Note, Locale: Locale, DateFormat: DateFormat}
	if a.ApprovedLoanAmount != nil {
		n := amount(*a.ApprovedLoanAmount)
		b.ApprovedLoanAmount = &n
	}
	if a.ExpectedDisbursementDate != nil {
		b.ExpectedDisbursementDate = formatDate(*a.ExpectedDisbursementDate)
	}
	return c.command(ctx, "ApproveLoan", loanID, "approve", b)
}

// DisburseLoan runs command=disburse on an approved loan (L4723-4775); an unapproved one is refused.
func (c *Client) DisburseLoan(ctx context.Context, loanID int64, d Disbursal) (*CommandResult, error) {
	b := disburseBody{ActualDisbursementDate: formatDate(d.ActualDisbursementDate), Note: d.Note, Locale: Locale, DateFormat: DateFormat}
	if d.TransactionAmount != nil {
		n := amount(*d.TransactionAmount)
		b.TransactionAmount = &n
	}
	return c.command(ctx, "DisburseLoan", loanID, "disburse", b)
}

// MakeRepayment posts a repayment transaction (L4911-4946); the result's ResourceID is the transaction
// id. Only an active loan takes one. Fineract has no idempotency key, so a retry must first look the
// ExternalID up (FindTransactionByExternalID, or EnsureRepayment which does both).
func (c *Client) MakeRepayment(ctx context.Context, loanID int64, r Repayment) (*CommandResult, error) {
	return c.transactionCommand(ctx, "MakeRepayment", loanID, "repayment", r.body())
}

func (r Repayment) body() transactionBody {
	return transactionBody{
		TransactionDate: formatDate(r.TransactionDate), TransactionAmount: amount(r.TransactionAmount),
		ExternalID: r.ExternalID, Note: r.Note, Locale: Locale, DateFormat: DateFormat,
	}
}

// FindTransactionByExternalID finds a loan's transaction by the externalId it was posted with, reading
// the loan's transactions association (the API has no list-transactions endpoint, §2.13). None is a 404.
func (c *Client) FindTransactionByExternalID(ctx context.Context, loanID int64, externalID string) (*Transaction, error) {
	l, err := c.GetLoan(ctx, loanID, AssociationTransactions)
	if err != nil {
		return nil, err
	}
	for i := range l.Transactions {
		if l.Transactions[i].ExternalID == externalID && !l.Transactions[i].ManuallyReversed {
			return &l.Transactions[i], nil
		}
	}
	return nil, notFound("FindTransactionByExternalID", fmt.Sprintf("loan %d has no transaction with externalId %q", loanID, externalID))
}

// command posts a loan command (loans/{id}?command=…).
func (c *Client) command(ctx context.Context, op string, loanID int64, command string, body any) (*CommandResult, error) {
	return c.post(ctx, op, loanPath(loanID), command, body)
}

// transactionCommand posts a loan transaction command (loans/{id}/transactions?command=…); the result's
// ResourceID is the new transaction's id.
func (c *Client) transactionCommand(ctx context.Context, op string, loanID int64, command string, body any) (*CommandResult, error) {
	return c.post(ctx, op, loanPath(loanID)+"/transactions", command, body)
}

func (c *Client) post(ctx context.Context, op, path, command string, body any) (*CommandResult, error) {
	var res CommandResult
	cl := providers.JSONCall{Op: op, Method: http.MethodPost, Path: path, Query: url.Values{"command": {command}}, Body: body}
	if err := c.do(ctx, cl, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

func loanPath(id int64) string { return "loans/" + strconv.FormatInt(id, 10) }
