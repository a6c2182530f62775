package schedulecmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// issueExample is the request of issue 3 verbatim (Fineract e2e RS02).
const issueExample = `{"principal":"5000.00","disbursement_date":"2022-11-01","first_repayment_date":null,
 "number_of_repayments":18,"repayment_every":1,"repayment_frequency":"months",
 "interest_rate":"12","interest_rate_frequency":"years",
 "interest_method":"declining_balance","amortization":"equal_installments",
 "interest_calculation_period":"same_as_repayment","allow_partial_period_interest":true,
 "days_in_year":"actual","days_in_month":"actual",
 "grace_on_principal":0,"grace_on_interest_payment":0,"grace_on_interest_charged":0,
 "currency":{"code":"EUR","decimal_places":2,"in_multiples_of":0},
 "installment_in_multiples_of":1,"rounding_mode":"half_even","engine":"cumulative",
 "disbursements":null,"down_payment_percent":null,"fixed_principal_percentage":null,
 "schedule_start_date":null,"fees":[]}`

func run(t *testing.T, input string) (int, Result, Problem, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(strings.NewReader(input), &stdout, &stderr)
	var res Result
	var prob Problem
	if code == ExitOK {
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), stdout.String())
		require.Empty(t, stderr.String())
	} else if code == ExitInvalid {
		require.NoError(t, json.Unmarshal(stderr.Bytes(), &prob), stderr.String())
		require.Empty(t, stdout.String())
	}
	return code, res, prob, stderr.String()
}

func TestRunIssueExample(t *testing.T) {
	code, res, _, _ := run(t, issueExample)
	require.Equal(t, ExitOK, code)
	require.Len(t, res.Periods, 18)
	require.Equal(t, Period{Number: 1, FromDate: "2022-11-01", DueDate: "2022-12-01", Days: 30,
		Principal: "255.00", Interest: "50.00", Fees: "0.00", Total: "305.00", Balance: "4745.00"}, res.Periods[0])
	require.Equal(t, Period{Number: 18, FromDate: "2024-04-01", DueDate: "2024-05-01", Days: 30,
		Principal: "300.22", Interest: "3.00", Fees: "0.00", Total: "303.22", Balance: "0.00"}, res.Periods[17])
	require.Equal(t, "5000.00", res.TotalPrincipal)
	require.Equal(t, "488.22", res.TotalInterest)
	require.Equal(t, "0.00", res.TotalFees)
	require.Equal(t, "5488.22", res.TotalRepayment)
	require.Equal(t, "12.71", res.APR) // the EMI rounded up to whole euros costs more than 12 % nominal
	require.Equal(t, "5000.00", res.NetDisbursed)
}

func TestRunShapes(t *testing.T) {
	cases := []struct {
		name  string
		input string
		check func(t *testing.T, r Result)
	}{
		{"only the required fields; defaults fill the rest",
			`{"principal":"1200","disbursement_date":"2024-01-31","number_of_repayments":3,"interest_rate":"0"}`,
			func(t *testing.T, r Result) {
				require.Equal(t, []string{"2024-02-29", "2024-03-31", "2024-04-30"}, dueDates(r))
				require.Equal(t, "400.00", r.Periods[0].Principal)
				require.Equal(t, "0.00", r.APR)
			}},
		{"zero-decimal currency with a multiple prints whole units",
			`{"principal":"5000000","disbursement_date":"2024-01-01","number_of_repayments":12,"interest_rate":"24",
			  "amortization":"equal_principal","currency":{"code":"KES","decimal_places":0,"in_multiples_of":100}}`,
			func(t *testing.T, r Result) {
				require.Equal(t, "416700", r.Periods[0].Principal)
				require.Equal(t, "100000", r.Periods[0].Interest)
				require.Equal(t, "5000000", r.TotalPrincipal)
			}},
		{"a down payment is period 1, due on the disbursement date",
			`{"principal":"1000.00","disbursement_date":"2024-01-01","number_of_repayments":3,"interest_rate":"12",
			  "engine":"progressive","down_payment_percent":"25"}`,
			func(t *testing.T, r Result) {
				require.Len(t, r.Periods, 4)
				require.Equal(t, Period{Number: 1, FromDate: "2024-01-01", DueDate: "2024-01-01", Days: 0,
					Principal: "250.00", Interest: "0.00", Fees: "0.00", Total: "250.00", Balance: "750.00"}, r.Periods[0])
			}},
		{"fees: financed disbursement fee on the first installment, monthly fee on each, deducted fee off the pay-out",
			`{"principal":"1000.00","disbursement_date":"2024-01-01","number_of_repayments":2,"interest_rate":"0",
			  "fees":[{"type":"disbursement","calculation":"percent_of_principal","amount":"2","deducted":false},
			          {"type":"disbursement","calculation":"flat","amount":"15.00","deducted":true},
			          {"type":"monthly","calculation":"flat","amount":"3.50"}]}`,
			func(t *testing.T, r Result) {
				require.Equal(t, "23.50", r.Periods[0].Fees)
				require.Equal(t, "3.50", r.Periods[1].Fees)
				require.Equal(t, "27.00", r.TotalFees)
				require.Equal(t, "985.00", r.NetDisbursed)
			}},
		{"several disbursements", `{"disbursements":[{"date":"2024-01-01","amount":"100"},{"date":"2024-01-08","amount":"200"}],
			  "number_of_repayments":6,"interest_rate":"9.4822","days_in_year":"360","days_in_month":"30","engine":"progressive",
			  "currency":{"code":"USD","decimal_places":2}}`,
			func(t *testing.T, r Result) {
				require.Equal(t, "51.33", r.Periods[0].Total)
				require.Equal(t, "300.00", r.TotalPrincipal)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, res, prob, _ := run(t, tc.input)
			require.Equal(t, ExitOK, code, "%+v", prob)
			tc.check(t, res)
		})
	}
}

