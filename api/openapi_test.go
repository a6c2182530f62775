package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api/openapi"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/testkit/apicontract"
	"github.com/loanflow/loanflow/internal/testkit/kit"
)

// The document is OpenAPI 3.1 as kin-openapi reads and validates it, both
// as served and as the tests hold it (every object closed to its members).
func TestTheOpenAPIDocumentIsValid(t *testing.T) {
	require.NoError(t, openapi.Validate(context.Background()))
	var head struct{ OpenAPI string }
	require.NoError(t, json.Unmarshal(openapi.JSON, &head))
	require.Equal(t, "3.1.0", head.OpenAPI)
	_, err := apicontract.Load()
	require.NoError(t, err)
}

// ginParam is a Gin path parameter, :ref.
var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// Every route under /v1 and /backoffice/v1 is in the document, with the
// same method and parameter names, and the document lists no other.
func TestEveryRouteIsInTheOpenAPIDocument(t *testing.T) {
	k, _ := kit.NewScripted(t)
	var routes []string
	for _, r := range NewRouter(k.Service).Routes() {
		if apicontract.InScope(r.Path) {
			routes = append(routes, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
		}
	}
	doc, err := apicontract.Load()
	require.NoError(t, err)
	var documented []string
	for _, path := range doc.Paths.Keys() {
		for method := range doc.Paths.Value(path).Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(routes)
	slices.Sort(documented)
	missing, extra := difference(routes, documented), difference(documented, routes)
	require.Empty(t, missing, "routes the OpenAPI document does not describe")
	require.Empty(t, extra, "operations of the OpenAPI document no route serves")
	require.Len(t, routes, 61)
}

// difference lists what a holds and b does not.
func difference(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// Partners fetch the document without credentials, as it is kept in the
// repository, and doing so spends no partner's requests.
func TestTheOpenAPIDocumentIsServedToAnyone(t *testing.T) {
	e, _ := newLimitedEnv(t, ratelimit.Limit{Rate: 1, Burst: 2})
	for range 5 { // more than any bucket holds
		res := e.do(request{method: http.MethodGet, path: "/v1/openapi.json"})
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, "application/json", res.Header().Get("Content-Type"))
		require.Equal(t, openapi.JSON, res.Body.Bytes())
		require.Empty(t, res.Header().Get("RateLimit-Limit"), "no bucket is consulted")
		require.Empty(t, res.Header().Get("WWW-Authenticate"))
	}
	// Wrong credentials do not matter either: nobody is authenticated.
	res := e.get(creds{User: "demo", Password: "wrong"}, "/v1/openapi.json")
	require.Equal(t, http.StatusOK, res.Code)

	// demo's bucket is still full.
	res = e.get(demo, "/v1/loans")
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, "1", res.Header().Get("RateLimit-Remaining"))

	// The document's own routes are the only unauthenticated ones of /v1.
	e.do(request{method: http.MethodGet, path: "/v1/loans"}).problem(t, http.StatusUnauthorized)
	e.do(request{method: http.MethodPost, path: "/v1/openapi.json", creds: &demo}).problem(t, http.StatusMethodNotAllowed)
}

// The human page shows every operation of the document with its
// parameters, body and answers, and every schema, and loads nothing from
// anywhere: no script, no stylesheet or image from elsewhere.
func TestTheAPIPageShowsEveryOperation(t *testing.T) {
	e, _ := newLimitedEnv(t, ratelimit.Limit{Rate: 1, Burst: 1})
	res := e.do(request{method: http.MethodGet, path: "/v1/docs"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "text/html; charset=utf-8", res.Header().Get("Content-Type"))
	require.Empty(t, res.Header().Get("RateLimit-Limit"))
	csp := res.Header().Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'none'")
	require.NotContains(t, csp, "script-src")
	page := res.Body.String()

	lower := strings.ToLower(page)
	require.NotContains(t, lower, "<script")
	require.NotContains(t, lower, "<link")
	require.NotContains(t, lower, "<img")
	require.NotContains(t, lower, "src=")
	require.NotRegexp(t, `(href|action)="(https?:)?//`, lower, "no link leaves loanflow")

	doc, err := apicontract.Load()
	require.NoError(t, err)
	ops := 0
	for _, path := range doc.Paths.Keys() {
		for method, op := range doc.Paths.Value(path).Operations() {
			ops++
			section := sectionOf(t, page, `<section class="op" id="op-`+op.OperationID+`">`)
			require.Contains(t, section, `<span class="method `+method+`">`+method+`</span> <span class="path">`+path+`</span>`)
			for _, p := range op.Parameters {
				require.Contains(t, section, `<td class="name">`+p.Value.Name, "%s %s: parameter %s", method, path, p.Value.Name)
			}
			for status := range op.Responses.Map() {
				require.Contains(t, section, `<td class="name">`+status+`</td>`, "%s %s: answer %s", method, path, status)
			}
			if op.RequestBody != nil {
				require.Contains(t, section, "Request body", "%s %s", method, path)
			}
		}
	}
	require.Equal(t, 61, ops)

	// A schema lists its members, with links to the schemas they are.
	problem := sectionOf(t, page, `<section id="schema-Problem">`)
	for _, member := range []string{"type", "title", "status", "detail", "errors"} {
		require.Contains(t, problem, `<td class="name">`+member)
	}
	require.Contains(t, problem, `array of <a href="#schema-FieldError">FieldError</a>`)
	loan := sectionOf(t, page, `<section id="schema-Loan">`)
	require.Contains(t, loan, `<a href="#schema-Decimal">Decimal</a> or null`, "installment_amount")
	require.Contains(t, page, `<a href="#op-submitLoan">`)
}

// sectionOf is the part of page from start to the end of its section.
func sectionOf(t *testing.T, page, start string) string {
	t.Helper()
	i := strings.Index(page, start)
	require.GreaterOrEqual(t, i, 0, "the page has no %s", start)
	end := strings.Index(page[i:], "</section>")
	require.Greater(t, end, 0)
	return page[i : i+end]
}

// The contract tests count what they checked; a run that checked nothing
// would prove nothing.
func TestTheContractIsChecked(t *testing.T) {
	e := newEnv(t)
	c, err := apicontract.Shared()
	require.NoError(t, err)
	before, _, _ := c.Counts()
	e.get(demo, "/v1/loans")
	after, _, _ := c.Counts()
	require.Equal(t, before+1, after, fmt.Sprintf("checked %d then %d", before, after))
}
