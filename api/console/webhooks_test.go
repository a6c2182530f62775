package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// hostileBody is an endpoint's answer that would run in the page unescaped.
const hostileBody = `<script>alert("pwned")</script> upstream says no`

// webhookFixture is partners demo and other with endpoints, and events of
// each partner's loans shaped into every delivery state the pages show.
type webhookFixture struct {
	demo, other *models.Partner
	// demoSecret is demo's signing secret, shown once when it was set.
	demoSecret string
	loan       *models.Loan // demo's, approved
	otherLoan  *models.Loan // other's, submitted
	// delivered was tried twice, a 500 with hostileBody then a 200;
	// failed was refused at connect and given up; pending is other's,
	// never tried.
	delivered, failed, pending models.WebhookEvent
}

// webhooks sets demo's and other's endpoints through the service and
// takes loans through the real workflow, whose writes put their events in
// the outbox; the attempts are recorded as the delivery workflow would.
func (e *env) webhooks() webhookFixture {
	t := e.t
	t.Helper()
	ctx := context.Background()
	f := webhookFixture{demo: e.kit.Partner(testkit.Demo), other: e.kit.Partner(testkit.Other)}
	var err error
	_, f.demoSecret, err = e.kit.Service.PutWebhook(ctx, f.demo, "https://hooks.demo.example/loanflow",
		[]string{string(lending.EventStatusChanged), string(lending.EventDocumentRejected)})
	require.NoError(t, err)
	require.NotEmpty(t, f.demoSecret)
	_, _, err = e.kit.Service.PutWebhook(ctx, f.other, "https://other.example/hooks", []string{string(lending.EventStatusChanged)})
	require.NoError(t, err)

	f.loan = e.loanIn(lending.StatusApproved, "2000", time.Hour)
	f.otherLoan = e.aged(time.Hour, func() *models.Loan {
		l, _, err := e.kit.Service.SubmitLoan(ctx, f.other, "other-1", e.application("3000"))
		require.NoError(t, err)
		return l
	})
	demoEvents := e.deliveries(models.WebhookEventFilter{PartnerID: f.demo.ID})
	require.GreaterOrEqual(t, len(demoEvents), 2, "the submission and the approval")
	otherEvents := e.deliveries(models.WebhookEventFilter{PartnerID: f.other.ID})
	require.NotEmpty(t, otherEvents)

	now := e.clock.Now()
	newest, older := demoEvents[0], demoEvents[1]
	require.NoError(t, e.store.RecordWebhookAttempt(ctx, models.WebhookAttempt{EventID: newest.ID, Attempt: 1, At: now.Add(-time.Minute),
		StatusCode: 500, Response: hostileBody, Error: "HTTP 500", DurationMS: 182}, false))
	require.NoError(t, e.store.RecordWebhookAttempt(ctx, models.WebhookAttempt{EventID: newest.ID, Attempt: 2, At: now,
		StatusCode: 200, Response: `{"ok":true}`, DurationMS: 45}, true))
	require.NoError(t, e.store.RecordWebhookAttempt(ctx, models.WebhookAttempt{EventID: older.ID, Attempt: 1, At: now,
		Error: "dial tcp: connection refused", DurationMS: 3}, false))
	require.NoError(t, e.store.FailWebhookEvent(ctx, older.ID, "not delivered within 72 hours"))
	f.delivered, f.failed, f.pending = *e.delivery(newest.ID), *e.delivery(older.ID), otherEvents[0]
	require.Equal(t, models.WebhookDelivered, f.delivered.Status)
	require.Equal(t, models.WebhookFailed, f.failed.Status)
	require.Equal(t, models.WebhookPending, f.pending.Status)
	return f
}

// deliveries lists the events f selects, newest first.
func (e *env) deliveries(f models.WebhookEventFilter) []models.WebhookEvent {
	e.t.Helper()
	f.Limit = models.MaxListLimit
	evs, _, err := e.store.WebhookEvents(context.Background(), f)
	require.NoError(e.t, err)
	return evs
}

func (e *env) delivery(id uint) *models.WebhookEvent {
	e.t.Helper()
	ev, err := e.store.WebhookEvent(context.Background(), id, 0)
	require.NoError(e.t, err)
	return ev
}

