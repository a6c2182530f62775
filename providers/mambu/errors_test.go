package mambu

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/providertest"
)

// The three documented error shapes (digest §1.5), with both types of returnCode / errorCode.
func TestStatusErrorDecodesTheThreeShapes(t *testing.T) {
	providertest.RequireStatusErrors(t, statusError, []providertest.StatusCase{
		{Name: "A: general error response (L70-75)", Body: `{"errorCode":"4","errorSource":"Property scheduleSettings.repaymentInstallments may not be null","errorReason":"INVALID_PARAMETERS"}`,
			Want: providertest.Failure{Status: 400, Code: "INVALID_PARAMETERS"}, Message: "Property scheduleSettings.repaymentInstallments may not be null"},
		{Name: "A without a source", Body: `{"errorCode":4,"errorReason":"INVALID_PARAMETERS"}`,
			Want: providertest.Failure{Status: 400, Code: "INVALID_PARAMETERS"}, Message: "INVALID_PARAMETERS (4)"},
		{Name: "B: audit trail (L123-132)", Body: `{"errors":[{"errorCode":4,"errorSource":"The user agent cannot be null when the Audit Trail feature is enabled","errorReason":"INVALID_PARAMETERS"}]}`,
			Want: providertest.Failure{Status: 400, Code: "INVALID_PARAMETERS"}, Message: "The user agent cannot be null when the Audit Trail feature is enabled"},
		{Name: "B with two items", Body: `{"errors":[{"errorCode":4,"errorSource":"a","errorReason":"INVALID_PARAMETERS"},{"errorCode":27,"errorReason":"PARAMETER_NOT_ALLOWED"}]}`,
			Want: providertest.Failure{Status: 400, Code: "INVALID_PARAMETERS"}, Message: "a; PARAMETER_NOT_ALLOWED (27)"},
		{Name: "C: execution status (L2347-2352)", Body: `{"returnCode": 4, "returnStatus": "INVALID_PARAMETERS", "errorSource": "wrong owner id"}`,
			Want: providertest.Failure{Status: 400, Code: "INVALID_PARAMETERS"}, Message: "wrong owner id"},
		{Name: "C with a string returnCode (L25507-25512)", Body: `{"returnCode":"505","returnStatus":"INVALID_PRODUCT_ID"}`,
			Want: providertest.Failure{Status: 400, Code: "INVALID_PRODUCT_ID", Retryable: true, Operator: true}, Message: "INVALID_PRODUCT_ID (505)"},
		{Name: "C: internal error on a write", Write: true, Body: `{"returnCode":6,"returnStatus":"INTERNAL_ERROR"}`,
			Want: providertest.Failure{Status: 500, Code: "INTERNAL_ERROR", Retryable: true, Ambiguous: true}, Message: "INTERNAL_ERROR (6)"},
		{Name: "C: account blocked (L9995-10000)", Body: `{"returnCode":24,"returnStatus":"EXCESSIVE_INVALID_REQUESTS"}`,
			Want: providertest.Failure{Status: 503, Code: "EXCESSIVE_INVALID_REQUESTS", Retryable: true, Operator: true}, Message: "EXCESSIVE_INVALID_REQUESTS (24)"},
		{Name: "permissions (L9983-9988)", Body: `{"returnCode":2,"returnStatus":"INVALID_CREDENTIALS"}`,
			Want: providertest.Failure{Status: 403, Code: "INVALID_CREDENTIALS", Retryable: true, Operator: true}, Message: "INVALID_CREDENTIALS (2)"},
		{Name: "not JSON", Body: `<html>Bad Gateway</html>`,
			Want: providertest.Failure{Status: 502, Retryable: true}, Message: "<html>Bad Gateway</html>"},
	})
}

func TestTimeDecodesMambuLayouts(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{`"2019-12-01T00:00:00+0000"`, time.Date(2019, 12, 1, 0, 0, 0, 0, time.UTC), true},
		{`"2012-07-28T00:00:00+0200"`, time.Date(2012, 7, 28, 0, 0, 0, 0, time.FixedZone("", 7200)), true},
		{`"2017-01-15T00:01:59+01:00"`, time.Date(2017, 1, 15, 0, 1, 59, 0, time.FixedZone("", 3600)), true},
		{`"2016-01-08"`, time.Date(2016, 1, 8, 0, 0, 0, 0, time.UTC), true},
		{`null`, time.Time{}, true},
		{`""`, time.Time{}, true},
		{`"08/01/2016"`, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var v Time
			err := json.Unmarshal([]byte(tt.in), &v)
			require.Equal(t, tt.ok, err == nil, "%v", err)
			require.True(t, tt.want.Equal(v.Time), "got %v", v.Time)
		})
	}
}
