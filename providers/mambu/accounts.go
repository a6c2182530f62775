package mambu

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/loanflow/loanflow/providers"
)

type clientBody struct {
	ID           string `json:"id,omitempty"`
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	MobilePhone1 string `json:"mobilePhone1,omitempty"`
	EmailAddress string `json:"emailAddress,omitempty"`
	BirthDate    string `json:"birthDate,omitempty"`
}

// clientEnvelope is CreateOrUpdateClientRequest / CreateOrUpdateClientResponse / ClientExpandedApiV1:
// the client sits under "client" (L44113-44120).
type clientEnvelope[T any] struct {
	Client T `json:"client"`
}

// GetClient reads a client by id or encoded key (L5294). A missing one is IsNotFound.
func (c *Client) GetClient(ctx context.Context, idOrKey string) (*ClientRecord, error) {
	var raw json.RawMessage
	if err := c.do(ctx, providers.JSONCall{Op: "GetClient", Method: http.MethodGet, Path: "clients/" + url.PathEscape(idOrKey)}, &raw); err != nil {
		return nil, err
	}
	return decodeClient(raw)
}

// CreateClient creates a client with our id (POST /clients, L4729-5042).
func (c *Client) CreateClient(ctx context.Context, nc NewClient) (*ClientRecord, error) {
	b := clientEnvelope[clientBody]{Client: clientBody{ID: nc.ID, FirstName: nc.FirstName, LastName: nc.LastName,
		MobilePhone1: nc.MobilePhone, EmailAddress: nc.EmailAddress}}
	if nc.BirthDate != nil {
		b.Client.BirthDate = formatDate(*nc.BirthDate)
	}
	var raw json.RawMessage
	if err := c.do(ctx, providers.JSONCall{Op: "CreateClient", Method: http.MethodPost, Path: "clients", Body: b}, &raw); err != nil {
		return nil, err
	}
	return decodeClient(raw)
}

// decodeClient reads the client out of its envelope, or a bare ClientApiV1, which basic-detail answers
// of some tenants return.
func decodeClient(raw json.RawMessage) (*ClientRecord, error) {
	var env clientEnvelope[*ClientRecord]
	if err := json.Unmarshal(raw, &env); err == nil && env.Client != nil {
		return env.Client, nil
	}
	var cr ClientRecord
	if err := json.Unmarshal(raw, &cr); err != nil {
		return nil, err
	}
	return &cr, nil
}

type disbursementDetailsBody struct {
	ExpectedDisbursementDate string `json:"expectedDisbursementDate,omitempty"`
	FirstRepaymentDate       string `json:"firstRepaymentDate,omitempty"`
}

type loanBody struct {
	ID                    string                   `json:"id,omitempty"`
	AccountHolderKey      string                   `json:"accountHolderKey"`
	AccountHolderType     string                   `json:"accountHolderType"`
	ProductTypeKey        string                   `json:"productTypeKey"`
	LoanName              string                   `json:"loanName,omitempty"`
	LoanAmount            json.Number              `json:"loanAmount"`
	InterestRate          *json.Number             `json:"interestRate,omitempty"`
	RepaymentInstallments int                      `json:"repaymentInstallments,omitempty"`
	RepaymentPeriodCount  int                      `json:"repaymentPeriodCount,omitempty"`
	RepaymentPeriodUnit   string                   `json:"repaymentPeriodUnit,omitempty"`
	GracePeriod           int                      `json:"gracePeriod,omitempty"`
	Notes                 string                   `json:"notes,omitempty"`
	DisbursementDetails   *disbursementDetailsBody `json:"disbursementDetails,omitempty"`
}

// loanEnvelope is LoanAccountApiV1Wrapper (L52780-52784).
type loanEnvelope[T any] struct {
	LoanAccount T `json:"loanAccount"`
}

// GetLoan reads a loan account by id or encoded key (L20960). A missing one is IsNotFound.
func (c *Client) GetLoan(ctx context.Context, idOrKey string) (*LoanAccount, error) {
	var l LoanAccount
	if err := c.do(ctx, providers.JSONCall{Op: "GetLoan", Method: http.MethodGet, Path: loanPath(idOrKey)}, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// CreateLoan creates a loan account whose id is our loan ref (POST /loans, L19108-19239). Mambu treats
// a body naming an existing id as an update of custom fields (L19112), so a repeated call answers the
// existing account instead of failing; EnsureLoan checks it is ours.
func (c *Client) CreateLoan(ctx context.Context, nl NewLoan) (*LoanAccount, error) {
	b := loanBody{ID: nl.ID, AccountHolderKey: nl.ClientKey, AccountHolderType: "CLIENT", ProductTypeKey: nl.ProductKey,
		LoanName: nl.LoanName, LoanAmount: amount(nl.LoanAmount), RepaymentInstallments: nl.RepaymentInstallments,
		RepaymentPeriodCount: nl.RepaymentPeriodCount, RepaymentPeriodUnit: nl.RepaymentPeriodUnit,
		GracePeriod: nl.GracePeriod, Notes: nl.Notes,
		DisbursementDetails: &disbursementDetailsBody{ExpectedDisbursementDate: formatDate(nl.ExpectedDisbursementDate)}}
	if !nl.InterestRate.IsZero() {
		r := amount(nl.InterestRate)
		b.InterestRate = &r
	}
	if nl.FirstRepaymentDate != nil {
		b.DisbursementDetails.FirstRepaymentDate = formatDate(*nl.FirstRepaymentDate)
	}
	var env loanEnvelope[LoanAccount]
	if err := c.do(ctx, providers.JSONCall{Op: "CreateLoan", Method: http.MethodPost, Path: "loans", Body: loanEnvelope[loanBody]{LoanAccount: b}}, &env); err != nil {
		return nil, err
	}
	return &env.LoanAccount, nil
}

// GetSchedule reads the loan's repayment schedule with what has been paid on it (L18532-18661).
func (c *Client) GetSchedule(ctx context.Context, idOrKey string) ([]Installment, error) {
	return list[Installment](ctx, c, "GetSchedule", loanPath(idOrKey)+"/repayments")
}

func loanPath(idOrKey string) string { return "loans/" + url.PathEscape(idOrKey) }