func (e *env) endpoint(p *models.Partner) *models.WebhookEndpoint {
	e.t.Helper()
	ep, err := e.store.WebhookEndpoint(context.Background(), p.ID)
	require.NoError(e.t, err)
	return ep
}

// kicks are the partners whose webhook delivery the service woke.
func (e *env) kicks() []uint {
	e.t.Helper()
	eng, ok := e.kit.Engine.(*testkit.Engine)
	require.True(e.t, ok)
	return eng.Kicks()
}

func deliveryURL(id uint) string { return fmt.Sprintf("%s/admin/webhooks/deliveries/%d", Prefix, id) }

// deliveryIDs lists the deliveries of a deliveries page in display order.
func deliveryIDs(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr data-delivery="(\d+)">`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func idsOf(evs ...models.WebhookEvent) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = strconv.FormatUint(uint64(ev.ID), 10)
	}
	return out
}

// webhookFormValues is an endpoint's edit form as a browser sends it.
func webhookFormValues(u string, allowPrivate bool, events ...lending.EventType) url.Values {
	v := url.Values{"url": {u}}
	for _, t := range events {
		v.Add("events", string(t))
	}
	if allowPrivate {
		v.Set("allow_private", "on")
	}
	return v
}

func TestAdminSeesWebhookEndpoints(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	b := e.signedIn(admin)
	has(t, b.last, `href="/backoffice/admin/webhooks"`, "in the admin's navigation")
	res := b.get(Prefix + "/admin/webhooks")
	require.Equal(t, http.StatusOK, res.Code)
	page := res.Body.String()
	has(t, page, `<a href="/backoffice/admin/webhooks" class="on">Webhooks</a>`)
	has(t, page, `<tr data-partner="demo">`)
	has(t, page, `<tr data-partner="other">`)
	lacks(t, page, `<tr data-partner="shop">`, "a partner without an endpoint")
	has(t, page, "https://hooks.demo.example/loanflow")
	has(t, page, "https://other.example/hooks")
	has(t, page, "<code>loan.status_changed</code>, <code>document.rejected</code>")
	has(t, page, `<form method="post" action="/backoffice/admin/webhooks/demo" id="edit-webhook-demo">`)
	has(t, page, `<input type="checkbox" name="events" value="document.rejected" checked>`)
	has(t, page, `<input type="checkbox" name="events" value="loan.overdue" >`)
	lacks(t, page, `name="allow_private" checked`)
	lacks(t, page, f.demoSecret, "the signing secret is the partner's alone")
	lacks(t, page, e.endpoint(f.demo).Secret, "nor its sealed form")

	empty := newEnv(t).signedIn(admin)
	has(t, empty.get(Prefix+"/admin/webhooks").Body.String(), "No partner has a webhook endpoint.")
}

// TestWebhookPagesAreForAdminsOnly: underwriters and operations neither
// see the pages in their navigation nor reach them, and a refused edit or
// redelivery is audited and changes nothing.
func TestWebhookPagesAreForAdminsOnly(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	kicks := len(e.kicks())
	for _, c := range []creds{underwriter, operations} {
		nb := e.signedIn(c)
		lacks(t, nb.last, `href="/backoffice/admin/webhooks"`)
		for _, path := range []string{"/admin/webhooks", "/admin/webhooks/deliveries", "/admin/webhooks/deliveries/" + idsOf(f.delivered)[0]} {
			res := nb.get(Prefix + path)
			require.Equal(t, http.StatusForbidden, res.Code, path)
			has(t, res.Body.String(), "Not for your role")
		}
		res := nb.post(Prefix+"/admin/webhooks/demo", webhookFormValues("https://evil.example/", true, lending.EventStatusChanged))
		require.Equal(t, http.StatusForbidden, res.Code)
		require.Equal(t, models.OutcomeDenied, e.lastEvent(actionEditWebhook).Outcome)
		nb.get(Prefix + "/account/password")
		res = nb.post(deliveryURL(f.delivered.ID)+"/redeliver", nil)
		require.Equal(t, http.StatusForbidden, res.Code)
		require.Equal(t, models.OutcomeDenied, e.lastEvent(actionRedeliverWebhook).Outcome)
	}
	require.Equal(t, "https://hooks.demo.example/loanflow", e.endpoint(f.demo).URL)
	require.False(t, e.endpoint(f.demo).AllowPrivate)
	require.Equal(t, models.WebhookDelivered, e.delivery(f.delivered.ID).Status)
	require.Len(t, e.kicks(), kicks, "a refused redelivery wakes nothing")
}

func TestAdminEditsWebhook(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	b := e.signedIn(admin)
	before := e.endpoint(f.demo)
	cases := []struct {
		name, field, msg string
		form             url.Values
	}{
		{"not a url", "url", "Must be an absolute URL.", webhookFormValues("hooks.demo.example", false, lending.EventStatusChanged)},
		{"plain http", "url", "Must use https.", webhookFormValues("http://hooks.demo.example/", false, lending.EventStatusChanged)},
		{"private address", "url", "Must not be a private, loopback or link-local address.", webhookFormValues("https://10.1.2.3/hook", false, lending.EventStatusChanged)},
		{"no url", "url", "Is required.", webhookFormValues(" ", false, lending.EventStatusChanged)},
		{"no events", "events", "Name at least one of loan.status_changed", webhookFormValues("https://hooks.demo.example/v2", false)},
		{"unknown event", "events", "Must be one of loan.status_changed", webhookFormValues("https://hooks.demo.example/v2", false, "loan.exploded")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b.get(Prefix + "/admin/webhooks")
			res := b.post(Prefix+"/admin/webhooks/demo", tc.form)
			require.Equal(t, http.StatusBadRequest, res.Code)
			page := res.Body.String()
			has(t, page, "The webhook of partner demo was not changed.")
			// The message is in demo's form, under its field, and nowhere else.
			form := page[strings.Index(page, `id="edit-webhook-demo"`):]
			form = form[:strings.Index(form, "</form>")]
			label := map[string]string{"url": `<label for="url-demo">URL</label>`, "events": `<label id="events-demo">Events</label>`}[tc.field]
			var field string
			for _, chunk := range strings.Split(form, `<div class="field `) {
				if strings.Contains(chunk, label) {
					field = chunk
				}
			}
			require.True(t, strings.HasPrefix(field, `bad"`), "the field is marked")
			has(t, field, `<div class="err">`+tc.msg)
			require.Equal(t, 1, strings.Count(page, `<div class="err">`))
			has(t, form, `value="`+strings.TrimSpace(tc.form.Get("url"))+`"`, "the URL as typed")
			require.Equal(t, *before, *e.endpoint(f.demo), "nothing changed")
			ev := e.lastEvent(actionEditWebhook)
			require.Equal(t, models.OutcomeRefused, ev.Outcome)
			require.Equal(t, "webhook of partner demo", ev.Target)
		})
	}

	b.get(Prefix + "/admin/webhooks")
	res := b.post(Prefix+"/admin/webhooks/demo", webhookFormValues(" https://10.1.2.3/hook ", true, lending.EventStatusChanged, lending.EventSettled))
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	has(t, b.follow(res), "The webhook of partner demo is saved: https://10.1.2.3/hook, 2 event types, private addresses allowed. Its signing secret is unchanged.")
	after := e.endpoint(f.demo)
	require.Equal(t, "https://10.1.2.3/hook", after.URL)
	require.Equal(t, "loan.status_changed,loan.settled", after.Events)
	require.True(t, after.AllowPrivate)
	require.Equal(t, before.Secret, after.Secret, "an edit keeps the signing secret")
	ev := e.lastEvent(actionEditWebhook)
	require.Equal(t, models.OutcomeOK, ev.Outcome)
	require.Equal(t, "https://10.1.2.3/hook, events loan.status_changed,loan.settled, private addresses true", ev.Detail)
	page := b.get(Prefix + "/admin/webhooks").Body.String()
	has(t, page, `name="allow_private" checked`)
	has(t, page, `<input type="checkbox" name="events" value="loan.settled" checked>`)
	has(t, page, `<span class="badge waiting">yes</span>`)

	// Taking the exception back refuses the private address again.
	res = b.post(Prefix+"/admin/webhooks/demo", webhookFormValues("https://10.1.2.3/hook", false, lending.EventStatusChanged))
	require.Equal(t, http.StatusBadRequest, res.Code)
	require.True(t, e.endpoint(f.demo).AllowPrivate)

	t.Run("no such endpoint", func(t *testing.T) {
		for _, who := range []string{"shop", "nobody"} {
			b.get(Prefix + "/admin/webhooks")
			res := b.post(Prefix+"/admin/webhooks/"+who, webhookFormValues("https://shop.example/", false, lending.EventStatusChanged))
			require.Equal(t, http.StatusNotFound, res.Code, who)
			require.Equal(t, models.OutcomeRefused, e.lastEvent(actionEditWebhook).Outcome)
		}
		_, err := e.store.WebhookEndpoint(context.Background(), e.kit.Partner(testkit.Shop).ID)
		require.ErrorIs(t, err, models.ErrNotFound, "an edit makes no endpoint")
	})

	t.Run("a partner named like a page", func(t *testing.T) {
		ctx := context.Background()
		p, _, err := e.kit.Service.CreatePartner(ctx, service.Admin{Staff: e.staff(admin)},
			service.NewPartner{Username: "deliveries", Name: "Deliveries Ltd", PartnerType: "post", DefaultProduct: "consumer"})
		require.NoError(t, err)
		_, _, err = e.kit.Service.PutWebhook(ctx, p, "https://deliveries.example/", []string{string(lending.EventStatusChanged)})
		require.NoError(t, err)
		b.get(Prefix + "/admin/webhooks")
		res := b.post(Prefix+"/admin/webhooks/deliveries", webhookFormValues("https://deliveries.example/v2", false, lending.EventOverdue))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
		require.Equal(t, "https://deliveries.example/v2", e.endpoint(p).URL)
	})
}

