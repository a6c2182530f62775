package mambu_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/mambu"
	"github.com/loanflow/loanflow/providers/mambu/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

type fixture struct {
	srv    *sim.Server
	http   *httptest.Server
	client *mambu.Client
}

func newFixture(t *testing.T, cfg sim.Config, tweak func(*mambu.Config)) *fixture {
	t.Helper()
	srv := sim.New(cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := mambu.Config{BaseURL: hs.URL + "/api", Username: sim.DefaultUsername, Password: sim.DefaultPassword,
		HTTPClient: &http.Client{Timeout: 5 * time.Second}}
	if tweak != nil {
		tweak(&c)
	}
	client, err := mambu.New(c)
	require.NoError(t, err)
	return &fixture{srv: srv, http: hs, client: client}
}

func newClient(id string) mambu.NewClient {
	return mambu.NewClient{ID: id, FirstName: "Trevor", LastName: "Linden", MobilePhone: "211111111",
		EmailAddress: "trevor.linden@example.com", BirthDate: ptr(day(1980, 2, 3))}
}

// v3 is loan XNZR612 of the doc's examples (L18812-19101): 2,500 at 1 % a year, 12 monthly installments,
// disbursed 2019-12-01, first due 2020-01-01.
func v3(clientKey, id string) mambu.NewLoan {
	return mambu.NewLoan{ID: id, ClientKey: clientKey, ProductKey: sim.DefaultProduct.EncodedKey, LoanName: "V3",
		LoanAmount: dec("2500"), InterestRate: dec("1"), RepaymentInstallments: 12, RepaymentPeriodCount: 1,
		RepaymentPeriodUnit: mambu.UnitMonths, ExpectedDisbursementDate: day(2019, 12, 1),
		FirstRepaymentDate: ptr(day(2020, 1, 1))}
}

func TestLifecycleAgainstSimulator(t *testing.T) {
	f := newFixture(t, sim.Config{}, nil)
	ctx := context.Background()

	_, err := f.client.GetClient(ctx, "cust-1")
	require.True(t, mambu.IsNotFound(err), "%v", err)
	created, err := f.client.CreateClient(ctx, newClient("cust-1"))
	require.NoError(t, err)
	require.Equal(t, "cust-1", created.ID)
	require.Len(t, created.EncodedKey, 32)
	byID, err := f.client.GetClient(ctx, "cust-1")
	require.NoError(t, err)
	byKey, err := f.client.GetClient(ctx, created.EncodedKey)
	require.NoError(t, err)
	require.Equal(t, byID, byKey)
	require.Equal(t, "Trevor", byID.FirstName)

	loan, err := f.client.CreateLoan(ctx, v3(created.EncodedKey, "LF-1"))
	require.NoError(t, err)
	require.Equal(t, "LF-1", loan.ID)
	require.Equal(t, mambu.StatePendingApproval, loan.AccountState)
	require.Equal(t, created.EncodedKey, loan.AccountHolderKey)
	require.Equal(t, "2500", loan.LoanAmount.String())

	require.NoError(t, f.client.Approve(ctx, "LF-1", "ok"))
	approved, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateApproved, approved.AccountState)

	disb, err := f.client.Disburse(ctx, "LF-1", mambu.Disbursement{Identifier: "LF-1-disb", ValueDate: ptr(day(2019, 12, 1))})
	require.NoError(t, err)
	require.Equal(t, mambu.TypeDisbursed, disb.Type, "posted DISBURSEMENT, returned DISBURSMENT")
	require.Equal(t, "2500", disb.Amount.String())

	inst, err := f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	require.Len(t, inst, 12)
	// V3's figures: installment 1 is 207.31 + 2.15, installment 2 is 207.49 + 1.97 (EMI 209.46).
	require.Equal(t, day(2020, 1, 1), inst[0].DueDate.Time)
	require.Equal(t, "207.31", inst[0].PrincipalDue.String())
	require.Equal(t, "2.15", inst[0].InterestDue.String())
	require.Equal(t, "207.49", inst[1].PrincipalDue.String())
	require.Equal(t, "1.97", inst[1].InterestDue.String())
	require.Equal(t, "209.46", inst[1].TotalDue().String())

	tx, err := f.client.Repay(ctx, "LF-1", mambu.Repayment{Identifier: "LF-1-r1", Amount: dec("209.46"), ValueDate: day(2020, 1, 1)})
	require.NoError(t, err)
	require.Equal(t, mambu.TypeRepayment, tx.Type)
	require.Equal(t, "207.31", tx.PrincipalPaid.String())
	require.Equal(t, "2.15", tx.InterestPaid.String())
	after, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "207.31", after.PrincipalPaid.String(), "V3: principalPaid")
	require.Equal(t, "2292.69", after.PrincipalBalance.String(), "V3: principalBalance")
	require.Equal(t, day(2019, 12, 1), after.DisbursementDetails.DisbursementDate.Time)

	rest := decimal.Zero
	inst, err = f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "PAID", inst[0].State)
	for _, i := range inst {
		rest = rest.Add(i.TotalDue()).Sub(i.PrincipalPaid).Sub(i.InterestPaid)
	}
	_, err = f.client.Repay(ctx, "LF-1", mambu.Repayment{Identifier: "LF-1-r2", Amount: rest, ValueDate: day(2020, 1, 15)})
	require.NoError(t, err)
	closed, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateClosed, closed.AccountState)

	txs, err := f.client.GetTransactions(ctx, "LF-1")
	require.NoError(t, err)
	require.Len(t, txs, 3)
	require.Equal(t, []string{"REPAYMENT", "REPAYMENT", "DISBURSMENT"}, []string{txs[0].Type, txs[1].Type, txs[2].Type}, "most recent first")

	st := f.srv.Stats()
	require.Equal(t, 1, st.Clients)
	require.Equal(t, sim.LoanStats{EncodedKey: loan.EncodedKey, State: mambu.StateClosed, Disbursements: 1, Repayments: 2}, st.Loans["LF-1"])
}

