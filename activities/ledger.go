package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/mambu"
)

// ErrTypeLedgerProductMissing marks a booking whose product names no
// ledger product: the operator's to fix, so it is retried, not refused.
const ErrTypeLedgerProductMissing = "LedgerProductMissing"

// ErrTypeProviderRefused marks a provider's validation or business refusal:
// retrying the same call cannot succeed, so it surfaces on the loan.
const ErrTypeProviderRefused = "ProviderRefused"

// Ledgers are the core-banking systems a loan may be booked in, and the
// deployment's default ledger products, for loanflow products that name
// none of their own.
type Ledgers struct {
	Fineract         *fineract.Client
	FineractOfficeID int64
	Mambu            *mambu.Client
	Products         lending.LedgerProducts
}

// LedgerInput is one step of keeping the ledger in step with the loan.
type LedgerInput struct {
	Ref          int64
	Ledger       lending.Ledger
	LedgerLoanID string
	// Key identifies a repayment; Amount and Date are the money moved.
	Key    string
	Amount decimal.Decimal
	Date   time.Time
}

// externalID is the id the ledger knows our loan by; every write carries
// it or a derivative, so a retry never books twice.
func externalID(ref int64) string { return "loanflow-" + strconv.FormatInt(ref, 10) }

// LedgerBook creates the client (if the ledger does not know the person
// yet), the loan under our ref, and approves it. It answers the ledger's
// loan id, also stored on the loan.
func (a *Activities) LedgerBook(ctx context.Context, in LedgerInput) (string, error) {
	loan, err := a.Store.GetLoan(ctx, in.Ref)
	if err != nil {
		return "", storeError(err)
	}
	products, err := a.ledgerProducts(ctx, loan, in.Ledger)
	if err != nil {
		return "", err
	}
	today := day(time.Now())
	var id string
	switch in.Ledger {
	case lending.LedgerFineract:
		c, err := a.fineract()
		if err != nil {
			return "", err
		}
		var clientID int64
		err = step(ctx, func() (err error) {
			clientID, err = c.EnsureClient(ctx, fineract.NewClient{
				OfficeID: a.Ledgers.FineractOfficeID, Firstname: loan.Applicant.FirstName, Lastname: loan.Applicant.LastName,
				ExternalID: "loanflow-" + loan.Applicant.IdentityNumber, MobileNo: loan.Applicant.MobilePhone,
				ActivationDate: day(loan.CreatedAt),
			})
			return err
		})
		if err != nil {
			return "", providerError(err)
		}
		var loanID int64
		err = step(ctx, func() (err error) {
			loanID, err = c.EnsureLoan(ctx, fineract.LoanApplication{
				ClientID: clientID, ProductID: products.FineractProductID, ExternalID: externalID(in.Ref),
				Principal: loan.Amount, LoanTermFrequency: loan.TermMonths, LoanTermFrequencyType: fineract.FrequencyMonths,
				NumberOfRepayments: loan.TermMonths, RepaymentEvery: 1, RepaymentFrequencyType: fineract.FrequencyMonths,
				InterestRatePerPeriod: loan.AnnualInterestRate, AmortizationType: fineract.AmortizationEqualInstallments,
				InterestType: fineract.InterestTypeDecliningBalance, InterestCalculationPeriodType: fineract.InterestPeriodSameAsRepayment,
				TransactionProcessingStrategyID: fineract.StrategyMifosStandard,
				ExpectedDisbursementDate:        today, SubmittedOnDate: day(loan.CreatedAt),
			})
			return err
		})
		if err != nil {
			return "", providerError(err)
		}
		if err := step(ctx, func() error {
			return c.EnsureApproved(ctx, loanID, fineract.Approval{ApprovedOnDate: today, Note: "approved in loanflow"})
		}); err != nil {
			return "", providerError(err)
		}
		id = strconv.FormatInt(loanID, 10)
	case lending.LedgerMambu:
		c, err := a.mambu()
		if err != nil {
			return "", err
		}
		birth := loan.Applicant.BirthDate
		var client *mambu.ClientRecord
		err = step(ctx, func() (err error) {
			client, err = c.EnsureClient(ctx, mambu.NewClient{
				ID: "LF" + loan.Applicant.IdentityNumber, FirstName: loan.Applicant.FirstName, LastName: loan.Applicant.LastName,
				MobilePhone: loan.Applicant.MobilePhone, BirthDate: &birth,
			})
			return err
		})
		if err != nil {
			return "", providerError(err)
		}
		var acct *mambu.LoanAccount
		err = step(ctx, func() (err error) {
			acct, err = c.EnsureLoan(ctx, mambu.NewLoan{
				ID: externalID(in.Ref), ClientKey: client.EncodedKey, ProductKey: products.MambuProductKey,
				LoanName: "loanflow " + strconv.FormatInt(in.Ref, 10), LoanAmount: loan.Amount,
				InterestRate: loan.AnnualInterestRate, RepaymentInstallments: loan.TermMonths, RepaymentPeriodCount: 1,
				RepaymentPeriodUnit: "MONTHS", ExpectedDisbursementDate: today,
			})
			return err
		})
		if err != nil {
			return "", providerError(err)
		}
		if err := step(ctx, func() error { return c.EnsureApproved(ctx, acct.ID, "approved in loanflow") }); err != nil {
			return "", providerError(err)
		}
		id = acct.ID
	default:
		return "", unknownLedger(in.Ledger)
	}
	if err := a.Store.SetProviderLoanIDs(ctx, in.Ref, id, ""); err != nil {
		return "", storeError(err)
	}
	return id, nil
}