func TestWebhookDeliveries(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	b := e.signedIn(admin)
	all := e.deliveries(models.WebhookEventFilter{})
	res := b.get(Prefix + "/admin/webhooks/deliveries")
	require.Equal(t, http.StatusOK, res.Code)
	page := res.Body.String()
	require.Equal(t, idsOf(all...), deliveryIDs(page), "every delivery, newest first")
	has(t, page, fmt.Sprintf("1–%d of %d", len(all), len(all)))
	row := page[regexp.MustCompile(`<tr data-delivery="` + idsOf(f.delivered)[0] + `">`).FindStringIndex(page)[0]:]
	row = row[:regexp.MustCompile(`</tr>`).FindStringIndex(row)[1]]
	for _, want := range []string{
		`href="/backoffice/admin/webhooks/deliveries/` + idsOf(f.delivered)[0] + `"`, f.delivered.MessageID,
		"<td>demo</td>", fmt.Sprintf(`<a href="/backoffice/loans/%d">%d</a>`, f.loan.Ref, f.loan.Ref),
		"<code>" + string(f.delivered.Type) + "</code>", `<span class="badge good">delivered</span>`,
		`<td class="num">2</td>`, `<td class="num">200</td>`,
	} {
		has(t, row, want)
	}

	demoIDs := idsOf(e.deliveries(models.WebhookEventFilter{PartnerID: f.demo.ID})...)
	cases := []struct {
		name, query string
		want        []string
	}{
		{"delivered", "?status=delivered", idsOf(f.delivered)},
		{"failed", "?status=failed", idsOf(f.failed)},
		{"pending of other", "?status=pending&partner=other", idsOf(e.deliveries(models.WebhookEventFilter{PartnerID: f.other.ID})...)},
		{"partner", "?partner=demo", demoIDs},
		{"loan", fmt.Sprintf("?loan=%d", f.otherLoan.Ref), idsOf(e.deliveries(models.WebhookEventFilter{LoanRef: f.otherLoan.Ref})...)},
		{"loan and status", fmt.Sprintf("?loan=%d&status=failed", f.loan.Ref), idsOf(f.failed)},
		{"cancelled", "?status=cancelled", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get(Prefix + "/admin/webhooks/deliveries" + tc.query)
			require.Equal(t, http.StatusOK, res.Code)
			require.Equal(t, tc.want, deliveryIDs(res.Body.String()))
			if tc.want == nil {
				has(t, res.Body.String(), "No deliveries match.")
			}
		})
	}
	has(t, b.get(Prefix+"/admin/webhooks/deliveries?status=failed&partner=demo").Body.String(), `<option value="failed" selected>`)

	bad := []struct{ query, msg string }{
		{"?status=lost", "Unknown status."},
		{"?loan=abc", "Enter a loan number, such as 90001."},
		{"?loan=-4", "Enter a loan number, such as 90001."},
		{"?partner=nobody", "Unknown partner."},
	}
	for _, tc := range bad {
		t.Run(tc.query, func(t *testing.T) {
			res := b.get(Prefix + "/admin/webhooks/deliveries" + tc.query)
			require.Equal(t, http.StatusBadRequest, res.Code)
			has(t, res.Body.String(), tc.msg)
			has(t, res.Body.String(), "Some filters are not valid")
		})
	}
}

