package fineract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/fineract/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

// monthlyProduct is V1's product: rates per month (fineract-doc-examples.md).
var monthlyProduct = sim.Product{ID: 1, Name: "V1", CurrencyCode: "UGX", DecimalPlaces: 2,
	InterestRateFrequencyType: 2, DaysInYearType: 1, DaysInMonthType: 1}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

type fixture struct {
	srv    *sim.Server
	http   *httptest.Server
	client *fineract.Client
}

func newFixture(t *testing.T, cfg sim.Config, tweak func(*fineract.Config)) *fixture {
	t.Helper()
	srv := sim.New(cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := fineract.Config{BaseURL: hs.URL + "/fineract-provider/api/v1", Tenant: sim.DefaultTenant,
		Username: sim.DefaultUsername, Password: sim.DefaultPassword, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
	if tweak != nil {
		tweak(&c)
	}
	client, err := fineract.New(c)
	require.NoError(t, err)
	return &fixture{srv: srv, http: hs, client: client}
}

// v1 is the application of vector V1 (L4339-4463): 100,000 at 2 % a month, 12 monthly equal installments.
func v1(clientID int64, ref string) fineract.LoanApplication {
	return fineract.LoanApplication{
		ClientID: clientID, ProductID: 1, ExternalID: ref, Principal: dec("100000"),
		LoanTermFrequency: 12, LoanTermFrequencyType: fineract.FrequencyMonths, NumberOfRepayments: 12,
		RepaymentEvery: 1, RepaymentFrequencyType: fineract.FrequencyMonths, InterestRatePerPeriod: dec("2"),
		AmortizationType: fineract.AmortizationEqualInstallments, InterestType: fineract.InterestTypeDecliningBalance,
		InterestCalculationPeriodType:   fineract.InterestPeriodSameAsRepayment,
		TransactionProcessingStrategyID: fineract.StrategyMifosStandard,
		ExpectedDisbursementDate:        day(2011, 9, 20), SubmittedOnDate: day(2011, 9, 1),
	}
}

func newClient(ext string) fineract.NewClient {
	return fineract.NewClient{OfficeID: 1, Firstname: "Petra", Lastname: "Yton", ExternalID: ext, MobileNo: "+37360000000",
		ActivationDate: day(2011, 9, 1)}
}

func TestLifecycleAgainstSimulator(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	ctx := context.Background()

	_, err := f.client.FindClientByExternalID(ctx, "cust-1")
	require.True(t, providers.IsNotFound(err), "%v", err)

	created, err := f.client.CreateClient(ctx, newClient("cust-1"))
	require.NoError(t, err)
	require.Positive(t, created.ClientID)
	found, err := f.client.FindClientByExternalID(ctx, "cust-1")
	require.NoError(t, err)
	require.Equal(t, created.ClientID, found.ID)
	require.True(t, found.Active)
	got, err := f.client.GetClient(ctx, created.ClientID)
	require.NoError(t, err)
	require.Equal(t, "cust-1", got.ExternalID)
	require.Equal(t, "Petra Yton", got.DisplayName)

	submitted, err := f.client.SubmitLoanApplication(ctx, v1(created.ClientID, "LF-1"))
	require.NoError(t, err)
	require.Equal(t, created.ClientID, submitted.ClientID)
	loan, err := f.client.FindLoanByExternalID(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, submitted.LoanID, loan.ID)
	require.Equal(t, fineract.StatusSubmitted, loan.Status.ID)
	require.True(t, loan.Status.PendingApproval)
	require.True(t, dec("100000").Equal(loan.Principal))
	require.True(t, dec("24").Equal(loan.AnnualInterestRate), "2 %% a month is 24 %% a year (L4190-4196)")

	approved, err := f.client.ApproveLoan(ctx, loan.ID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10), Note: "ok"})
	require.NoError(t, err)
	require.Equal(t, loan.ID, approved.ResourceID)
	require.Contains(t, string(approved.Changes), `"id":200`)

	_, err = f.client.DisburseLoan(ctx, loan.ID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
	require.NoError(t, err)

	full, err := f.client.GetLoanWithSchedule(ctx, loan.ID)
	require.NoError(t, err)
	require.Equal(t, fineract.StatusActive, full.Status.ID)
	require.Equal(t, day(2011, 9, 20), full.Timeline.ActualDisbursementDate.Time)
	require.Len(t, full.Transactions, 1)
	require.True(t, full.Transactions[0].Type.Disbursement)
	inst := full.RepaymentSchedule.Installments()
	require.Len(t, inst, 12)
	require.Len(t, full.RepaymentSchedule.Periods, 13, "the disbursement row comes first")
	// V1's first row: 30 days, interest 2000, principal 7455.96, EMI 9455.96, balance 92544.04.
	require.Equal(t, day(2011, 10, 20), inst[0].DueDate.Time)
	require.Equal(t, 30, inst[0].DaysInPeriod)
	require.Equal(t, "2000", inst[0].InterestDue.String())
	require.Equal(t, "7455.96", inst[0].PrincipalDue.String())
	require.Equal(t, "9455.96", inst[0].TotalDueForPeriod.String())
	require.Equal(t, "92544.04", inst[0].PrincipalLoanBalanceOutstanding.String())
	require.Equal(t, "9270.56", inst[11].PrincipalDue.String())
	sum := decimal.Zero
	for _, p := range inst {
		sum = sum.Add(p.PrincipalDue)
	}
	require.Equal(t, "100000", sum.String())

	tx, err := f.client.MakeRepayment(ctx, loan.ID, fineract.Repayment{ExternalID: "LF-1-r1",
		TransactionDate: day(2011, 10, 20), TransactionAmount: dec("9455.96")})
	require.NoError(t, err)
	byExt, err := f.client.FindTransactionByExternalID(ctx, loan.ID, "LF-1-r1")
	require.NoError(t, err)
	require.Equal(t, tx.ResourceID, byExt.ID)
	require.True(t, byExt.Type.Repayment)
	require.Equal(t, "2000", byExt.InterestPortion.String())
	require.Equal(t, "7455.96", byExt.PrincipalPortion.String())
	require.Equal(t, "92544.04", byExt.OutstandingLoanBalance.String())

	after, err := f.client.GetLoanWithSchedule(ctx, loan.ID)
	require.NoError(t, err)
	first := after.RepaymentSchedule.Installments()[0]
	require.True(t, first.Complete)
	require.Equal(t, "9455.96", first.TotalPaidForPeriod.String())
	require.Equal(t, "7455.96", after.Summary.PrincipalPaid.String())

	// Paying the rest closes the loan with its obligations met.
	rest := after.Summary.TotalOutstanding
	_, err = f.client.MakeRepayment(ctx, loan.ID, fineract.Repayment{ExternalID: "LF-1-r2",
		TransactionDate: day(2011, 11, 1), TransactionAmount: rest})
	require.NoError(t, err)
	closed, err := f.client.GetLoan(ctx, loan.ID)
	require.NoError(t, err)
	require.Equal(t, fineract.StatusClosedObligationsMet, closed.Status.ID)
	require.True(t, closed.Status.Closed)

	st := f.srv.Stats()
	require.Equal(t, 1, st.Clients)
	require.Equal(t, sim.LoanStats{ID: loan.ID, Status: fineract.StatusClosedObligationsMet, Disbursements: 1, Repayments: 2}, st.Loans["LF-1"])
}

// booked returns a client and a submitted loan in a fresh simulator.
func booked(t *testing.T, f *fixture, ref string) (clientID, loanID int64) {
	t.Helper()
	ctx := context.Background()
	c, err := f.client.CreateClient(ctx, newClient("cust-"+ref))
	require.NoError(t, err)
	l, err := f.client.SubmitLoanApplication(ctx, v1(c.ClientID, ref))
	require.NoError(t, err)
	return c.ClientID, l.LoanID
}

func TestDocumentedErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		tweak     func(*fineract.Config)
		call      func(t *testing.T, f *fixture) error
		status    int
		code      string
		message   string
		notFound  bool
		duplicate bool
		operator  bool // the operator's to fix: retried, not final
	}{
		{name: "bad password", tweak: func(c *fineract.Config) { c.Password = "wrong" },
			call: func(t *testing.T, f *fixture) error {
				_, err := f.client.FindClientByExternalID(ctx, "x")
				return err
			},
			status: 401, code: "error.msg.not.authenticated", message: "Unauthenticated. Please login.", operator: true},
		{name: "unknown tenant", tweak: func(c *fineract.Config) { c.Tenant = "acme" },
			call: func(t *testing.T, f *fixture) error {
				_, err := f.client.GetLoan(ctx, 1)
				return err
			},
			status: 401, code: "error.msg.invalid.tenant.identifier", message: "not valid", operator: true},
		{name: "validation", call: func(t *testing.T, f *fixture) error {
			c, err := f.client.CreateClient(ctx, newClient("cust-v"))
			require.NoError(t, err)
			app := v1(c.ClientID, "LF-v")
			app.Principal = decimal.Zero
			_, err = f.client.SubmitLoanApplication(ctx, app)
			return err
		}, status: 400, code: "validation.msg.loan.principal.not.greater.than.zero", message: "principal"},
		{name: "validation lists every field", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.CreateClient(ctx, fineract.NewClient{OfficeID: 1, ExternalID: "x", ActivationDate: day(2020, 1, 1)})
			return err
		}, status: 400, code: "validation.msg.validation.errors.exist", message: "The parameter `firstname` is mandatory.; The parameter `lastname` is mandatory."},
		{name: "disburse unapproved", call: func(t *testing.T, f *fixture) error {
			_, loanID := booked(t, f, "LF-d")
			_, err := f.client.DisburseLoan(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
			return err
		}, status: 403, code: "error.msg.loan.disbursal.account.is.not.approved.and.not.disbursed.state",
			message: "Loan Disbursal is not allowed. Loan Account is not in approved and not disbursed state."},
		{name: "repay a loan not active", call: func(t *testing.T, f *fixture) error {
			_, loanID := booked(t, f, "LF-r")
			_, err := f.client.ApproveLoan(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
			require.NoError(t, err)
			_, err = f.client.MakeRepayment(ctx, loanID, fineract.Repayment{ExternalID: "r", TransactionDate: day(2011, 10, 1), TransactionAmount: dec("10")})
			return err
		}, status: 403, code: "error.msg.loan.repayment.account.is.not.active", message: "Loan Account is not active"},
		{name: "approve twice", call: func(t *testing.T, f *fixture) error {
			_, loanID := booked(t, f, "LF-a")
			_, err := f.client.ApproveLoan(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
			require.NoError(t, err)
			_, err = f.client.ApproveLoan(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
			return err
		}, status: 403, code: "error.msg.loan.approve.account.is.not.submitted.and.pending.state", message: "not in submitted and pending approval state"},
		{name: "loan not found", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.GetLoan(ctx, 999)
			return err
		}, status: 404, code: "error.msg.loan.id.invalid", message: "Loan with identifier 999 does not exist", notFound: true},
		{name: "client not found on submit", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.SubmitLoanApplication(ctx, v1(42, "LF-x"))
			return err
		}, status: 404, code: "error.msg.client.id.invalid", message: "Client with identifier 42 does not exist", notFound: true},
		{name: "loan not found by externalId", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.FindLoanByExternalID(ctx, "LF-none")
			return err
		}, status: 404, code: fineract.CodeNotFound, message: "LF-none", notFound: true},
		{name: "duplicate client externalId", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.CreateClient(ctx, newClient("cust-dup"))
			require.NoError(t, err)
			_, err = f.client.CreateClient(ctx, newClient("cust-dup"))
			return err
		}, status: 403, code: "error.msg.client.duplicate.externalId", message: "Client with externalId `cust-dup` already exists", duplicate: true},
		{name: "duplicate loan externalId", call: func(t *testing.T, f *fixture) error {
			clientID, _ := booked(t, f, "LF-dup")
			_, err := f.client.SubmitLoanApplication(ctx, v1(clientID, "LF-dup"))
			return err
		}, status: 403, code: "error.msg.loan.duplicate.externalId", message: "Loan with externalId `LF-dup` already exists", duplicate: true},
		{name: "duplicate repayment externalId", call: func(t *testing.T, f *fixture) error {
			_, loanID := booked(t, f, "LF-t")
			_, err := f.client.ApproveLoan(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
			require.NoError(t, err)
			_, err = f.client.DisburseLoan(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
			require.NoError(t, err)
			r := fineract.Repayment{ExternalID: "LF-t-1", TransactionDate: day(2011, 10, 20), TransactionAmount: dec("100")}
			_, err = f.client.MakeRepayment(ctx, loanID, r)
			require.NoError(t, err)
			_, err = f.client.MakeRepayment(ctx, loanID, r)
			return err
		}, status: 403, code: "error.msg.loan.transaction.duplicate.externalId", message: "LF-t-1", duplicate: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, tt.tweak)
			err := tt.call(t, f)
			want := providertest.Failure{Status: tt.status, Code: tt.code, Retryable: tt.operator, Operator: tt.operator}
			require.Equal(t, want, providertest.FailureOf(t, err), "a 4xx is final unless it is the operator's")
			require.ErrorContains(t, err, tt.message)
			require.Equal(t, tt.notFound, providers.IsNotFound(err))
			require.Equal(t, tt.duplicate, fineract.IsDuplicate(err))
		})
	}
}

