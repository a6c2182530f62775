package iutewire

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrorPage(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		message  string
		problems []Problem
		want     string
	}{
		{"message only", http.StatusForbidden, "Authentication failed.", nil,
			"<h1>HTTP Status 403 – Forbidden</h1>\n<p>Authentication failed.</p>\n</body>"},
		{"parameters named", http.StatusBadRequest, "The request is not valid.",
			[]Problem{{Field: FieldGSM, Message: "required"}, {Field: FieldPIN, Message: "required"}},
			"<p>The request is not valid.</p>\n<ul>\n<li><b>gsm</b>: required</li>\n<li><b>pin</b>: required</li>\n</ul>\n</body>"},
		{"problems without a parameter or message", http.StatusBadRequest, "",
			[]Problem{{Message: "Loan 7 not found"}},
			"<h1>HTTP Status 400 – Bad Request</h1>\n<ul>\n<li>Loan 7 not found</li>\n</ul>"},
		{"input is escaped", http.StatusBadRequest, `<script>x</script>`,
			[]Problem{{Field: "<i>", Message: `"a" & b`}},
			"<p>&lt;script&gt;x&lt;/script&gt;</p>\n<ul>\n<li><b>&lt;i&gt;</b>: &#34;a&#34; &amp; b</li>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := ErrorPage(tt.status, tt.message, tt.problems)
			require.NoError(t, err)
			require.Regexp(t, `^<!DOCTYPE html>\n<html lang="en">`, string(page))
			require.Contains(t, string(page), tt.want)
		})
	}
}