func TestWebhookDeliveriesArePaged(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	existing := len(e.deliveries(models.WebhookEventFilter{}))
	for i := range webhookPageSize + 2 - existing {
		require.NoError(t, e.store.DB.Create(&models.WebhookEvent{
			MessageID: fmt.Sprintf("msg_paging%d", i), PartnerID: f.demo.ID, LoanRef: f.loan.Ref, Type: lending.EventStatusChanged,
			Payload: "{}", Status: models.WebhookPending, DeliverUntil: e.clock.Now().Add(time.Hour), CreatedAt: e.clock.Now(),
		}).Error)
	}
	all := idsOf(e.deliveries(models.WebhookEventFilter{})...)
	b := e.signedIn(admin)
	first := b.get(Prefix + "/admin/webhooks/deliveries?partner=").Body.String()
	require.Equal(t, all[:webhookPageSize], deliveryIDs(first))
	has(t, first, fmt.Sprintf("1–%d of %d", webhookPageSize, webhookPageSize+2))
	has(t, first, `href="/backoffice/admin/webhooks/deliveries?page=2&amp;partner="`)
	second := b.get(Prefix + "/admin/webhooks/deliveries?page=2").Body.String()
	require.Equal(t, all[webhookPageSize:], deliveryIDs(second))
	has(t, second, fmt.Sprintf("%d–%d of %d", webhookPageSize+1, webhookPageSize+2, webhookPageSize+2))
}

