package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// route is one console page or action, with what it needs to be called.
type route struct {
	method, path string
	action       string // audited action of a POST
	roles        []lending.Role
}

// consoleRoutes lists every page and action with the roles allowed on it.
// Paths are filled in with a loan, a document, a staff member, a partner
// and a webhook delivery.
func consoleRoutes(ref int64, docID, staffID, partnerID, deliveryID uint) []route {
	loan := loanURL(ref)
	uw, ops, adm := lending.RoleUnderwriter, lending.RoleOperations, lending.RoleAdmin
	return []route{
		{http.MethodGet, Prefix + "/loans", "", []lending.Role{uw, ops}},
		{http.MethodGet, Prefix + "/documents", "", []lending.Role{uw, ops}},
		{http.MethodGet, loan, "", []lending.Role{uw, ops}},
		{http.MethodGet, fmt.Sprintf("%s/documents/%d", loan, docID), "", []lending.Role{uw, ops}},
		{http.MethodGet, Prefix + "/collections", "", []lending.Role{uw, ops}},
		{http.MethodGet, Prefix + "/attention", "", []lending.Role{uw, ops}},
		{http.MethodGet, loan + "/payoff", "", []lending.Role{uw, ops}},
		{http.MethodPost, loan + "/refunds", actionRefund, []lending.Role{ops}},
		{http.MethodPost, loan + "/waivers", actionWaive, []lending.Role{ops}},
		{http.MethodPost, loan + "/write-off", actionWriteOff, []lending.Role{ops}},
		{http.MethodPost, loan + "/reschedule", actionReschedule, []lending.Role{uw}},
		{http.MethodPost, loan + "/approve", actionApprove, []lending.Role{uw}},
		{http.MethodPost, loan + "/reject", actionReject, []lending.Role{uw}},
		{http.MethodPost, loan + "/documents/reject", actionRejectDocuments, []lending.Role{ops}},
		{http.MethodPost, loan + "/cash-release/authorize", actionAuthorizeRelease, []lending.Role{ops}},
		{http.MethodPost, loan + "/provider/retry", actionRetryProvider, []lending.Role{ops}},
		{http.MethodGet, Prefix + "/account/password", "", []lending.Role{uw, ops, adm}},
		{http.MethodPost, Prefix + "/account/password", actionChangePassword, []lending.Role{uw, ops, adm}},
		{http.MethodGet, Prefix + "/admin/staff", "", []lending.Role{adm}},
		{http.MethodPost, Prefix + "/admin/staff", actionCreateStaff, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/disable", Prefix, staffID), actionDisableStaff, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/enable", Prefix, staffID), actionEnableStaff, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/reset-password", Prefix, staffID), actionResetPassword, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/role", Prefix, staffID), actionChangeRole, []lending.Role{adm}},
		{http.MethodGet, Prefix + "/admin/partners", "", []lending.Role{adm}},
		{http.MethodPost, Prefix + "/admin/partners", actionCreatePartner, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/partners/%d/rotate", Prefix, partnerID), actionRotatePartner, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/partners/%d/disable", Prefix, partnerID), actionDisablePartner, []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/partners/%d/enable", Prefix, partnerID), actionEnablePartner, []lending.Role{adm}},
		{http.MethodPost, Prefix + "/admin/partners/rate-limit", actionPartnerLimit, []lending.Role{adm}},
		{http.MethodGet, Prefix + "/admin/products", "", []lending.Role{adm}},
		{http.MethodGet, Prefix + "/admin/products/consumer", "", []lending.Role{adm}},
		{http.MethodPost, Prefix + "/admin/products/consumer", actionUpdateProduct, []lending.Role{adm}},
		{http.MethodGet, Prefix + "/admin/webhooks", "", []lending.Role{adm}},
		{http.MethodPost, Prefix + "/admin/webhooks/demo", actionEditWebhook, []lending.Role{adm}},
		{http.MethodGet, Prefix + "/admin/webhooks/deliveries", "", []lending.Role{adm}},
		{http.MethodGet, fmt.Sprintf("%s/admin/webhooks/deliveries/%d", Prefix, deliveryID), "", []lending.Role{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/webhooks/deliveries/%d/redeliver", Prefix, deliveryID), actionRedeliverWebhook, []lending.Role{adm}},
		{http.MethodGet, Prefix + "/admin/audit", "", []lending.Role{adm}},
		{http.MethodPost, Prefix + "/logout", actionSignOut, []lending.Role{uw, ops, adm}},
	}
}

