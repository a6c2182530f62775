package models

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/loanflow/loanflow/lending"
)

// WebhookDeliveryWindow is how long an event is retried, from when it was
// written (or redelivered), before it is marked failed.
const WebhookDeliveryWindow = 72 * time.Hour

// WebhookPayload is the body of every webhook: the Standard Webhooks
// envelope around the loan's news. It holds the loan's ref, status and
// amounts, never the applicant's personal data.
type WebhookPayload struct {
	Type      lending.EventType `json:"type"`
	Timestamp time.Time         `json:"timestamp"`
	Data      WebhookData       `json:"data"`
}

// WebhookData is what an event tells of the loan, as the same database
// transaction that wrote the change left it.
type WebhookData struct {
	LoanRef  int64          `json:"loan_ref"`
	Status   lending.Status `json:"status"`
	Currency string         `json:"currency"`
	// Money is written at the currency's scale ("1061.20"), as the API
	// writes it.
	Amount         string `json:"amount"`
	TotalRepayable string `json:"total_repayable"`
	Repaid         string `json:"repaid"`

	// loan.status_changed (and loan.settled): the transition.
	From        lending.Status `json:"from,omitempty"`
	To          lending.Status `json:"to,omitempty"`
	Action      lending.Action `json:"action,omitempty"`
	ReasonCodes []string       `json:"reason_codes,omitempty"`
	// document.rejected: what operations asked the partner to mend.
	Reason string `json:"reason,omitempty"`
	// loan.repayment_recorded: the money received.
	Payment *WebhookPayment `json:"payment,omitempty"`
	// loan.overdue: the delinquency now and the bucket it left.
	DaysPastDue       *int   `json:"days_past_due,omitempty"`
	DelinquencyBucket string `json:"delinquency_bucket,omitempty"`
	PreviousBucket    string `json:"previous_bucket,omitempty"`
}

// WebhookPayment is a repayment as loan.repayment_recorded tells it.
type WebhookPayment struct {
	Kind      lending.TransactionKind `json:"kind"`
	Amount    string                  `json:"amount"`
	ValueDate string                  `json:"value_date"`
	Reference string                  `json:"reference"`
}

// paymentKinds are the transactions that are money from the borrower.
var paymentKinds = []lending.TransactionKind{lending.TxRepayment, lending.TxSettlement, lending.TxRecovery}

// outbox writes a loan's webhook events inside the transaction that makes
// the change they tell of, so an event exists exactly when its change
// does. It is a no-op for a partner without an endpoint.
type outbox struct {
	tx       *gorm.DB
	ref      int64
	endpoint *WebhookEndpoint
	loan     *Loan
	scale    int32 // the loan's currency's minor-unit scale
}

// money is d at the loan's currency's scale.
func (o *outbox) money(d decimal.Decimal) string { return d.StringFixed(o.scale) }

// openOutbox finds the endpoint of the loan's partner, if it has one.
func openOutbox(tx *gorm.DB, ref int64) (*outbox, error) {
	// The endpoint's row is locked for share until the loan's write
	// commits, so an endpoint being deleted either waits for this write's
	// events (and cancels them) or is gone before they are written.
	var eps []WebhookEndpoint
	err := tx.Model(&WebhookEndpoint{}).Clauses(clause.Locking{Strength: "SHARE", Table: clause.Table{Name: "webhook_endpoints"}}).
		Joins("JOIN loans ON loans.partner_id = webhook_endpoints.partner_id").
		Where("loans.ref = ?", ref).Limit(1).Find(&eps).Error
	if err != nil {
		return nil, fmt.Errorf("webhook endpoint of loan %d: %w", ref, err)
	}
	o := &outbox{tx: tx, ref: ref}
	if len(eps) == 1 {
		o.endpoint = &eps[0]
	}
	return o, nil
}

// wants reports whether the partner subscribes to t.
func (o *outbox) wants(t lending.EventType) bool {
	return o.endpoint != nil && o.endpoint.Subscribes(t)
}