func TestWebhookDeliveryPage(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	b := e.signedIn(admin)
	res := b.get(deliveryURL(f.delivered.ID))
	require.Equal(t, http.StatusOK, res.Code)
	page := res.Body.String()
	for _, want := range []string{
		fmt.Sprintf("<h1>Webhook delivery %d</h1>", f.delivered.ID),
		f.delivered.MessageID,
		`<span class="badge good" id="delivery-status">delivered</span>`,
		fmt.Sprintf(`<a href="/backoffice/loans/%d">%d</a>`, f.loan.Ref, f.loan.Ref),
		// The payload, indented and escaped.
		fmt.Sprintf("\n  &#34;type&#34;: &#34;%s&#34;,\n", f.delivered.Type),
		fmt.Sprintf("\n    &#34;loan_ref&#34;: %d,\n", f.loan.Ref),
		// Both attempts with the endpoint's answers, the hostile one escaped.
		`<td class="num">500</td>`, `<td class="num">182 ms</td>`, "HTTP 500",
		`&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt; upstream says no`,
		`<td class="num">200</td>`, `<td class="num">45 ms</td>`, `{&#34;ok&#34;:true}`,
		`id="redeliver-form"`,
	} {
		has(t, page, want)
	}
	lacks(t, page, `<script>alert(`)
	attempts := page[strings.Index(page, `id="attempts"`):]
	attempts = attempts[:strings.Index(attempts, "</table>")]
	require.Equal(t, 2, strings.Count(attempts, "<tr>")-1, "two attempts under the header")

	failed := b.get(deliveryURL(f.failed.ID)).Body.String()
	has(t, failed, "dial tcp: connection refused")
	has(t, failed, "not delivered within 72 hours", "the reason it was given up")
	has(t, failed, `id="redeliver-form"`)

	pending := b.get(deliveryURL(f.pending.ID)).Body.String()
	has(t, pending, `<span class="badge waiting" id="delivery-status">pending</span>`)
	has(t, pending, "Not tried yet.")
	lacks(t, pending, `id="redeliver-form"`, "a pending delivery is on its way already")

	for _, path := range []string{deliveryURL(999999), Prefix + "/admin/webhooks/deliveries/abc", Prefix + "/admin/webhooks/deliveries/0"} {
		res := b.get(path)
		require.Equal(t, http.StatusNotFound, res.Code, path)
		has(t, res.Body.String(), "There is no webhook delivery here.")
	}
}

