package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

func TestAdminAPIRefusesOthers(t *testing.T) {
	e := newEnv(t)
	routes := []struct{ method, path string }{
		{http.MethodGet, "/backoffice/v1/staff"},
		{http.MethodPost, "/backoffice/v1/staff"},
		{http.MethodPost, "/backoffice/v1/staff/underwriter/disable"},
		{http.MethodPost, "/backoffice/v1/staff/underwriter/enable"},
		{http.MethodPost, "/backoffice/v1/staff/underwriter/role"},
		{http.MethodPost, "/backoffice/v1/staff/underwriter/reset-password"},
		{http.MethodGet, "/backoffice/v1/partners"},
		{http.MethodPost, "/backoffice/v1/partners"},
		{http.MethodPost, "/backoffice/v1/partners/demo/rotate"},
		{http.MethodPost, "/backoffice/v1/partners/demo/disable"},
		{http.MethodPost, "/backoffice/v1/partners/demo/enable"},
		{http.MethodPost, "/backoffice/v1/partners/demo/rate-limit"},
		{http.MethodGet, "/backoffice/v1/products"},
		{http.MethodPost, "/backoffice/v1/products"},
		{http.MethodPatch, "/backoffice/v1/products/consumer"},
	}
	for _, r := range routes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, who := range []creds{underwriter, operations} {
				res := e.do(request{method: r.method, path: r.path, creds: &who, body: map[string]any{"role": "admin"}})
				res.problem(t, http.StatusForbidden)
			}
			e.do(request{method: r.method, path: r.path, body: map[string]any{}}).problem(t, http.StatusUnauthorized)
		})
	}
	// Nothing changed.
	st, err := e.store.StaffByUsername(context.Background(), "underwriter")
	require.NoError(t, err)
	require.Equal(t, lending.RoleUnderwriter, st.Role)
	require.True(t, st.Active)
	require.True(t, e.partner("demo").Active)
	require.Zero(t, e.partner("demo").RateBurst)
}

func TestAdminAPIManagesStaff(t *testing.T) {
	e := newEnv(t)
	res := e.post(admin, "/backoffice/v1/staff", map[string]any{"username": "alice", "name": "Alice Example", "role": "operations"}, nil)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	body := res.json(t)
	require.Equal(t, "alice", body["username"])
	require.Equal(t, "operations", body["role"])
	require.Equal(t, true, body["active"])
	password := body["password"].(string)
	require.Len(t, password, models.GeneratedPasswordLen)
	require.Equal(t, "no-store", res.Header().Get("Cache-Control"), "no cache keeps the password")
	alice := creds{User: "alice", Password: password}
	require.Equal(t, http.StatusOK, e.get(alice, "/backoffice/v1/loans").Code, "the new password works")

	list := e.get(admin, "/backoffice/v1/staff")
	require.Equal(t, http.StatusOK, list.Code)
	require.NotContains(t, list.Body.String(), password, "shown once")
	require.NotContains(t, list.Body.String(), "password")
	require.Contains(t, list.Body.String(), `"username":"alice"`)

	// A retried creation is a conflict naming the username, not a second account.
	p := e.post(admin, "/backoffice/v1/staff", map[string]any{"username": "alice", "name": "Alice Again", "role": "admin"}, nil).
		problem(t, http.StatusConflict)
	require.Equal(t, []string{"username"}, p.fields())
	var n int64
	require.NoError(t, e.store.DB.Model(&models.Staff{}).Where("username = ?", "alice").Count(&n).Error)
	require.Equal(t, int64(1), n)
	st, err := e.store.StaffByUsername(context.Background(), "alice")
	require.NoError(t, err)
	require.Equal(t, "Alice Example", st.Name)

	bad := []struct {
		name  string
		body  any
		field string
	}{
		{"unknown role", map[string]any{"username": "bob", "name": "Bob", "role": "root"}, "role"},
		{"bad username", map[string]any{"username": "Bob Smith", "name": "Bob", "role": "admin"}, "username"},
		{"no name", map[string]any{"username": "bob", "name": " ", "role": "admin"}, "name"},
		{"unknown field", map[string]any{"username": "bob", "name": "Bob", "role": "admin", "password": "x"}, "password"},
		{"no body", "", "body"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := e.post(admin, "/backoffice/v1/staff", tc.body, nil).problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields())
		})
	}
	_, err = e.store.StaffByUsername(context.Background(), "bob")
	require.ErrorIs(t, err, models.ErrNotFound)

	// Role change: applied from the next request.
	res = e.post(admin, "/backoffice/v1/staff/alice/role", map[string]any{"role": "underwriter"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "underwriter", res.json(t)["role"])
	p = e.post(admin, "/backoffice/v1/staff/alice/role", map[string]any{"role": "superuser"}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"role"}, p.fields())
	e.post(admin, "/backoffice/v1/staff/nobody/role", map[string]any{"role": "admin"}, nil).problem(t, http.StatusNotFound)

	// Reset: the old password stops working, the new one works.
	res = e.post(admin, "/backoffice/v1/staff/alice/reset-password", nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	fresh := res.json(t)["password"].(string)
	require.Len(t, fresh, models.GeneratedPasswordLen)
	e.get(alice, "/backoffice/v1/loans").problem(t, http.StatusUnauthorized)
	alice.Password = fresh
	require.Equal(t, http.StatusOK, e.get(alice, "/backoffice/v1/loans").Code)

	// An admin cannot lock themselves out.
	for _, action := range []string{"disable", "reset-password"} {
		e.post(admin, "/backoffice/v1/staff/admin/"+action, nil, nil).problem(t, http.StatusConflict)
	}
	e.post(admin, "/backoffice/v1/staff/admin/role", map[string]any{"role": "operations"}, nil).problem(t, http.StatusConflict)
	require.Equal(t, http.StatusOK, e.get(admin, "/backoffice/v1/staff").Code)
}

