package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// hookURL is a partner's endpoint the production URL policy accepts.
const hookURL = "https://hooks.partner.example/loanflow"

func (e *env) put(c creds, path string, body any) response {
	e.t.Helper()
	return e.do(request{method: http.MethodPut, path: path, creds: &c, body: body})
}

func (e *env) delete(c creds, path string) response {
	e.t.Helper()
	return e.do(request{method: http.MethodDelete, path: path, creds: &c})
}

// setWebhook creates the partner's endpoint and returns its secret.
func (e *env) setWebhook(c creds, url string, events ...string) string {
	e.t.Helper()
	res := e.put(c, "/v1/webhook", map[string]any{"url": url, "events": events})
	require.Equal(e.t, http.StatusCreated, res.Code, res.Body.String())
	return res.json(e.t)["secret"].(string)
}

// storedWebhook is the partner's endpoint as stored (its secrets sealed).
func (e *env) storedWebhook(username string) *models.WebhookEndpoint {
	e.t.Helper()
	ep, err := e.store.WebhookEndpoint(context.Background(), e.partner(username).ID)
	require.NoError(e.t, err)
	return ep
}

// insertWebhookEvent stores an event of the partner's loan in the given
// delivery state, as the outbox and the delivery would have left it.
func (e *env) insertWebhookEvent(username string, ref int64, status string) *models.WebhookEvent {
	e.t.Helper()
	ev := &models.WebhookEvent{
		MessageID: models.NewWebhookMessageID(), PartnerID: e.partner(username).ID, LoanRef: ref,
		Type:    lending.EventStatusChanged,
		Payload: fmt.Sprintf(`{"type":"loan.status_changed","timestamp":"2025-03-10T09:00:00Z","data":{"loan_ref":%d,"status":"CANCELLED","currency":"MDL","amount":"2000","total_repayable":"2214.3","repaid":"0","from":"SUBMITTED","to":"CANCELLED","action":"cancel"}}`, ref),
		Status:  status, DeliverUntil: testNow.Add(-time.Hour), CreatedAt: testNow.Add(-73 * time.Hour),
	}
	require.NoError(e.t, e.store.DB.Create(ev).Error)
	return ev
}

