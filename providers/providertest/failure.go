package providertest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
)

// Failure is what a caller acts on when a provider call fails: the answer's status (0 when none came),
// the code, and whether to retry and to look up before creating again.
type Failure struct {
	Status    int
	Code      string
	Retryable bool
	Ambiguous bool
	// Operator: the operator's to fix (credentials, configuration), retried meanwhile.
	Operator bool
}

// FailureOf is err's classification; err must be a *providers.Error.
func FailureOf(t testing.TB, err error) Failure {
	t.Helper()
	pe, ok := providers.AsError(err)
	require.True(t, ok, "want *providers.Error, got %v", err)
	return Failure{Status: pe.Status, Code: pe.Code, Retryable: pe.Retryable, Ambiguous: pe.Ambiguous, Operator: pe.Operator}
}

// StatusCase is an error answer a provider documents and how its client must read it.
type StatusCase struct {
	Name  string
	Body  string
	Write bool
	// Want.Status is the answer's status.
	Want    Failure
	Message string
}

// RequireStatusErrors reads each case's answer with mapError, a client's providers.Caller.MapError.
func RequireStatusErrors(t *testing.T, mapError func(op string, status int, body []byte, write bool) *providers.Error, cases []StatusCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			e := mapError("Op", tc.Want.Status, []byte(tc.Body), tc.Write)
			require.Equal(t, tc.Want, FailureOf(t, e))
			require.Equal(t, tc.Message, e.Message)
		})
	}
}

// RequireRefused checks err is the provider's final refusal: status and code, message in its text,
// neither worth a retry nor ambiguous.
func RequireRefused(t testing.TB, err error, status int, code, message string) {
	t.Helper()
	require.Equal(t, Failure{Status: status, Code: code}, FailureOf(t, err), "%v", err)
	require.ErrorContains(t, err, message)
}

// RequireOperator checks err refuses our credentials or configuration: status and code, message in its
// text, retried (never ambiguous) until the operator fixes the cause.
func RequireOperator(t testing.TB, err error, status int, code, message string) {
	t.Helper()
	require.Equal(t, Failure{Status: status, Code: code, Retryable: true, Operator: true}, FailureOf(t, err), "%v", err)
	require.ErrorContains(t, err, message)
}

// Refusal is a call the provider must refuse, and how (see RequireRefused). Operator marks a refusal
// of our credentials or configuration, which is retried until the operator fixes it.
type Refusal struct {
	Name     string
	Call     func() error
	Status   int
	Code     string
	Message  string
	Operator bool
}

// RequireRefusals makes each call and checks its refusal.
func RequireRefusals(t *testing.T, refusals []Refusal) {
	t.Helper()
	for _, r := range refusals {
		t.Run(r.Name, func(t *testing.T) {
			if r.Operator {
				RequireOperator(t, r.Call(), r.Status, r.Code, r.Message)
				return
			}
			RequireRefused(t, r.Call(), r.Status, r.Code, r.Message)
		})
	}
}

// RequireConfigsRefused checks newClient, a client's New, refuses each of cfgs.
func RequireConfigsRefused[C any](t *testing.T, newClient func(C) error, cfgs ...C) {
	t.Helper()
	for _, cfg := range cfgs {
		require.Error(t, newClient(cfg), "%+v", cfg)
	}
}
