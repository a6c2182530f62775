package fineract

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers"
)

// NewCharge applies a charge to a loan (POST loans/{id}/charges, L5493-5560): Amount, due on DueDate,
// under the tenant's charge definition ChargeID, zero meaning the client's penalty charge
// (Config.PenaltyChargeID). ExternalID identifies the loan charge so a retry can find it.
type NewCharge struct {
	ChargeID   int64
	ExternalID string
	Amount     decimal.Decimal
	DueDate    time.Time
}

// LoanCharge is a charge applied to a loan, as GET loans/{id}/charges lists it (L5561-5652).
type LoanCharge struct {
	ID                int64           `json:"id"`
	ChargeID          int64           `json:"chargeId"`
	Name              string          `json:"name"`
	ExternalID        string          `json:"externalId"`
	Penalty           bool            `json:"penalty"`
	DueDate           Date            `json:"dueDate"`
	Amount            decimal.Decimal `json:"amount"`
	AmountPaid        decimal.Decimal `json:"amountPaid"`
	AmountWaived      decimal.Decimal `json:"amountWaived"`
	AmountWrittenOff  decimal.Decimal `json:"amountWrittenOff"`
	AmountOutstanding decimal.Decimal `json:"amountOutstanding"`
	Paid              bool            `json:"paid"`
	Waived            bool            `json:"waived"`
}

type chargeBody struct {
	ChargeID   int64       `json:"chargeId"`
	Amount     json.Number `json:"amount"`
	DueDate    string      `json:"dueDate"`
	ExternalID string      `json:"externalId,omitempty"`
	Locale     string      `json:"locale"`
	DateFormat string      `json:"dateFormat"`
}

// waiveChargeBody is a charge waiver's optional body: the externalId of the waiver transaction.
type waiveChargeBody struct {
	ExternalID string `json:"externalId,omitempty"`
}

// PenaltyChargeID is the charge definition penalties are applied under.
func (c *Client) PenaltyChargeID() int64 { return c.penaltyChargeID }

// AddCharge applies a charge to a loan; the result's ResourceID is the loan charge's id. A second
// charge with the same ExternalID is refused (IsDuplicate).
func (c *Client) AddCharge(ctx context.Context, loanID int64, nc NewCharge) (*CommandResult, error) {
	b := chargeBody{ChargeID: cmp.Or(nc.ChargeID, c.penaltyChargeID), Amount: amount(nc.Amount), DueDate: formatDate(nc.DueDate),
		ExternalID: nc.ExternalID, Locale: Locale, DateFormat: DateFormat}
	var res CommandResult
	if err := c.do(ctx, providers.JSONCall{Op: "AddCharge", Method: http.MethodPost, Path: loanPath(loanID) + "/charges", Body: b}, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// LoanCharges lists the charges applied to a loan.
func (c *Client) LoanCharges(ctx context.Context, loanID int64) ([]LoanCharge, error) {
	var out []LoanCharge
	if err := c.do(ctx, providers.JSONCall{Op: "LoanCharges", Method: http.MethodGet, Path: loanPath(loanID) + "/charges"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// WaiveCharge waives what is still owed of one loan charge, all of it: Fineract waives no part of a
// charge (POST loans/{id}/charges/{loanChargeId}?command=waive, which the seed predates). externalID
// names the waiver transaction. Fineract refuses a charge already paid or waived, and any loan that is
// not active.
func (c *Client) WaiveCharge(ctx context.Context, loanID, loanChargeID int64, externalID string) (*CommandResult, error) {
	path := loanPath(loanID) + "/charges/" + strconv.FormatInt(loanChargeID, 10)
	return c.post(ctx, "WaiveCharge", path, "waive", waiveChargeBody{ExternalID: externalID})
}