// ledgerProducts are the ledger products loan is booked under: its
// product's, else the deployment's. The product is read as it is now, not
// as the loan's snapshot has it: a ledger product is where the loan is
// booked, not one of its terms, and an admin who fixes a wrong one fixes it
// for every loan not booked yet. Products and the processes are checked to
// name one before any loan can get here; if one still does not, the step
// is retried (not refused) until the configuration is fixed, for it is the
// operator's error, not the customer's.
func (a *Activities) ledgerProducts(ctx context.Context, loan *models.Loan, ledger lending.Ledger) (lending.LedgerProducts, error) {
	prod, err := a.Store.GetProduct(ctx, loan.ProductCode)
	if err != nil {
		return lending.LedgerProducts{}, fmt.Errorf("product of loan %d: %w", loan.Ref, err)
	}
	products := prod.LedgerProducts.Or(a.Ledgers.Products)
	if !products.Names(ledger) {
		return products, temporal.NewApplicationError(fmt.Sprintf("product %s names no %s product to book loan %d under: set its %s or %s",
			prod.Code, ledger, loan.Ref, lending.LedgerProductField(ledger), lending.LedgerProductVariable(ledger)), ErrTypeLedgerProductMissing)
	}
	return products, nil
}

// LedgerDisburse books the pay-out in the ledger.
func (a *Activities) LedgerDisburse(ctx context.Context, in LedgerInput) error {
	date := day(in.Date)
	switch in.Ledger {
	case lending.LedgerFineract:
		c, id, err := a.fineractLoan(in.LedgerLoanID)
		if err != nil {
			return err
		}
		amount := in.Amount
		return providerError(step(ctx, func() error {
			return c.EnsureDisbursed(ctx, id, fineract.Disbursal{ActualDisbursementDate: date, TransactionAmount: &amount, Note: externalID(in.Ref)})
		}))
	case lending.LedgerMambu:
		c, err := a.mambu()
		if err != nil {
			return err
		}
		return providerError(step(ctx, func() error {
			return c.EnsureDisbursed(ctx, in.LedgerLoanID, mambu.Disbursement{
				Identifier: externalID(in.Ref) + "-disbursement", ValueDate: &date, Notes: externalID(in.Ref),
			})
		}))
	}
	return unknownLedger(in.Ledger)
}

// LedgerRepay books a repayment in the ledger under an id derived from its
// idempotency key.
func (a *Activities) LedgerRepay(ctx context.Context, in LedgerInput) error {
	txID := externalID(in.Ref) + "-" + in.Key
	switch in.Ledger {
	case lending.LedgerFineract:
		c, id, err := a.fineractLoan(in.LedgerLoanID)
		if err != nil {
			return err
		}
		return providerError(step(ctx, func() error {
			_, err := c.EnsureRepayment(ctx, id, fineract.Repayment{ExternalID: txID, TransactionDate: day(in.Date), TransactionAmount: in.Amount})
			return err
		}))
	case lending.LedgerMambu:
		c, err := a.mambu()
		if err != nil {
			return err
		}
		return providerError(step(ctx, func() error {
			_, err := c.EnsureRepayment(ctx, in.LedgerLoanID, mambu.Repayment{Identifier: txID, Amount: in.Amount, ValueDate: day(in.Date)})
			return err
		}))
	}
	return unknownLedger(in.Ledger)
}

// ledgerRow is one installment as the ledger has it.
type ledgerRow struct {
	due                        time.Time
	principal, interest, total decimal.Decimal
}

