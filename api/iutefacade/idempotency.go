package iutefacade

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// keyPrefix marks the idempotency keys the façade derives, so they never
// collide with a key a /v1 client chose.
const keyPrefix = "iute:"

// maxGenerations bounds the look-up of an application's earlier
// generations; past it, the last one is answered.
const maxGenerations = 1000

// applicationHash is the SHA-256 of the application's canonical form: the
// values as the Service will store them, so spelling differences that do
// not change the loan ("2000" and "2000.00", surrounding spaces) hash the
// same.
func applicationHash(app *service.LoanApplication) string {
	canon := struct {
		Amount      string           `json:"amount"`
		TermMonths  int              `json:"term_months"`
		SubmittedBy string           `json:"submitted_by"`
		Office      string           `json:"office"`
		Applicant   models.Applicant `json:"applicant"`
		BirthDate   string           `json:"birth_date"`
	}{app.Amount.String(), app.TermMonths, app.SubmittedBy, app.Office, app.Applicant, app.Applicant.BirthDate.Format(time.DateOnly)}
	b, _ := json.Marshal(canon) // strings and ints only: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// applicationKey derives add new loan's idempotency key: the request's hash
// and a generation. The latest generation is answered again while it is
// recent and not cancelled; otherwise the request opens the next one.
func (h *handlers) applicationKey(ctx context.Context, p *models.Partner, app *service.LoanApplication) (string, error) {
	base := keyPrefix + applicationHash(app) + ":"
	var latest *models.Loan
	gen := 1
	for ; gen <= maxGenerations; gen++ {
		loan, err := h.svc.LoanByIdempotencyKey(ctx, p, base+strconv.Itoa(gen))
		if failure.KindOf(err) == failure.KindNotFound {
			break
		}
		if err != nil {
			return "", err
		}
		latest = loan
	}
	if latest != nil && (gen > maxGenerations ||
		latest.Status != lending.StatusCancelled && h.svc.Now().Sub(latest.CreatedAt) < h.opts.ApplicationRetryWindow) {
		return latest.IdempotencyKey, nil
	}
	return base + strconv.Itoa(gen), nil
}

// repaymentKey derives insert repayment's idempotency key from the
// repayment date, the amount and a sequence number among the loan's
// repayments of that date and amount. The latest one is reused, making
// this request a retry of it (recorded is then true), when it was recorded
// within the retry window.
func (h *handlers) repaymentKey(ctx context.Context, p *models.Partner, ref int64, date time.Time, amount decimal.Decimal) (key string, recorded bool, err error) {
	txs, err := h.svc.Transactions(ctx, p, ref)
	if err != nil {
		return "", false, err
	}
	base := fmt.Sprintf("%s%s:%s:", keyPrefix, date.Format("20060102"), amount.String())
	seq := 0
	var latest *models.Transaction
	for i := range txs {
		if txs[i].Kind == lending.TxRepayment && strings.HasPrefix(txs[i].Key, base) {
			seq++
			latest = &txs[i]
		}
	}
	if latest != nil && h.svc.Now().Sub(latest.CreatedAt) < h.opts.RepaymentRetryWindow {
		return latest.Key, true, nil
	}
	return base + strconv.Itoa(seq+1), false, nil
}
