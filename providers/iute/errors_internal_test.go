package iute

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrorMessage(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"list of errors", `<html><head><title>Error 400</title></head><body><h1>Bad Request</h1><ul><li>gsm: bad</li><li>pin: is required</li></ul></body></html>`, "gsm: bad; pin: is required"},
		{"parameters in bold", `<html><body><h1>HTTP Status 400 – Bad Request</h1><p>The request is not valid.</p><ul><li><b>gsm</b>: bad</li><li><b>pin</b>:  is
 required</li></ul></body></html>`, "gsm: bad; pin: is required"},
		{"tomcat report", `<!doctype html><html lang="en"><head><title>HTTP Status 400 – Bad Request</title><style>h1 {color:red}</style></head><body><h1>HTTP Status 400 – Bad Request</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> Loan not found</p></body></html>`, "Type Status Report; Message Loan not found"},
		{"bare body text", `<html><body>Loan   90000 is
 not approved</body></html>`, "Loan 90000 is not approved"},
		{"only a heading", `<html><body><h1>Access denied</h1></body></html>`, "Access denied"},
		{"plain text", "Bad credentials\n", "Bad credentials"},
		{"entities", `<p>Client &quot;A&amp;B&quot; &lt;x&gt;</p>`, `Client "A&B" <x>`},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, errorMessage([]byte(tc.body)))
		})
	}
}
