package mambu

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/loanflow/loanflow/providers"
)

// transactionBody is JSONTransactionRequestApiV1 (L48642-48657); identifier is not part of it and goes
// in the query (L27275), as does repayment, the installment a fee is applied to.
type transactionBody struct {
	Type                  string       `json:"type"`
	Amount                *json.Number `json:"amount,omitempty"`
	ValueDate             string       `json:"valueDate,omitempty"`
	FirstRepaymentDate    string       `json:"firstRepaymentDate,omitempty"`
	OriginalTransactionID string       `json:"originalTransactionId,omitempty"`
	Notes                 string       `json:"notes,omitempty"`
	Repayment             int          `json:"-"`
}

// Approve posts an APPROVAL on a loan pending approval. Mambu refuses it in any other state, so a
// caller that may be retrying reads the state first (EnsureApproved).
func (c *Client) Approve(ctx context.Context, loanID, notes string) error {
	return c.post(ctx, "Approve", loanID, "", transactionBody{Type: TypeApproval, Notes: notes}, nil)
}

// Disburse posts the DISBURSEMENT of an approved loan; the transaction comes back typed DISBURSMENT.
func (c *Client) Disburse(ctx context.Context, loanID string, d Disbursement) (*Transaction, error) {
	b := transactionBody{Type: TypeDisbursement, Notes: d.Notes}
	if d.ValueDate != nil {
		b.ValueDate = formatDate(*d.ValueDate)
	}
	if d.FirstRepaymentDate != nil {
		b.FirstRepaymentDate = formatDate(*d.FirstRepaymentDate)
	}
	var tx Transaction
	if err := c.post(ctx, "Disburse", loanID, d.Identifier, b, &tx); err != nil {
		return nil, err
	}
	return &tx, nil
}

// Repay posts a REPAYMENT. A second post with the same Identifier is refused (IsIdentifierUsed).
func (c *Client) Repay(ctx context.Context, loanID string, r Repayment) (*Transaction, error) {
	n := amount(r.Amount)
	b := transactionBody{Type: TypeRepayment, Amount: &n, ValueDate: formatDate(r.ValueDate), Notes: r.Notes}
	var tx Transaction
	if err := c.post(ctx, "Repay", loanID, r.Identifier, b, &tx); err != nil {
		return nil, err
	}
	return &tx, nil
}

// GetTransactions lists the loan's transactions, most recent first (L17464-17466).
func (c *Client) GetTransactions(ctx context.Context, idOrKey string) ([]Transaction, error) {
	return list[Transaction](ctx, c, "GetTransactions", loanPath(idOrKey)+"/transactions")
}

func (c *Client) post(ctx context.Context, op, loanID, identifier string, b transactionBody, out any) error {
	q := url.Values{}
	if identifier != "" {
		q.Set("identifier", identifier)
	}
	if b.Repayment > 0 {
		q.Set("repayment", strconv.Itoa(b.Repayment))
	}
	return c.do(ctx, providers.JSONCall{Op: op, Method: http.MethodPost, Path: loanPath(loanID) + "/transactions", Query: q, Body: b}, out)
}