// Revocation applies to the very next request: the credentials are
// re-read on every call.
func TestAdminAPIRevokesAtOnce(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, http.StatusOK, e.get(operations, "/backoffice/v1/loans").Code)
	res := e.post(admin, "/backoffice/v1/staff/operations/disable", nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, false, res.json(t)["active"])
	e.get(operations, "/backoffice/v1/loans").problem(t, http.StatusUnauthorized)
	require.Equal(t, http.StatusOK, e.post(admin, "/backoffice/v1/staff/operations/enable", nil, nil).Code)
	require.Equal(t, http.StatusOK, e.get(operations, "/backoffice/v1/loans").Code)

	// A role change applies from the next request: the admin moved to
	// operations is refused the admin API.
	e.get(underwriter, "/backoffice/v1/staff").problem(t, http.StatusForbidden)
	res = e.post(admin, "/backoffice/v1/staff/underwriter/role", map[string]any{"role": "admin"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, http.StatusOK, e.get(underwriter, "/backoffice/v1/staff").Code)
	res = e.post(underwriter, "/backoffice/v1/staff/admin/role", map[string]any{"role": "operations"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	e.get(admin, "/backoffice/v1/staff").problem(t, http.StatusForbidden)
}

func TestAdminAPIManagesPartners(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"username": "shopco", "name": "Shop & Co", "partner_type": "retail", "default_product": "consumer"}
	res := e.post(admin, "/backoffice/v1/partners", body, nil)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	got := res.json(t)
	require.Equal(t, "retail", got["partner_type"])
	require.Equal(t, "consumer", got["default_product"])
	first := got["secret"].(string)
	require.Len(t, first, 32)
	require.Equal(t, "no-store", res.Header().Get("Cache-Control"))
	shop := creds{User: "shopco", Password: first}
	require.Equal(t, http.StatusOK, e.get(shop, "/v1/loans").Code, "the secret works on the partner API")

	list := e.get(admin, "/backoffice/v1/partners")
	require.Equal(t, http.StatusOK, list.Code)
	require.Contains(t, list.Body.String(), `"username":"shopco"`)
	require.NotContains(t, list.Body.String(), first, "shown once")
	require.NotContains(t, list.Body.String(), "secret")

	p := e.post(admin, "/backoffice/v1/partners", body, nil).problem(t, http.StatusConflict)
	require.Equal(t, []string{"username"}, p.fields())
	var n int64
	require.NoError(t, e.store.DB.Model(&models.Partner{}).Where("username = ?", "shopco").Count(&n).Error)
	require.Equal(t, int64(1), n)

	bad := []struct {
		name, field, value string
	}{
		{"bad partner type", "partner_type", "Big Shop"},
		{"unknown default product", "default_product", "gold"},
		{"bad username", "username", "x"},
		{"no name", "name", ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			b := map[string]any{"username": "newco", "name": "New Co", "partner_type": "post", "default_product": "consumer"}
			b[tc.field] = tc.value
			p := e.post(admin, "/backoffice/v1/partners", b, nil).problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields())
		})
	}
	_, err := e.store.PartnerByUsername(context.Background(), "newco")
	require.ErrorIs(t, err, models.ErrNotFound)

	// Rotation: the old secret is refused on the partner's next request.
	res = e.post(admin, "/backoffice/v1/partners/shopco/rotate", nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	second := res.json(t)["secret"].(string)
	require.NotEqual(t, first, second)
	e.get(shop, "/v1/loans").problem(t, http.StatusUnauthorized)
	shop.Password = second
	require.Equal(t, http.StatusOK, e.get(shop, "/v1/loans").Code)

	res = e.post(admin, "/backoffice/v1/partners/shopco/disable", nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, false, res.json(t)["active"])
	e.get(shop, "/v1/loans").problem(t, http.StatusUnauthorized)
	require.Equal(t, http.StatusOK, e.post(admin, "/backoffice/v1/partners/shopco/enable", nil, nil).Code)
	require.Equal(t, http.StatusOK, e.get(shop, "/v1/loans").Code)
	e.post(admin, "/backoffice/v1/partners/nobody/rotate", nil, nil).problem(t, http.StatusNotFound)
	require.False(t, strings.Contains(e.get(admin, "/backoffice/v1/partners").Body.String(), second))
}

