package iute

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/providers"
)

// CashRelease is the answer of allow cash release.
type CashRelease struct {
	Allowed         bool
	LoanStatus      string // Iute's CRM status, e.g. "normal"
	LoanRef         int64
	LoanAmount      decimal.Decimal // principal
	ClientPIN       string
	ClientFirstName string
	ClientLastName  string
}

// AllowCashRelease asks whether an Iute employee has checked the files and authorized the pay-out.
func (c *Client) AllowCashRelease(ctx context.Context, ref int64) (*CashRelease, error) {
	const op = "allow_cash_release"
	w, err := doXML[iutewire.CashRelease](ctx, c, call{op: op, iface: iutewire.AllowCashRelease, values: refQuery(ref)})
	if err != nil {
		return nil, err
	}
	var f providers.Fields
	out := &CashRelease{
		Allowed:         f.Bool("allowed", w.Allowed),
		LoanStatus:      strings.TrimSpace(w.LoanStatus),
		LoanRef:         f.Int64("loan_ref", w.LoanRef),
		LoanAmount:      f.Decimal("loan_amount", w.LoanAmount),
		ClientPIN:       strings.TrimSpace(w.ClientPIN),
		ClientFirstName: strings.TrimSpace(w.ClientFirstName),
		ClientLastName:  strings.TrimSpace(w.ClientLastName),
	}
	return out, parsed(op, f, false)
}

// ConfirmCashRelease tells Iute the money was paid out to the client.
func (c *Client) ConfirmCashRelease(ctx context.Context, ref int64) error {
	_, err := c.do(ctx, call{op: "confirm_cash_release", iface: iutewire.ConfirmCashRelease, values: refQuery(ref), write: true})
	return err
}

// InsertRepayment reports a repayment the client made at the partner's office. Iute covers installments
// 1..n in order whatever the date. The call has no idempotency key: after an ambiguous failure, compare
// CheckLoanInfo's Repaid with the total reported so far before sending it again.
func (c *Client) InsertRepayment(ctx context.Context, ref int64, date time.Time, amount decimal.Decimal) error {
	values := refQuery(ref)
	values.Set(iutewire.FieldRepaymentDate, date.Format(iutewire.RepaymentDateLayout))
	values.Set(iutewire.FieldRepaymentAmount, amount.String())
	_, err := c.do(ctx, call{op: "insert_repayment", iface: iutewire.InsertRepayment, values: values, write: true})
	return err
}