// add writes an event of type t at (the loan's time) if the partner
// subscribes to it; fill adds what the type tells beyond the loan.
func (o *outbox) add(t lending.EventType, at time.Time, fill func(*WebhookData)) error {
	if !o.wants(t) {
		return nil
	}
	if o.loan == nil {
		var l Loan
		if err := o.tx.Where("ref = ?", o.ref).Take(&l).Error; err != nil {
			return fmt.Errorf("read loan %d for its webhook: %w", o.ref, err)
		}
		o.loan = &l
		var scales []int32
		if err := o.tx.Model(&Product{}).Where("code = ?", l.ProductCode).Limit(1).Pluck("currency_decimals", &scales).Error; err != nil {
			return fmt.Errorf("read the currency scale of loan %d for its webhook: %w", o.ref, err)
		}
		o.scale = 2
		if len(scales) == 1 {
			o.scale = scales[0]
		}
	}
	d := WebhookData{
		LoanRef: o.ref, Status: o.loan.Status, Currency: o.loan.Currency,
		Amount: o.money(o.loan.Amount), TotalRepayable: o.money(o.loan.TotalRepayable), Repaid: o.money(o.loan.Repaid),
	}
	fill(&d)
	if at.IsZero() {
		at = o.tx.NowFunc()
	}
	body, err := json.Marshal(WebhookPayload{Type: t, Timestamp: at.UTC(), Data: d})
	if err != nil {
		return err
	}
	now := o.tx.NowFunc()
	ev := WebhookEvent{
		MessageID: NewWebhookMessageID(), PartnerID: o.endpoint.PartnerID, LoanRef: o.ref, Type: t,
		Payload: string(body), Status: WebhookPending, DeliverUntil: now.Add(WebhookDeliveryWindow), CreatedAt: now,
	}
	if err := o.tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("write webhook event: %w", err)
	}
	return nil
}

// transition writes the events a recorded transition tells of.
func (o *outbox) transition(t Transition, at time.Time) error {
	if t.From != t.To {
		err := o.add(lending.EventStatusChanged, at, func(d *WebhookData) {
			d.From, d.To, d.Action, d.ReasonCodes = t.From, t.To, t.Action, t.ReasonCodes
		})
		if err != nil {
			return err
		}
	}
	if t.RejectDocuments {
		if err := o.add(lending.EventDocumentRejected, at, func(d *WebhookData) { d.Reason = t.Reason }); err != nil {
			return err
		}
	}
	if settles(t) {
		return o.add(lending.EventSettled, at, func(d *WebhookData) { d.From, d.To, d.Action = t.From, t.To, t.Action })
	}
	return nil
}

// settles reports whether t is the transition in which the borrower's debt
// was paid in full: early at the payoff quote, by the last installment,
// beyond what the loan claims, or recovered after a write-off. Refunding
// an overpayment closes a loan that was settled already.
func settles(t Transition) bool {
	paidOff := t.To == lending.StatusClosed || t.To == lending.StatusOverpaid
	return paidOff && t.From != t.To && t.From != lending.StatusOverpaid && t.From != lending.StatusClosed
}

// payment writes loan.repayment_recorded for money from the borrower.
func (o *outbox) payment(t Transaction, at time.Time) error {
	if !slices.Contains(paymentKinds, t.Kind) {
		return nil
	}
	return o.add(lending.EventRepaymentRecorded, at, func(d *WebhookData) {
		d.Payment = &WebhookPayment{Kind: t.Kind, Amount: o.money(t.Amount), ValueDate: t.ValueDate.Format(time.DateOnly), Reference: t.Key}
	})
}

// delinquency writes loan.overdue when the loan moved into another
// overdue bucket (back to current is a status change, not this).
func (o *outbox) delinquency(before, after LoanMoney, at time.Time) error {
	if before.DelinquencyBucket == after.DelinquencyBucket || after.DaysPastDue == 0 {
		return nil
	}
	return o.add(lending.EventOverdue, at, func(d *WebhookData) {
		dpd := after.DaysPastDue
		d.DaysPastDue, d.DelinquencyBucket, d.PreviousBucket = &dpd, after.DelinquencyBucket, before.DelinquencyBucket
	})
}

// NewWebhookMessageID is a fresh webhook-id: random, so it tells nothing
// of the loan or of how many events there were.
func NewWebhookMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (Go ≥ 1.24)
	return "msg_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