func dueDates(r Result) []string {
	out := make([]string, len(r.Periods))
	for i, p := range r.Periods {
		out[i] = p.DueDate
	}
	return out
}

func TestRunRejectsBadRequests(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		fields []string
	}{
		{"not JSON", `{"principal":`, []string{""}},
		{"empty input", ``, []string{""}},
		{"two objects", issueExample + ` {}`, []string{""}},
		{"null", `null`, []string{""}},
		{"unknown field and bad enums",
			`{"principal":"10","disbursement_date":"2024-01-01","number_of_repayments":3,"engine":"turbo","days_in_year":"366","colour":"red"}`,
			[]string{"colour", "days_in_year", "engine"}},
		{"wrong types",
			`{"principal":12.5e3,"disbursement_date":"01/02/2024","number_of_repayments":"three","allow_partial_period_interest":"yes","currency":"EUR"}`,
			[]string{"allow_partial_period_interest", "currency", "disbursement_date", "number_of_repayments", "principal"}},
		{"missing required fields", `{}`, []string{"number_of_repayments", "principal", "disbursement_date"}},
		{"nested problems",
			`{"principal":"10","disbursement_date":"2024-01-01","number_of_repayments":3,
			  "currency":{"code":"EUR","places":2},"fees":[{"type":"yearly","amount":"x"}],"disbursements":[{"day":"2024-01-01"}]}`,
			[]string{"currency.places", "fees[0].type", "fees[0].amount", "disbursements[0].day", "disbursements[0].date", "disbursements[0].amount"}},
		{"terms that do not validate",
			`{"principal":"-5","disbursement_date":"2024-01-01","number_of_repayments":3,"grace_on_principal":3}`,
			[]string{"principal", "grace_on_principal"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, prob, _ := run(t, tc.input)
			require.Equal(t, ExitInvalid, code)
			got := make([]string, len(prob.Errors))
			for i, e := range prob.Errors {
				got[i] = e.Field
				require.NotEmpty(t, e.Message)
			}
			require.ElementsMatch(t, tc.fields, got, "%+v", prob.Errors)
			require.Equal(t, "urn:loanflow:problem:invalid-request", prob.Type)
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunReportsWriteFailure(t *testing.T) {
	var stderr bytes.Buffer
	code := Run(strings.NewReader(issueExample), failingWriter{}, &stderr)
	require.Equal(t, ExitInternal, code)
	require.Contains(t, stderr.String(), "disk full")
}

func TestRunRejectsOversizedInput(t *testing.T) {
	code, _, prob, _ := run(t, `{"principal":"`+strings.Repeat("9", maxRequestBytes)+`"}`)
	require.Equal(t, ExitInvalid, code)
	require.Len(t, prob.Errors, 1)
}

// FuzzRun feeds arbitrary bytes to the command: it must answer 0 or 2 and never panic.
func FuzzRun(f *testing.F) {
	f.Add([]byte(issueExample))
	f.Add([]byte(`{"principal":"1","disbursement_date":"2024-02-29","number_of_repayments":1}`))
	f.Add([]byte(`{"fees":[{}],"disbursements":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var stdout, stderr bytes.Buffer
		code := Run(bytes.NewReader(in), &stdout, &stderr)
		if code != ExitOK && code != ExitInvalid {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	})
}