func TestAdminRedeliversWebhook(t *testing.T) {
	e := newEnv(t)
	f := e.webhooks()
	b := e.signedIn(admin)

	for _, ev := range []models.WebhookEvent{f.delivered, f.failed} {
		t.Run(ev.Status, func(t *testing.T) {
			kicks := len(e.kicks())
			b.get(deliveryURL(ev.ID))
			res := b.post(deliveryURL(ev.ID)+"/redeliver", nil)
			require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
			require.Equal(t, deliveryURL(ev.ID), res.Header().Get("Location"))
			page := b.follow(res)
			until := e.clock.Now().Add(models.WebhookDeliveryWindow)
			has(t, page, fmt.Sprintf("Delivery %d (%s of loan %d) is queued again with the same webhook-id, to be tried until %s",
				ev.ID, ev.Type, f.loan.Ref, until.UTC().Format("2 Jan 2006, 15:04")))
			has(t, page, `<span class="badge waiting" id="delivery-status">pending</span>`)
			lacks(t, page, `id="redeliver-form"`)
			after := e.delivery(ev.ID)
			require.Equal(t, models.WebhookPending, after.Status)
			require.Nil(t, after.DeliveredAt)
			require.WithinDuration(t, until, after.DeliverUntil, time.Second)
			require.Equal(t, ev.MessageID, after.MessageID, "the same webhook-id")
			require.Equal(t, []uint{f.demo.ID}, e.kicks()[kicks:], "demo's delivery was woken")
			audit := e.lastEvent(actionRedeliverWebhook)
			require.Equal(t, models.OutcomeOK, audit.Outcome)
			require.Equal(t, fmt.Sprintf("webhook delivery %d", ev.ID), audit.Target)
			require.Equal(t, "admin", audit.Actor)
		})
	}

	t.Run("pending", func(t *testing.T) {
		before := e.delivery(f.pending.ID)
		kicks := len(e.kicks())
		b.get(Prefix + "/admin/webhooks/deliveries")
		res := b.post(deliveryURL(f.pending.ID)+"/redeliver", nil)
		require.Equal(t, http.StatusSeeOther, res.Code)
		has(t, b.follow(res), fmt.Sprintf("Delivery %d is waiting to be delivered already; it was left as it is, and its partner&#39;s delivery was woken.", f.pending.ID))
		require.Equal(t, *before, *e.delivery(f.pending.ID), "left as it is")
		require.Equal(t, []uint{f.other.ID}, e.kicks()[kicks:])
	})

	t.Run("unknown", func(t *testing.T) {
		for _, id := range []string{"999999", "abc", "0"} {
			kicks := len(e.kicks())
			b.get(Prefix + "/admin/webhooks/deliveries")
			res := b.post(Prefix+"/admin/webhooks/deliveries/"+id+"/redeliver", nil)
			require.Equal(t, http.StatusNotFound, res.Code, id)
			has(t, res.Body.String(), "There is no webhook delivery here.")
			ev := e.lastEvent(actionRedeliverWebhook)
			require.Equal(t, models.OutcomeRefused, ev.Outcome)
			require.Equal(t, "webhook delivery #"+id, ev.Target)
			require.Len(t, e.kicks(), kicks)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		// Removing other's endpoint cancels its undelivered events.
		require.NoError(t, e.kit.Service.DeleteWebhook(context.Background(), f.other))
		require.Equal(t, models.WebhookCancelled, e.delivery(f.pending.ID).Status)
		lacks(t, b.get(deliveryURL(f.pending.ID)).Body.String(), `id="redeliver-form"`)
		kicks := len(e.kicks())
		res := b.post(deliveryURL(f.pending.ID)+"/redeliver", nil)
		require.Equal(t, http.StatusConflict, res.Code)
		has(t, res.Body.String(), "Not redelivered")
		has(t, res.Body.String(), "The partner has no webhook endpoint to deliver to.")
		require.Equal(t, models.WebhookCancelled, e.delivery(f.pending.ID).Status)
		require.Len(t, e.kicks(), kicks)
		require.Equal(t, models.OutcomeRefused, e.lastEvent(actionRedeliverWebhook).Outcome)
	})

	has(t, b.get(Prefix+"/admin/audit?action="+actionRedeliverWebhook).Body.String(), fmt.Sprintf("<td>webhook delivery %d</td>", f.delivered.ID))
}