// LedgerReconcile fetches the ledger's schedule and compares it with ours;
// every figure that differs by more than one minor unit becomes a finding on
// the loan. It answers how many new findings it recorded.
func (a *Activities) LedgerReconcile(ctx context.Context, in LedgerInput) (int, error) {
	var rows []ledgerRow
	switch in.Ledger {
	case lending.LedgerFineract:
		c, id, err := a.fineractLoan(in.LedgerLoanID)
		if err != nil {
			return 0, err
		}
		l, err := c.GetLoanWithSchedule(ctx, id)
		if err != nil {
			return 0, providerError(err)
		}
		for _, p := range l.RepaymentSchedule.Installments() {
			rows = append(rows, ledgerRow{due: p.DueDate.Time, principal: p.PrincipalDue, interest: p.InterestDue, total: p.TotalDueForPeriod})
		}
	case lending.LedgerMambu:
		c, err := a.mambu()
		if err != nil {
			return 0, err
		}
		insts, err := c.GetSchedule(ctx, in.LedgerLoanID)
		if err != nil {
			return 0, providerError(err)
		}
		for _, p := range insts {
			rows = append(rows, ledgerRow{due: p.DueDate.Time, principal: p.PrincipalDue, interest: p.InterestDue, total: p.TotalDue()})
		}
	default:
		return 0, unknownLedger(in.Ledger)
	}
	ours, err := a.Store.Installments(ctx, in.Ref)
	if err != nil {
		return 0, storeError(err)
	}
	loan, err := a.Store.GetLoan(ctx, in.Ref)
	if err != nil {
		return 0, storeError(err)
	}
	product, err := a.Store.GetProduct(ctx, loan.ProductCode)
	if err != nil {
		return 0, storeError(err)
	}
	minorUnit := decimal.New(1, -product.CurrencyDecimals)
	findings := compareSchedules(in.Ref, in.Ledger, ours, rows, minorUnit, time.Now().UTC())
	n, err := a.Store.AddFindings(ctx, findings)
	return n, storeError(err)
}

// compareSchedules lists the figures on which the ledger's schedule differs
// from ours by more than tolerance; a missing or extra installment is a
// finding on its total.
func compareSchedules(ref int64, ledger lending.Ledger, ours []models.Installment, theirs []ledgerRow, tolerance decimal.Decimal, at time.Time) []models.ReconciliationFinding {
	var out []models.ReconciliationFinding
	add := func(n int, field string, o, t decimal.Decimal) {
		if o.Sub(t).Abs().GreaterThan(tolerance) {
			out = append(out, models.ReconciliationFinding{LoanRef: ref, Provider: ledger, InstallmentNumber: n, Field: field, Ours: o, Theirs: t, FoundAt: at})
		}
	}
	dateNum := func(t time.Time) decimal.Decimal {
		y, m, d := t.Date()
		return decimal.NewFromInt(int64(y*10000 + int(m)*100 + d))
	}
	for i := 0; i < max(len(ours), len(theirs)); i++ {
		switch {
		case i >= len(theirs):
			add(ours[i].Number, "total", ours[i].Total, decimal.Zero)
		case i >= len(ours):
			add(i+1, "total", decimal.Zero, theirs[i].total)
		default:
			o, t := ours[i], theirs[i]
			if !day(o.DueDate).Equal(day(t.due)) {
				out = append(out, models.ReconciliationFinding{LoanRef: ref, Provider: ledger, InstallmentNumber: o.Number,
					Field: "due_date", Ours: dateNum(o.DueDate), Theirs: dateNum(t.due), FoundAt: at})
			}
			add(o.Number, "principal", o.Principal, t.principal)
			add(o.Number, "interest", o.Interest, t.interest)
			add(o.Number, "total", o.Total, t.total)
		}
	}
	return out
}

func (a *Activities) fineract() (*fineract.Client, error) {
	if a.Ledgers.Fineract == nil {
		return nil, notConfigured(string(lending.LedgerFineract))
	}
	return a.Ledgers.Fineract, nil
}

func (a *Activities) fineractLoan(ledgerLoanID string) (*fineract.Client, int64, error) {
	c, err := a.fineract()
	if err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(ledgerLoanID, 10, 64)
	if err != nil {
		return nil, 0, temporal.NewNonRetryableApplicationError(fmt.Sprintf("fineract loan id %q is not a number", ledgerLoanID), ErrTypeProviderRefused, err)
	}
	return c, id, nil
}

func (a *Activities) mambu() (*mambu.Client, error) {
	if a.Ledgers.Mambu == nil {
		return nil, notConfigured(string(lending.LedgerMambu))
	}
	return a.Ledgers.Mambu, nil
}

func notConfigured(name string) error {
	return temporal.NewNonRetryableApplicationError(name+" is not configured on this worker", ErrTypeProviderRefused, nil)
}

func unknownLedger(name lending.Ledger) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf("unknown ledger %q", name), ErrTypeProviderRefused, nil)
}

// providerError keeps retryable provider failures (timeouts, 5xx,
// connection errors) as they are, for the activity's retry policy, and
// turns refusals into non-retryable errors carrying the provider's message.
func providerError(err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := providers.AsError(err); ok {
		if pe.Retryable {
			return err
		}
		return temporal.NewNonRetryableApplicationError(pe.Provider+": "+pe.Message, ErrTypeProviderRefused, err)
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return err
	}
	// Not a provider answer: a malformed request on our side.
	return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeProviderRefused, err)
}

// step runs one idempotent Ensure step, trying it again a few times on a
// transient failure before the activity fails: a booking is several calls,
// and restarting all of them for one dropped answer would make progress
// against a flaky provider improbable. The activity's own retry takes over
// after that.
func step(ctx context.Context, fn func() error) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || attempt == 4 || !providers.IsRetryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}
