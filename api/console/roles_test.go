package console

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
)

// route is one console page or action, with what it needs to be called.
type route struct {
	method, path string
	action       string // audited action of a POST
	roles        []string
}

// consoleRoutes lists every page and action with the roles allowed on it.
// Paths are filled in with a loan, a document, a staff member, a partner.
func consoleRoutes(ref int64, docID, staffID, partnerID uint) []route {
	loan := loanURL(ref)
	uw, ops, adm := models.RoleUnderwriter, models.RoleOperations, models.RoleAdmin
	return []route{
		{http.MethodGet, Prefix + "/loans", "", []string{uw, ops}},
		{http.MethodGet, Prefix + "/documents", "", []string{uw, ops}},
		{http.MethodGet, loan, "", []string{uw, ops}},
		{http.MethodGet, fmt.Sprintf("%s/documents/%d", loan, docID), "", []string{uw, ops}},
		{http.MethodPost, loan + "/approve", actionApprove, []string{uw}},
		{http.MethodPost, loan + "/reject", actionReject, []string{uw}},
		{http.MethodPost, loan + "/documents/reject", actionRejectDocuments, []string{ops}},
		{http.MethodPost, loan + "/cash-release/authorize", actionAuthorizeRelease, []string{ops}},
		{http.MethodGet, Prefix + "/account/password", "", []string{uw, ops, adm}},
		{http.MethodPost, Prefix + "/account/password", actionChangePassword, []string{uw, ops, adm}},
		{http.MethodGet, Prefix + "/admin/staff", "", []string{adm}},
		{http.MethodPost, Prefix + "/admin/staff", actionCreateStaff, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/disable", Prefix, staffID), actionDisableStaff, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/enable", Prefix, staffID), actionEnableStaff, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/reset-password", Prefix, staffID), actionResetPassword, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/staff/%d/role", Prefix, staffID), actionChangeRole, []string{adm}},
		{http.MethodGet, Prefix + "/admin/partners", "", []string{adm}},
		{http.MethodPost, Prefix + "/admin/partners", actionCreatePartner, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/partners/%d/rotate", Prefix, partnerID), actionRotatePartner, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/partners/%d/disable", Prefix, partnerID), actionDisablePartner, []string{adm}},
		{http.MethodPost, fmt.Sprintf("%s/admin/partners/%d/enable", Prefix, partnerID), actionEnablePartner, []string{adm}},
		{http.MethodGet, Prefix + "/admin/products", "", []string{adm}},
		{http.MethodGet, Prefix + "/admin/products/consumer", "", []string{adm}},
		{http.MethodPost, Prefix + "/admin/products/consumer", actionUpdateProduct, []string{adm}},
		{http.MethodGet, Prefix + "/admin/audit", "", []string{adm}},
		{http.MethodPost, Prefix + "/logout", actionSignOut, []string{uw, ops, adm}},
	}
}

var signInAs = map[string]creds{
	models.RoleUnderwriter: underwriter, models.RoleOperations: operations, models.RoleAdmin: admin,
}

// TestEveryForbiddenRoleActionPair calls every page and action as every
// role it is not for: each answers 403, changes nothing, and each refused
// POST is audited as denied.
func TestEveryForbiddenRoleActionPair(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusDocumentsSubmitted, "2000", time.Hour)
	doc := e.addDocument(l.Ref, models.DocSignedAgreement, "agreement.pdf", []byte("%PDF-1.4 test"))
	target := e.staff("underwriter2")
	partner, err := e.store.PartnerByUsername(t.Context(), "demo")
	require.NoError(t, err)
	browsers := map[string]*browser{}
	for role, c := range signInAs {
		browsers[role] = e.signedIn(c)
	}
	for _, r := range consoleRoutes(l.Ref, doc.ID, target.ID, partner.ID) {
		for role, b := range browsers {
			allowed := false
			for _, a := range r.roles {
				allowed = allowed || a == role
			}
			if allowed {
				continue
			}
			t.Run(role+" "+r.method+" "+r.path, func(t *testing.T) {
				before := len(e.events(r.action))
				var res interface{ Result() *http.Response }
				if r.method == http.MethodGet {
					res = b.get(r.path)
				} else {
					b.get(Prefix + "/account/password") // a page with a fresh token
					res = b.post(r.path, url.Values{"seen": {l.Status}, "reason": {"x"}, "doc_reason": {"x"}, "role": {"admin"}})
				}
				require.Equal(t, http.StatusForbidden, res.Result().StatusCode)
				has(t, b.last, "Not for your role")
				if r.method == http.MethodPost {
					evs := e.events(r.action)
					require.Len(t, evs, before+1)
					require.Equal(t, models.OutcomeDenied, evs[len(evs)-1].Outcome)
					require.Equal(t, signInAs[role].user, evs[len(evs)-1].Actor)
				}
			})
		}
	}
	require.Empty(t, e.engine.updateNames(), "no forbidden call reached the workflow")
	require.Equal(t, models.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
	require.True(t, e.staff("underwriter2").Active)
	require.Equal(t, models.RoleUnderwriter, e.staff("underwriter2").Role)
}

// TestEveryFormNeedsTheCSRFToken posts to every action, as a role allowed
// to, without the token, with a wrong one, and cross-site with the right
// one: each is refused and changes nothing.
func TestEveryFormNeedsTheCSRFToken(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusDocumentsSubmitted, "2000", time.Hour)
	doc := e.addDocument(l.Ref, models.DocSignedAgreement, "agreement.pdf", []byte("%PDF-1.4 test"))
	target := e.staff("underwriter2")
	partner, err := e.store.PartnerByUsername(t.Context(), "demo")
	require.NoError(t, err)
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
	for _, r := range consoleRoutes(l.Ref, doc.ID, target.ID, partner.ID) {
		if r.method != http.MethodPost {
			continue
		}
		for _, v := range variants {
			t.Run(r.path+" "+v.name, func(t *testing.T) {
				b := e.signedIn(signInAs[r.roles[0]])
				form := url.Values{"csrf": {v.token(b)}, "seen": {l.Status}, "reason": {"x"}, "doc_reason": {"x"}, "role": {"admin"}}
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
	require.Empty(t, e.engine.updateNames())
	require.Equal(t, models.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
	require.True(t, e.staff("underwriter2").Active)
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
	}
	cases := []struct {
		role   creds
		status string
		want   []string
	}{
		{underwriter, models.StatusSubmitted, []string{"approve", "reject"}},
		{underwriter, models.StatusDocumentsSubmitted, nil},
		{operations, models.StatusSubmitted, nil},
		{operations, models.StatusDocumentsSubmitted, []string{"authorize", "reject documents"}},
		{underwriter, models.StatusApproved, nil},
		{operations, models.StatusApproved, nil},
	}
	for _, tc := range cases {
		t.Run(tc.role.user+" "+tc.status, func(t *testing.T) {
			e := newEnv(t)
			l := e.insertLoan(tc.status, "2000", time.Hour)
			b := e.signedIn(tc.role)
			b.openLoan(l.Ref)
			for name, marker := range forms {
				want := false
				for _, w := range tc.want {
					want = want || w == name
				}
				if want {
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