var signInAs = map[lending.Role]creds{
	lending.RoleUnderwriter: underwriter, lending.RoleOperations: operations, lending.RoleAdmin: admin,
}

// everyRoute puts a loan with its documents in on e, its partner's webhook
// endpoint and a delivered event of it, and lists every page and action on
// them, on a staff member and on a partner; unchanged checks none of the
// calls since reached the workflow or changed the staff member, the
// endpoint or the delivery.
func everyRoute(e *env) (routes []route, l *models.Loan, unchanged func(t *testing.T, why string)) {
	ctx := context.Background()
	demo := e.kit.Partner(testkit.Demo)
	_, _, err := e.kit.Service.PutWebhook(ctx, demo, "https://hooks.demo.example/loanflow", []string{string(lending.EventStatusChanged)})
	require.NoError(e.t, err)
	l = e.loanIn(lending.StatusDocumentsSubmitted, "2000", time.Hour)
	trail := e.trail(l.Ref)
	ev := e.deliveries(models.WebhookEventFilter{LoanRef: l.Ref})[0]
	require.NoError(e.t, e.store.RecordWebhookAttempt(ctx, models.WebhookAttempt{EventID: ev.ID, Attempt: 1, At: e.clock.Now(), StatusCode: 204}, true))
	endpoint := e.endpoint(demo)
	routes = consoleRoutes(l.Ref, e.documents(l.Ref)[0].ID, e.staff(underwriter2).ID, demo.ID, ev.ID)
	return routes, l, func(t *testing.T, why string) {
		require.Equal(t, trail, e.trail(l.Ref), why)
		require.Equal(t, lending.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
		require.True(t, e.staff(underwriter2).Active)
		require.Equal(t, *endpoint, *e.endpoint(demo), why)
		require.Equal(t, models.WebhookDelivered, e.delivery(ev.ID).Status, why)
	}
}

// TestEveryForbiddenRoleActionPair calls every page and action as every
// role it is not for: each answers 403, changes nothing, and each refused
// POST is audited as denied.
func TestEveryForbiddenRoleActionPair(t *testing.T) {
	e := newEnv(t)
	routes, l, unchanged := everyRoute(e)
	browsers := map[lending.Role]*browser{}
	for role, c := range signInAs {
		browsers[role] = e.signedIn(c)
	}
	for _, r := range routes {
		for role, b := range browsers {
			if slices.Contains(r.roles, role) {
				continue
			}
			t.Run(string(role)+" "+r.method+" "+r.path, func(t *testing.T) {
				before := len(e.events(r.action))
				var res interface{ Result() *http.Response }
				if r.method == http.MethodGet {
					res = b.get(r.path)
				} else {
					b.get(Prefix + "/account/password") // a page with a fresh token
					res = b.post(r.path, url.Values{"seen": {string(l.Status)}, "reason": {"x"}, "doc_reason": {"x"}, "role": {"admin"}})
				}
				require.Equal(t, http.StatusForbidden, res.Result().StatusCode)
				has(t, b.last, "Not for your role")
				if r.method == http.MethodPost {
					evs := e.events(r.action)
					require.Len(t, evs, before+1)
					require.Equal(t, models.OutcomeDenied, evs[len(evs)-1].Outcome)
					require.Equal(t, signInAs[role].User, evs[len(evs)-1].Actor)
				}
			})
		}
	}
	unchanged(t, "no forbidden call reached the workflow")
	require.Equal(t, lending.RoleUnderwriter, e.staff(underwriter2).Role)
}

// TestEveryFormNeedsTheCSRFToken posts to every action, as a role allowed
// to, without the token, with a wrong one, and cross-site with the right
// one: each is refused and changes nothing.
func TestEveryFormNeedsTheCSRFToken(t *testing.T) {
	e := newEnv(t)
	routes, l, unchanged := everyRoute(e)
	variants := []struct {
		name    string
		token   func(b *browser) string
		headers map[string]string
	}{
		{"missing token", func(*browser) string { return "" }, nil},
		{"wrong token", func(*browser) string { return "not-the-token" }, nil},
		{"another session's token", func(*browser) string { return e.signedIn(admin).csrf() }, nil},
		{"right token sent cross-site", func(b *browser) string { return b.csrf() }, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	}
	for _, r := range routes {
		if r.method != http.MethodPost {
			continue
		}
		for _, v := range variants {
			t.Run(r.path+" "+v.name, func(t *testing.T) {
				b := e.signedIn(signInAs[r.roles[0]])
				form := url.Values{"csrf": {v.token(b)}, "seen": {string(l.Status)}, "reason": {"x"}, "doc_reason": {"x"}, "role": {"admin"}}
				for k, h := range v.headers {
					b.headers[k] = h
				}
				res := b.do(http.MethodPost, r.path, form)
				require.Equal(t, http.StatusForbidden, res.Code)
				has(t, res.Body.String(), "This form is out of date")
				require.Equal(t, models.OutcomeDenied, e.lastEvent(actionCSRF).Outcome)
				delete(b.headers, "Sec-Fetch-Site")
				require.Equal(t, http.StatusOK, b.get(Prefix+"/account/password").Code, "the session survives")
			})
		}
	}
	unchanged(t, "no refused form reached the workflow")
	require.Empty(t, e.events(actionCreateStaff))
	require.Empty(t, e.events(actionUpdateProduct))
}

// TestPagesShowOnlyTheirRolesActions checks that no page offers a form for
// another role's action.
func TestPagesShowOnlyTheirRolesActions(t *testing.T) {
	forms := map[string]string{
		"approve":          `id="approve-form"`,
		"reject":           `id="reject-form"`,
		"authorize":        `id="authorize-form"`,
		"reject documents": `id="reject-documents-form"`,
		"refund":           `id="refund-form"`,
		"waive":            `id="waiver-form"`,
		"write off":        `id="write-off-form"`,
		"reschedule":       `id="reschedule-form"`,
	}
	cases := []struct {
		role   creds
		status lending.Status
		want   []string
	}{
		{underwriter, lending.StatusSubmitted, []string{"approve", "reject"}},
		{underwriter, lending.StatusDocumentsSubmitted, nil},
		{operations, lending.StatusSubmitted, nil},
		{operations, lending.StatusDocumentsSubmitted, []string{"authorize", "reject documents"}},
		{underwriter, lending.StatusApproved, nil},
		{operations, lending.StatusApproved, nil},
		{underwriter, lending.StatusActive, []string{"reschedule"}},
		{operations, lending.StatusActive, []string{"waive", "write off"}},
	}
	for _, tc := range cases {
		t.Run(tc.role.User+" "+string(tc.status), func(t *testing.T) {
			e := newEnv(t)
			l := e.loanIn(tc.status, "2000", time.Hour)
			b := e.signedIn(tc.role)
			b.openLoan(l.Ref)
			for name, marker := range forms {
				if slices.Contains(tc.want, name) {
					has(t, b.last, marker, name)
				} else {
					lacks(t, b.last, marker, name)
				}
			}
		})
	}
	t.Run("navigation", func(t *testing.T) {
		e := newEnv(t)
		uw := e.signedIn(underwriter)
		lacks(t, uw.last, "/backoffice/admin/")
		adm := e.signedIn(admin)
		lacks(t, adm.last, `href="/backoffice/loans"`)
		lacks(t, adm.last, `href="/backoffice/documents"`)
		has(t, adm.last, `href="/backoffice/admin/products"`)
	})
}