func TestFaultClassification(t *testing.T) {
	providertest.RequireFaultsClassified(t, "error.msg.platform.server.side.error", func(t *testing.T) providertest.Simulated {
		f := newFixture(t, sim.Config{}, nil)
		return providertest.Simulated{SetFaults: f.srv.SetFaults, Close: f.http.Close,
			Read:    func(ctx context.Context) error { _, err := f.client.FindClientByExternalID(ctx, "cust-f"); return err },
			Write:   func(ctx context.Context) error { _, err := f.client.CreateClient(ctx, newClient("cust-f")); return err },
			Records: func() int { return f.srv.Stats().Clients }}
	})
}

func TestLogsMaskPersonalDataAndSecrets(t *testing.T) {
	var log providertest.Log
	f := newFixture(t, sim.Config{}, func(c *fineract.Config) { c.Logger = log.Logger() })
	_, err := f.client.CreateClient(context.Background(), newClient("cust-log"))
	require.NoError(t, err)
	_, err = f.client.FindClientByExternalID(context.Background(), "cust-log")
	require.NoError(t, err)
	log.RequireMasked(t, []string{"CreateClient", "cust-log", `\"firstname\":\"***\"`},
		[]string{"Petra", "Yton", "+37360000000", sim.DefaultPassword, "bWlmb3M6cGFzc3dvcmQ="})
}

func TestNewValidatesConfig(t *testing.T) {
	providertest.RequireConfigsRefused(t, func(c fineract.Config) error { _, err := fineract.New(c); return err },
		fineract.Config{BaseURL: "/api/v1", Tenant: "default", Username: "u"},
		fineract.Config{BaseURL: "https://h/api/v1", Username: "u"},
		fineract.Config{BaseURL: "https://h/api/v1", Tenant: "default"},
	)
	_, err := fineract.New(fineract.Config{BaseURL: "https://u:p@h/api/v1", Tenant: "default"})
	require.NoError(t, err, "the user may come with the URL")
}