// TestWebhookEndpointLifecycle: a partner creates its endpoint (the secret
// answered once), reads it (never the secret), changes it (the secret
// stays) and removes it.
func TestWebhookEndpointLifecycle(t *testing.T) {
	e := newEnv(t)
	p := e.get(demo, "/v1/webhook").problem(t, http.StatusNotFound)
	require.Contains(t, p.Detail, "PUT /v1/webhook")

	res := e.put(demo, "/v1/webhook", map[string]any{"url": hookURL, "events": []string{"loan.status_changed", "loan.settled"}})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	body := res.json(t)
	secret := body["secret"].(string)
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, secret)
	require.Equal(t, "no-store", res.Header().Get("Cache-Control"), "no cache keeps the secret")
	require.Equal(t, hookURL, body["url"])
	require.Equal(t, []any{"loan.status_changed", "loan.settled"}, body["events"])
	require.Equal(t, false, body["allow_private"])
	require.Equal(t, false, body["previous_secret_signing"])
	require.Nil(t, body["previous_secret_until"])
	require.Equal(t, testNow.UTC().Format(time.RFC3339), body["created_at"])
	stored := e.storedWebhook("demo")
	require.NotContains(t, stored.Secret, secret, "sealed at rest")

	res = e.get(demo, "/v1/webhook")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.NotContains(t, res.Body.String(), secret)
	require.NotContains(t, res.json(t), "secret")
	require.Equal(t, hookURL, res.json(t)["url"])

	// A change keeps the secret and does not show it.
	res = e.put(demo, "/v1/webhook", map[string]any{"url": hookURL + "/v2", "events": []string{"loan.overdue"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.NotContains(t, res.json(t), "secret")
	require.Equal(t, []any{"loan.overdue"}, res.json(t)["events"])
	require.Equal(t, stored.Secret, e.storedWebhook("demo").Secret)
	res = e.get(demo, "/v1/webhook")
	require.Equal(t, hookURL+"/v2", res.json(t)["url"])

	// Another partner has none.
	e.get(other, "/v1/webhook").problem(t, http.StatusNotFound)
	e.delete(other, "/v1/webhook").problem(t, http.StatusNotFound)

	res = e.delete(demo, "/v1/webhook")
	require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
	require.Empty(t, res.Body.String())
	e.get(demo, "/v1/webhook").problem(t, http.StatusNotFound)
	e.delete(demo, "/v1/webhook").problem(t, http.StatusNotFound)

	// Made again, it has a new secret.
	require.NotEqual(t, secret, e.setWebhook(demo, hookURL, "loan.settled"))
}

// TestWebhookEndpointRefusesBadInput: every bad field is named at once,
// and nothing is stored.
func TestWebhookEndpointRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	events := []string{"loan.status_changed"}
	bad := []struct {
		name   string
		body   any
		fields []string
	}{
		{"plain http", map[string]any{"url": "http://hooks.partner.example/loanflow", "events": events}, []string{"url"}},
		{"localhost", map[string]any{"url": "https://localhost/hook", "events": events}, []string{"url"}},
		{"private address", map[string]any{"url": "https://10.0.0.1/hook", "events": events}, []string{"url"}},
		{"loopback address", map[string]any{"url": "https://127.0.0.1:8443/hook", "events": events}, []string{"url"}},
		{"credentials", map[string]any{"url": "https://user:pw@hooks.partner.example/", "events": events}, []string{"url"}},
		{"relative", map[string]any{"url": "/hook", "events": events}, []string{"url"}},
		{"no url", map[string]any{"events": events}, []string{"url"}},
		{"no events", map[string]any{"url": hookURL}, []string{"events"}},
		{"empty events", map[string]any{"url": hookURL, "events": []string{}}, []string{"events"}},
		{"unknown event", map[string]any{"url": hookURL, "events": []string{"loan.status_changed", "loan.exploded"}}, []string{"events[1]"}},
		{"duplicate event", map[string]any{"url": hookURL, "events": []string{"loan.settled", "loan.overdue", "loan.settled"}}, []string{"events[2]"}},
		{"all at once", map[string]any{"url": "http://10.0.0.1/", "events": []string{"nope", "loan.settled", "loan.settled"}}, []string{"url", "events[0]", "events[2]"}},
		{"events not a list", map[string]any{"url": hookURL, "events": "loan.settled"}, []string{"events"}},
		{"event not a string", map[string]any{"url": hookURL, "events": []any{"loan.settled", 7}}, []string{"events[1]"}},
		{"unknown field", map[string]any{"url": hookURL, "events": events, "allow_private": true}, []string{"allow_private"}},
		{"no body", "", []string{"body"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := e.put(demo, "/v1/webhook", tc.body).problem(t, http.StatusBadRequest)
			require.Equal(t, tc.fields, p.fields())
			require.Equal(t, problemTypePrefix+"invalid-request", p.Type)
		})
	}
	e.get(demo, "/v1/webhook").problem(t, http.StatusNotFound)

	// A form post is not JSON.
	res := e.do(request{method: http.MethodPut, path: "/v1/webhook", creds: &demo, body: "url=x",
		headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	require.Equal(t, []string{"Content-Type"}, res.problem(t, http.StatusUnsupportedMediaType).fields())
}

// TestWebhookSecretRotation: a rotation needs an Idempotency-Key; the same
// key answers the same secret without rotating again, another key rotates
// again, and a key whose secret was replaced since rotates nothing.
func TestWebhookSecretRotation(t *testing.T) {
	e := newEnv(t)
	const rotate = "/v1/webhook/rotate-secret"
	e.post(demo, rotate, nil, key("no-endpoint")).problem(t, http.StatusNotFound)
	first := e.setWebhook(demo, hookURL, "loan.status_changed")
	created := e.storedWebhook("demo")

	p := e.post(demo, rotate, nil, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{idempotencyHeader}, p.fields())
	p = e.post(demo, rotate, map[string]any{"force": true}, key("r-1")).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"force"}, p.fields())
	require.Equal(t, created.Secret, e.storedWebhook("demo").Secret, "nothing rotated")

	res := e.post(demo, rotate, nil, key("r-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, res.Header().Get(replayedHeader))
	body := res.json(t)
	second := body["secret"].(string)
	require.Regexp(t, `^whsec_`, second)
	require.Equal(t, "no-store", res.Header().Get("Cache-Control"))
	require.NotEqual(t, first, second)
	require.Equal(t, true, body["previous_secret_signing"])
	require.Equal(t, testNow.Add(24*time.Hour).UTC().Format(time.RFC3339), body["previous_secret_until"])
	afterFirst := e.storedWebhook("demo")

	// The same key: the same secret, nothing rotated.
	res = e.post(demo, rotate, nil, key("r-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "true", res.Header().Get(replayedHeader))
	require.Equal(t, second, res.json(t)["secret"])
	require.Equal(t, afterFirst.Secret, e.storedWebhook("demo").Secret)
	require.Equal(t, afterFirst.PreviousSecret, e.storedWebhook("demo").PreviousSecret)

	// The reads show the rotation, never a secret.
	res = e.get(demo, "/v1/webhook")
	require.Equal(t, true, res.json(t)["previous_secret_signing"])
	require.NotContains(t, res.Body.String(), second)
	require.NotContains(t, res.Body.String(), first)

	// Another key: another secret.
	res = e.post(demo, rotate, nil, key("r-2"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	third := res.json(t)["secret"].(string)
	require.NotEqual(t, second, third)
	require.NotEqual(t, first, third)
	afterSecond := e.storedWebhook("demo")
	require.Equal(t, afterFirst.Secret, afterSecond.PreviousSecret, "the replaced secret signs beside the new one")

	// r-1 again, late: its secret is no longer the endpoint's; it does not
	// rotate a third time.
	e.post(demo, rotate, nil, key("r-1")).problem(t, http.StatusConflict)
	require.Equal(t, afterSecond.Secret, e.storedWebhook("demo").Secret)

	// A key the partner used for another keyed action is not a rotation's.
	ref := e.submit(demo, "loan-key")
	res = e.post(demo, fmt.Sprintf("/v1/loans/%d/cancel", ref), map[string]any{"reason": "changed their mind"}, key("cancel-key"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	p = e.post(demo, rotate, nil, key("cancel-key")).problem(t, http.StatusConflict)
	require.Equal(t, problemTypePrefix+"idempotency-conflict", p.Type)
	require.Equal(t, afterSecond.Secret, e.storedWebhook("demo").Secret)

	// Keys are the partner's own: another partner's r-1 is its own rotation.
	otherFirst := e.setWebhook(other, hookURL, "loan.settled")
	res = e.post(other, rotate, nil, key("r-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, res.Header().Get(replayedHeader))
	require.NotEqual(t, otherFirst, res.json(t)["secret"])
	require.NotEqual(t, second, res.json(t)["secret"])
}

// TestWebhookDeliveriesAfterALoanTransition: with the real workflow, a
// loan's change writes an event for the partner's endpoint, which the
// partner's list shows pending; the other partner sees none of it.
func TestWebhookDeliveriesAfterALoanTransition(t *testing.T) {
	e, _ := newWorkflowEnv(t)
	e.setWebhook(demo, hookURL, "loan.status_changed")
	ref := e.submit(demo, "wh-loan")
	res := e.post(demo, fmt.Sprintf("/v1/loans/%d/cancel", ref), map[string]any{"reason": "changed their mind"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	res = e.get(demo, "/v1/webhook/deliveries")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	page := res.json(t)
	require.Equal(t, 1.0, page["page"])
	require.Equal(t, float64(models.DefaultListLimit), page["page_size"])
	items := page["items"].([]any)
	require.NotEmpty(t, items)
	require.Equal(t, float64(len(items)), page["total"])
	newest := items[0].(map[string]any)
	require.Equal(t, "loan.status_changed", newest["type"])
	require.Equal(t, float64(ref), newest["loan_ref"])
	require.Equal(t, "pending", newest["status"])
	require.Equal(t, 0.0, newest["attempts"])
	require.Nil(t, newest["last_status_code"])
	require.Nil(t, newest["delivered_at"])
	require.Regexp(t, `^msg_[a-z2-7]+$`, newest["message_id"])
	for _, it := range items {
		require.Equal(t, "loan.status_changed", it.(map[string]any)["type"], "only what the endpoint subscribes to")
	}
	// Its body, as the outbox wrote it (and the document describes it),
	// tells the cancellation.
	res = e.get(admin, fmt.Sprintf("/backoffice/v1/webhook-deliveries/%.0f", newest["id"]))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	payload := res.json(t)["payload"].(map[string]any)
	require.Equal(t, "loan.status_changed", payload["type"])
	data := payload["data"].(map[string]any)
	require.Equal(t, float64(ref), data["loan_ref"])
	require.Equal(t, "CANCELLED", data["to"])
	require.Equal(t, "CANCELLED", data["status"])
	require.NotContains(t, res.Body.String(), "Smith", "no personal data")
	require.Equal(t, []any{}, res.json(t)["attempt_log"])

	// Filters and paging.
	res = e.get(demo, fmt.Sprintf("/v1/webhook/deliveries?loan_ref=%d&status=pending&page_size=1", ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Len(t, res.json(t)["items"], 1)
	require.Equal(t, float64(len(items)), res.json(t)["total"])
	res = e.get(demo, "/v1/webhook/deliveries?status=delivered")
	require.Equal(t, 0.0, res.json(t)["total"])
	require.Equal(t, []any{}, res.json(t)["items"])
	res = e.get(demo, fmt.Sprintf("/v1/webhook/deliveries?loan_ref=%d", ref+1000))
	require.Equal(t, 0.0, res.json(t)["total"])
	p := e.get(demo, "/v1/webhook/deliveries?page=0&status=lost&loan_ref=abc").problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"page", "status", "loan_ref"}, p.fields())

	// Another partner sees none of demo's events, even asking for its loan.
	res = e.get(other, fmt.Sprintf("/v1/webhook/deliveries?loan_ref=%d", ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 0.0, res.json(t)["total"])
	require.NotContains(t, res.Body.String(), fmt.Sprint(ref))

	// Removing the endpoint cancels what is not delivered yet.
	require.Equal(t, http.StatusNoContent, e.delete(demo, "/v1/webhook").Code)
	res = e.get(demo, "/v1/webhook/deliveries?status=cancelled")
	require.Equal(t, float64(len(items)), res.json(t)["total"])

	// Admins see them all, with their partner.
	res = e.get(admin, fmt.Sprintf("/backoffice/v1/webhook-deliveries?loan_ref=%d", ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, float64(len(items)), res.json(t)["total"])
	require.Equal(t, "demo", res.json(t)["items"].([]any)[0].(map[string]any)["partner"])
}

// TestAdminSeesAndEditsWebhooks: admins list every endpoint (never a
// secret) and change one, granting the private-address exception.
func TestAdminSeesAndEditsWebhooks(t *testing.T) {
	e := newEnv(t)
	secret := e.setWebhook(demo, hookURL, "loan.status_changed")
	sealed := e.storedWebhook("demo").Secret

	res := e.get(admin, "/backoffice/v1/webhooks")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.NotContains(t, res.Body.String(), secret)
	require.NotContains(t, res.Body.String(), "whsec_")
	list := res.json(t)["webhooks"].([]any)
	require.Len(t, list, 1, "other has no endpoint")
	item := list[0].(map[string]any)
	require.Equal(t, "demo", item["partner"])
	require.Equal(t, hookURL, item["url"])
	require.Equal(t, []any{"loan.status_changed"}, item["events"])
	require.Equal(t, false, item["allow_private"])
	require.Equal(t, false, item["previous_secret_signing"])

	// A rotation shows as a previous secret still signing.
	require.Equal(t, http.StatusOK, e.post(demo, "/v1/webhook/rotate-secret", nil, key("rot")).Code)
	item = e.get(admin, "/backoffice/v1/webhooks").json(t)["webhooks"].([]any)[0].(map[string]any)
	require.Equal(t, true, item["previous_secret_signing"])
	require.Equal(t, testNow.Add(24*time.Hour).UTC().Format(time.RFC3339), item["previous_secret_until"])
	sealed = e.storedWebhook("demo").Secret

	const edit = "/backoffice/v1/partners/demo/webhook"
	private := "https://10.0.0.5/hook"
	p := e.put(admin, edit, map[string]any{"url": private, "events": []string{"loan.settled"}}).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"url"}, p.fields(), "no exception unless granted")
	p = e.put(admin, edit, map[string]any{"url": "http://10.0.0.5/hook", "events": []string{"loan.settled"}, "allow_private": true}).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"url"}, p.fields(), "https even then")
	p = e.put(admin, edit, map[string]any{"url": private, "events": []string{"loan.settled", "loan.settled"}, "allow_private": "yes"}).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"allow_private"}, p.fields())
	p = e.put(admin, edit, map[string]any{"url": private, "events": []string{"loan.settled", "loan.settled"}, "allow_private": true}).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"events[1]"}, p.fields())
	require.Equal(t, hookURL, e.storedWebhook("demo").URL, "nothing changed")

	res = e.put(admin, edit, map[string]any{"url": private, "events": []string{"loan.settled", "document.rejected"}, "allow_private": true})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	body := res.json(t)
	require.Equal(t, "demo", body["partner"])
	require.Equal(t, private, body["url"])
	require.Equal(t, []any{"loan.settled", "document.rejected"}, body["events"])
	require.Equal(t, true, body["allow_private"])
	require.NotContains(t, body, "secret")
	stored := e.storedWebhook("demo")
	require.True(t, stored.AllowPrivate)
	require.Equal(t, sealed, stored.Secret, "the secret stays")

	// The partner sees the change; its own change on the same host keeps
	// the exception, which admits that host only.
	res = e.get(demo, "/v1/webhook")
	require.Equal(t, private, res.json(t)["url"])
	require.Equal(t, true, res.json(t)["allow_private"])
	res = e.put(demo, "/v1/webhook", map[string]any{"url": private + "/v2", "events": []string{"loan.settled"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, true, res.json(t)["allow_private"])
	p = e.put(demo, "/v1/webhook", map[string]any{"url": "https://10.0.0.9/hook", "events": []string{"loan.settled"}}).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"url"}, p.fields())
	require.Equal(t, private+"/v2", e.storedWebhook("demo").URL, "nothing changed")
	res = e.put(demo, "/v1/webhook", map[string]any{"url": hookURL + "/elsewhere", "events": []string{"loan.settled"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, false, res.json(t)["allow_private"], "pointed elsewhere, the endpoint loses the exception")
	p = e.put(demo, "/v1/webhook", map[string]any{"url": private, "events": []string{"loan.settled"}}).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"url"}, p.fields(), "and cannot come back on its own")
	res = e.put(admin, edit, map[string]any{"url": private, "events": []string{"loan.settled"}, "allow_private": true})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	// Withdrawn, the private address goes with it.
	p = e.put(admin, edit, map[string]any{"url": private, "events": []string{"loan.settled"}, "allow_private": false}).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"url"}, p.fields())
	res = e.put(admin, edit, map[string]any{"url": hookURL, "events": []string{"loan.settled"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, false, res.json(t)["allow_private"])

	// An endpoint must exist: the partner makes it.
	e.put(admin, "/backoffice/v1/partners/other/webhook", map[string]any{"url": hookURL, "events": []string{"loan.settled"}}).
		problem(t, http.StatusNotFound)
	e.put(admin, "/backoffice/v1/partners/nobody/webhook", map[string]any{"url": hookURL, "events": []string{"loan.settled"}}).
		problem(t, http.StatusNotFound)
	_, err := e.store.WebhookEndpoint(context.Background(), e.partner("other").ID)
	require.ErrorIs(t, err, models.ErrNotFound)

	// The console's audit log has the edits.
	var events []models.ConsoleEvent
	require.NoError(t, e.store.DB.Where("action = ?", "edit_webhook").Order("id").Find(&events).Error)
	require.NotEmpty(t, events)
}

// TestWebhookAdminAPIRefusesOthers: the admin webhook routes are for admins
// only, before anything is read.
func TestWebhookAdminAPIRefusesOthers(t *testing.T) {
	e := newEnv(t)
	e.setWebhook(demo, hookURL, "loan.status_changed")
	l := e.insertLoan("demo", lending.StatusCancelled, "2000.00")
	ev := e.insertWebhookEvent("demo", l.Ref, models.WebhookFailed)
	routes := []struct{ method, path string }{
		{http.MethodGet, "/backoffice/v1/webhooks"},
		{http.MethodPut, "/backoffice/v1/partners/demo/webhook"},
		{http.MethodGet, "/backoffice/v1/webhook-deliveries"},
		{http.MethodGet, fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d", ev.ID)},
		{http.MethodPost, fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d/redeliver", ev.ID)},
	}
	for _, r := range routes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, who := range []creds{underwriter, operations} {
				body := map[string]any{"url": "https://10.0.0.5/hook", "events": []string{"loan.settled"}, "allow_private": true}
				e.do(request{method: r.method, path: r.path, creds: &who, body: body}).problem(t, http.StatusForbidden)
			}
			e.do(request{method: r.method, path: r.path}).problem(t, http.StatusUnauthorized)
			// A partner's credentials are not staff's.
			e.do(request{method: r.method, path: r.path, creds: &demo}).problem(t, http.StatusUnauthorized)
		})
	}
	require.Equal(t, hookURL, e.storedWebhook("demo").URL)
	require.False(t, e.storedWebhook("demo").AllowPrivate)
	require.Empty(t, e.engine.Kicks())
}

// TestAdminWebhookDeliveries: admins list every partner's events, read one
// with its attempts, and send one again, which wakes the partner's
// delivery.
func TestAdminWebhookDeliveries(t *testing.T) {
	e := newEnv(t)
	e.setWebhook(demo, hookURL, "loan.status_changed")
	e.setWebhook(other, hookURL, "loan.status_changed")
	demoLoan := e.insertLoan("demo", lending.StatusCancelled, "2000.00")
	otherLoan := e.insertLoan("other", lending.StatusCancelled, "2000.00")
	failed := e.insertWebhookEvent("demo", demoLoan.Ref, models.WebhookFailed)
	delivered := e.insertWebhookEvent("other", otherLoan.Ref, models.WebhookDelivered)
	attempts := []models.WebhookAttempt{
		{EventID: failed.ID, Attempt: 1, At: testNow.Add(-72 * time.Hour), StatusCode: 500, Response: `{"error":"busy"}`, DurationMS: 120},
		{EventID: failed.ID, Attempt: 2, At: testNow.Add(-71 * time.Hour), Error: "dial tcp: connection refused", DurationMS: 3},
	}
	require.NoError(t, e.store.DB.Create(&attempts).Error)
	require.NoError(t, e.store.DB.Model(failed).Updates(map[string]any{"attempts": 2, "last_status_code": 500,
		"last_error": "dial tcp: connection refused", "last_attempt_at": attempts[1].At}).Error)

	res := e.get(admin, "/backoffice/v1/webhook-deliveries")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 2.0, res.json(t)["total"])
	items := res.json(t)["items"].([]any)
	require.Equal(t, "other", items[0].(map[string]any)["partner"], "newest first")
	require.Equal(t, "demo", items[1].(map[string]any)["partner"])
	require.Equal(t, 500.0, items[1].(map[string]any)["last_status_code"])

	res = e.get(admin, "/backoffice/v1/webhook-deliveries?partner=demo&status=failed")
	require.Equal(t, 1.0, res.json(t)["total"])
	require.Equal(t, float64(failed.ID), res.json(t)["items"].([]any)[0].(map[string]any)["id"])
	res = e.get(admin, "/backoffice/v1/webhook-deliveries?partner=other&status=failed")
	require.Equal(t, 0.0, res.json(t)["total"])
	p := e.get(admin, "/backoffice/v1/webhook-deliveries?partner=nobody&status=done&page_size=0").problem(t, http.StatusBadRequest)
	require.ElementsMatch(t, []string{"page_size", "status", "partner"}, p.fields())

	// One event: its body and its attempts.
	res = e.get(admin, fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d", failed.ID))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	d := res.json(t)
	require.Equal(t, "demo", d["partner"])
	require.Equal(t, "failed", d["status"])
	require.Equal(t, failed.MessageID, d["message_id"])
	payload := d["payload"].(map[string]any)
	require.Equal(t, "loan.status_changed", payload["type"])
	require.Equal(t, float64(demoLoan.Ref), payload["data"].(map[string]any)["loan_ref"])
	log := d["attempt_log"].([]any)
	require.Len(t, log, 2)
	require.Equal(t, map[string]any{"attempt": 1.0, "at": testNow.Add(-72 * time.Hour).UTC().Format(time.RFC3339),
		"status_code": 500.0, "response": `{"error":"busy"}`, "error": "", "duration_ms": 120.0}, log[0])
	require.Nil(t, log[1].(map[string]any)["status_code"])
	require.Equal(t, "dial tcp: connection refused", log[1].(map[string]any)["error"])
	e.get(admin, "/backoffice/v1/webhook-deliveries/999999").problem(t, http.StatusNotFound)
	e.get(admin, "/backoffice/v1/webhook-deliveries/abc").problem(t, http.StatusNotFound)

	// Redelivery: pending again for another 72 hours, the delivery woken.
	redeliver := fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d/redeliver", failed.ID)
	res = e.post(admin, redeliver, nil, key("again-1"))
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	body := res.json(t)
	require.Equal(t, "pending", body["status"])
	require.Equal(t, "demo", body["partner"])
	require.Equal(t, testNow.Add(models.WebhookDeliveryWindow).UTC().Format(time.RFC3339), body["deliver_until"])
	require.Equal(t, []uint{e.partner("demo").ID}, e.engine.Kicks())

	// A retry with the key answers the event and wakes nothing again.
	res = e.post(admin, redeliver, nil, key("again-1"))
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	require.Equal(t, "true", res.Header().Get(replayedHeader))
	require.Equal(t, "pending", res.json(t)["status"])
	require.Len(t, e.engine.Kicks(), 1)

	res = e.post(admin, fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d/redeliver", delivered.ID), nil, nil)
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	require.Equal(t, "other", res.json(t)["partner"])
	require.Equal(t, []uint{e.partner("demo").ID, e.partner("other").ID}, e.engine.Kicks())

	// Unknown ids are not found; an event whose endpoint is gone is a conflict.
	e.post(admin, "/backoffice/v1/webhook-deliveries/999999/redeliver", nil, nil).problem(t, http.StatusNotFound)
	e.post(admin, "/backoffice/v1/webhook-deliveries/0/redeliver", nil, nil).problem(t, http.StatusNotFound)
	e.post(admin, "/backoffice/v1/webhook-deliveries/abc/redeliver", nil, nil).problem(t, http.StatusNotFound)
	require.Equal(t, http.StatusNoContent, e.delete(other, "/v1/webhook").Code)
	e.post(admin, fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d/redeliver", delivered.ID), nil, nil).problem(t, http.StatusConflict)
	p = e.post(admin, redeliver, map[string]any{"now": true}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"now"}, p.fields())
	require.Len(t, e.engine.Kicks(), 2)

	// The partners' own lists: each its own events.
	res = e.get(demo, "/v1/webhook/deliveries")
	require.Equal(t, 1.0, res.json(t)["total"])
	require.Equal(t, float64(failed.ID), res.json(t)["items"].([]any)[0].(map[string]any)["id"])
	res = e.get(other, fmt.Sprintf("/v1/webhook/deliveries?loan_ref=%d", demoLoan.Ref))
	require.Equal(t, 0.0, res.json(t)["total"])
}