// stripUserAgent sends requests without a User-Agent, as a bare HTTP library would.
type stripUserAgent struct{}

func (stripUserAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", "")
	return http.DefaultTransport.RoundTrip(r)
}

// pending returns a fresh simulator's client key after creating one client and its V3 loan "LF-1".
func pending(t *testing.T, f *fixture) string {
	t.Helper()
	c, err := f.client.CreateClient(context.Background(), newClient("cust-p"))
	require.NoError(t, err)
	_, err = f.client.CreateLoan(context.Background(), v3(c.EncodedKey, "LF-1"))
	require.NoError(t, err)
	return c.EncodedKey
}

func TestDocumentedErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		cfg      sim.Config
		tweak    func(*mambu.Config)
		call     func(t *testing.T, f *fixture) error
		status   int
		code     string
		message  string
		notFound bool
		used     bool
		operator bool // the operator's to fix: retried, not final
	}{
		{name: "bad password (shape C)", tweak: func(c *mambu.Config) { c.Password = "wrong" },
			call: func(t *testing.T, f *fixture) error {
				_, err := f.client.GetClient(ctx, "x")
				return err
			}, status: 401, code: mambu.CodeInvalidCredentials, message: "INVALID_CREDENTIALS (2)", operator: true},
		{name: "bad API key", cfg: sim.Config{APIKey: "0f1e2d3c-key"}, tweak: func(c *mambu.Config) { c.APIKey = "other" },
			call: func(t *testing.T, f *fixture) error {
				_, err := f.client.GetLoan(ctx, "x")
				return err
			}, status: 401, code: mambu.CodeInvalidCredentials, message: "INVALID_CREDENTIALS (2)", operator: true},
		{name: "no User-Agent on an audited tenant (shape B)",
			tweak: func(c *mambu.Config) { c.HTTPClient = &http.Client{Transport: stripUserAgent{}} },
			call: func(t *testing.T, f *fixture) error {
				_, err := f.client.GetClient(ctx, "x")
				return err
			}, status: 400, code: mambu.CodeInvalidParameters,
			message: "The user agent cannot be null when the Audit Trail feature is enabled"},
		{name: "missing property (shape A)", call: func(t *testing.T, f *fixture) error {
			nc := newClient("cust-x")
			nc.FirstName = ""
			_, err := f.client.CreateClient(ctx, nc)
			return err
		}, status: 400, code: mambu.CodeInvalidParameters, message: "Property client.firstName may not be null"},
		{name: "client id taken", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.CreateClient(ctx, newClient("cust-x"))
			require.NoError(t, err)
			_, err = f.client.CreateClient(ctx, newClient("cust-x"))
			return err
		}, status: 400, code: mambu.CodeInvalidParameters, message: `id: "cust-x" is already in use`},
		{name: "disburse a pending loan", call: func(t *testing.T, f *fixture) error {
			pending(t, f)
			_, err := f.client.Disburse(ctx, "LF-1", mambu.Disbursement{Identifier: "d"})
			return err
		}, status: 400, code: mambu.CodeInvalidAccountState, message: "DISBURSEMENT is not allowed for an account in state PENDING_APPROVAL"},
		{name: "repay a loan not active", call: func(t *testing.T, f *fixture) error {
			pending(t, f)
			require.NoError(t, f.client.Approve(ctx, "LF-1", ""))
			_, err := f.client.Repay(ctx, "LF-1", mambu.Repayment{Identifier: "r", Amount: dec("10"), ValueDate: day(2020, 1, 1)})
			return err
		}, status: 400, code: mambu.CodeInvalidAccountState, message: "REPAYMENT is not allowed for an account in state APPROVED"},
		{name: "approve twice", call: func(t *testing.T, f *fixture) error {
			pending(t, f)
			require.NoError(t, f.client.Approve(ctx, "LF-1", ""))
			return f.client.Approve(ctx, "LF-1", "")
		}, status: 400, code: mambu.CodeInvalidAccountState, message: "APPROVAL is not allowed for an account in state APPROVED"},
		{name: "loan not found", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.GetLoan(ctx, "nope")
			return err
		}, status: 404, code: mambu.CodeInvalidLoanAccountID, message: "INVALID_LOAN_ACCOUNT_ID (100)", notFound: true},
		{name: "client not found", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.GetClient(ctx, "nope")
			return err
		}, status: 404, code: mambu.CodeInvalidClientID, message: "INVALID_CLIENT_ID (301)", notFound: true},
		{name: "loan for an unknown client", call: func(t *testing.T, f *fixture) error {
			_, err := f.client.CreateLoan(ctx, v3("8a19b7057471f4af0000000000000999", "LF-1"))
			return err
		}, status: 400, code: mambu.CodeInvalidClientID, message: "INVALID_CLIENT_ID (301)", notFound: true},
		{name: "unknown product", call: func(t *testing.T, f *fixture) error {
			c, err := f.client.CreateClient(ctx, newClient("cust-x"))
			require.NoError(t, err)
			nl := v3(c.EncodedKey, "LF-1")
			nl.ProductKey = "nope"
			_, err = f.client.CreateLoan(ctx, nl)
			return err
		}, status: 400, code: mambu.CodeInvalidProductID, message: "INVALID_PRODUCT_ID (505)", operator: true},
		{name: "out of product rules",
			cfg: sim.Config{Products: []sim.Product{func() sim.Product {
				p := sim.DefaultProduct
				p.MaxLoanAmount = dec("1000")
				return p
			}()}},
			call: func(t *testing.T, f *fixture) error {
				c, err := f.client.CreateClient(ctx, newClient("cust-x"))
				require.NoError(t, err)
				_, err = f.client.CreateLoan(ctx, v3(c.EncodedKey, "LF-1"))
				return err
			}, status: 400, code: mambu.CodeParamsInconsistentWithRules, message: "loanAmount is above the product maximum 1000"},
		{name: "identifier reused", call: func(t *testing.T, f *fixture) error {
			pending(t, f)
			require.NoError(t, f.client.Approve(ctx, "LF-1", ""))
			_, err := f.client.Disburse(ctx, "LF-1", mambu.Disbursement{Identifier: "LF-1-disb", ValueDate: ptr(day(2019, 12, 1))})
			require.NoError(t, err)
			r := mambu.Repayment{Identifier: "LF-1-r1", Amount: dec("100"), ValueDate: day(2020, 1, 1)}
			_, err = f.client.Repay(ctx, "LF-1", r)
			require.NoError(t, err)
			_, err = f.client.Repay(ctx, "LF-1", r)
			return err
		}, status: 400, code: mambu.CodeTransactionIdentifierUsed, message: "TRANSACTION_IDENTIFIER_ALREADY_USED (148)", used: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg, tt.tweak)
			err := tt.call(t, f)
			want := providertest.Failure{Status: tt.status, Code: tt.code, Retryable: tt.operator, Operator: tt.operator}
			require.Equal(t, want, providertest.FailureOf(t, err), "a 4xx is final unless it is the operator's")
			pe, _ := providers.AsError(err)
			require.Equal(t, tt.message, pe.Message)
			require.Equal(t, tt.notFound, mambu.IsNotFound(err))
			require.Equal(t, tt.used, mambu.IsIdentifierUsed(err))
		})
	}
}