// TestAdminAPIActsOncePerKey: every admin POST takes an Idempotency-Key; a
// retry acts once and is marked a replay (without the secret, which is
// never kept), and the same key for another request is a 409.
func TestAdminAPIActsOncePerKey(t *testing.T) {
	e := newEnv(t)
	bob := map[string]any{"username": "bob", "name": "Bob Example", "role": "underwriter"}
	first := e.post(admin, "/backoffice/v1/staff", bob, key("staff-bob"))
	require.Equal(t, http.StatusCreated, first.Code, first.Body.String())
	require.Empty(t, first.Header().Get("Idempotent-Replayed"))
	password := first.json(t)["password"].(string)

	again := e.post(admin, "/backoffice/v1/staff", bob, key("staff-bob"))
	require.Equal(t, http.StatusOK, again.Code, again.Body.String())
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	require.Equal(t, "bob", again.json(t)["username"])
	require.NotContains(t, again.Body.String(), "password", "a replay never repeats a secret")
	e.post(admin, "/backoffice/v1/staff", map[string]any{"username": "bob", "name": "Bob", "role": "admin"}, key("staff-bob")).
		problem(t, http.StatusConflict)

	// A reset retried resets once: the password it answered first still works.
	reset := e.post(admin, "/backoffice/v1/staff/bob/reset-password", nil, key("reset-bob"))
	require.Equal(t, http.StatusOK, reset.Code, reset.Body.String())
	newPassword := reset.json(t)["password"].(string)
	require.NotEqual(t, password, newPassword)
	replay := e.post(admin, "/backoffice/v1/staff/bob/reset-password", nil, key("reset-bob"))
	require.Equal(t, "true", replay.Header().Get("Idempotent-Replayed"))
	require.Equal(t, http.StatusOK, e.get(creds{User: "bob", Password: newPassword}, "/backoffice/v1/loans").Code)

	// The same for a partner's rotation; the key is bound to its target.
	rotate := e.post(admin, "/backoffice/v1/partners/demo/rotate", nil, key("rotate-1"))
	require.Equal(t, http.StatusOK, rotate.Code, rotate.Body.String())
	secret := rotate.json(t)["secret"].(string)
	replay = e.post(admin, "/backoffice/v1/partners/demo/rotate", nil, key("rotate-1"))
	require.Equal(t, "true", replay.Header().Get("Idempotent-Replayed"))
	require.NotContains(t, replay.Body.String(), "secret")
	require.Equal(t, http.StatusOK, e.get(creds{User: "demo", Password: secret}, "/v1/loans").Code, "the first rotation's secret is the one in force")
	e.post(admin, "/backoffice/v1/staff/bob/disable", nil, key("rotate-1")).problem(t, http.StatusConflict)

	// A product's creation likewise.
	silver := map[string]any{"code": "silver", "name": "Silver loan"}
	made := e.post(admin, "/backoffice/v1/products", silver, key("product-silver"))
	require.Equal(t, http.StatusCreated, made.Code, made.Body.String())
	made = e.post(admin, "/backoffice/v1/products", silver, key("product-silver"))
	require.Equal(t, http.StatusOK, made.Code, made.Body.String())
	require.Equal(t, "true", made.Header().Get("Idempotent-Replayed"))
	require.Equal(t, "silver", made.json(t)["code"])

	// A refused change gives its key back for the corrected request.
	e.post(admin, "/backoffice/v1/staff/bob/role", map[string]any{"role": "boss"}, key("role-bob")).problem(t, http.StatusBadRequest)
	res := e.post(admin, "/backoffice/v1/staff/bob/role", map[string]any{"role": "operations"}, key("role-bob"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "operations", res.json(t)["role"])
}
