package mambu

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The three documented error shapes (digest §1.5), with both types of returnCode / errorCode.
func TestStatusErrorDecodesTheThreeShapes(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		write     bool
		code      string
		message   string
		retryable bool
		ambiguous bool
	}{
		{name: "A: general error response (L70-75)", status: 400,
			body: `{"errorCode":"4","errorSource":"Property scheduleSettings.repaymentInstallments may not be null","errorReason":"INVALID_PARAMETERS"}`,
			code: "INVALID_PARAMETERS", message: "Property scheduleSettings.repaymentInstallments may not be null"},
		{name: "A without a source", status: 400, body: `{"errorCode":4,"errorReason":"INVALID_PARAMETERS"}`,
			code: "INVALID_PARAMETERS", message: "INVALID_PARAMETERS (4)"},
		{name: "B: audit trail (L123-132)", status: 400,
			body: `{"errors":[{"errorCode":4,"errorSource":"The user agent cannot be null when the Audit Trail feature is enabled","errorReason":"INVALID_PARAMETERS"}]}`,
			code: "INVALID_PARAMETERS", message: "The user agent cannot be null when the Audit Trail feature is enabled"},
		{name: "B with two items", status: 400,
			body: `{"errors":[{"errorCode":4,"errorSource":"a","errorReason":"INVALID_PARAMETERS"},{"errorCode":27,"errorReason":"PARAMETER_NOT_ALLOWED"}]}`,
			code: "INVALID_PARAMETERS", message: "a; PARAMETER_NOT_ALLOWED (27)"},
		{name: "C: execution status (L2347-2352)", status: 400,
			body: `{"returnCode": 4, "returnStatus": "INVALID_PARAMETERS", "errorSource": "wrong owner id"}`,
			code: "INVALID_PARAMETERS", message: "wrong owner id"},
		{name: "C with a string returnCode (L25507-25512)", status: 400, body: `{"returnCode":"505","returnStatus":"INVALID_PRODUCT_ID"}`,
			code: "INVALID_PRODUCT_ID", message: "INVALID_PRODUCT_ID (505)"},
		{name: "C: internal error on a write", status: 500, write: true, body: `{"returnCode":6,"returnStatus":"INTERNAL_ERROR"}`,
			code: "INTERNAL_ERROR", message: "INTERNAL_ERROR (6)", retryable: true, ambiguous: true},
		{name: "C: account blocked (L9995-10000)", status: 503, body: `{"returnCode":24,"returnStatus":"EXCESSIVE_INVALID_REQUESTS"}`,
			code: "EXCESSIVE_INVALID_REQUESTS", message: "EXCESSIVE_INVALID_REQUESTS (24)"},
		{name: "not JSON", status: 502, body: `<html>Bad Gateway</html>`, message: "<html>Bad Gateway</html>", retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := statusError("Op", tt.status, []byte(tt.body), tt.write)
			require.Equal(t, tt.status, e.Status)
			require.Equal(t, tt.code, e.Code)
			require.Equal(t, tt.message, e.Message)
			require.Equal(t, tt.retryable, e.Retryable)
			require.Equal(t, tt.ambiguous, e.Ambiguous)
		})
	}
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