func TestAPIKeyAuthentication(t *testing.T) {
	f := newFixture(t, sim.Config{APIKey: "0f1e2d3c-key"}, func(c *mambu.Config) {
		c.Username, c.Password, c.APIKey = "", "", "0f1e2d3c-key"
	})
	_, err := f.client.CreateClient(context.Background(), newClient("cust-k"))
	require.NoError(t, err)
}

func TestFaultClassification(t *testing.T) {
	providertest.RequireFaultsClassified(t, mambu.CodeInternalError, func(t *testing.T) providertest.Simulated {
		f := newFixture(t, sim.Config{}, nil)
		return providertest.Simulated{SetFaults: f.srv.SetFaults, Close: f.http.Close,
			Read:    func(ctx context.Context) error { _, err := f.client.GetClient(ctx, "cust-f"); return err },
			Write:   func(ctx context.Context) error { _, err := f.client.CreateClient(ctx, newClient("cust-f")); return err },
			Records: func() int { return f.srv.Stats().Clients }}
	})
}

// TestBlockedAccountIsTheOperators: an account Mambu blocked after too many
// invalid requests is unblocked by the operator, not by the customer: the
// call is retried with the activity's back-off, never refused for good.
func TestBlockedAccountIsTheOperators(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"returnCode":24,"returnStatus":"EXCESSIVE_INVALID_REQUESTS"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := mambu.New(mambu.Config{BaseURL: srv.URL + "/api", Username: "u", Password: "p"})
	require.NoError(t, err)
	_, err = c.GetLoan(context.Background(), "x")
	require.Equal(t, providertest.Failure{Status: 503, Code: mambu.CodeExcessiveInvalidRequests, Retryable: true, Operator: true}, providertest.FailureOf(t, err))
}

func TestLogsMaskPersonalDataAndSecrets(t *testing.T) {
	var log providertest.Log
	f := newFixture(t, sim.Config{}, func(c *mambu.Config) { c.Logger = log.Logger() })
	_, err := f.client.CreateClient(context.Background(), newClient("cust-log"))
	require.NoError(t, err)
	log.RequireMasked(t, []string{"CreateClient", "cust-log"},
		[]string{"Trevor", "Linden", "211111111", "trevor.linden", "1980-02-03", sim.DefaultPassword})
}

func TestNewValidatesConfig(t *testing.T) {
	providertest.RequireConfigsRefused(t, func(c mambu.Config) error { _, err := mambu.New(c); return err },
		mambu.Config{BaseURL: "https://t.mambu.com/api"},
		mambu.Config{BaseURL: "t.mambu.com/api", APIKey: "k"},
	)
	for _, cfg := range []mambu.Config{
		{BaseURL: "https://t.mambu.com/api", APIKey: "k"},
		{BaseURL: "https://user:pword@demo.mambu.com/api"},
	} {
		_, err := mambu.New(cfg)
		require.NoError(t, err, "%+v", cfg)
	}
}
