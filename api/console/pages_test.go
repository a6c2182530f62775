package console

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// queueRefs lists the loan refs of a queue page in display order.
func queueRefs(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr data-ref="(\d+)">`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func ref(l *models.Loan) string { return decimal.NewFromInt(l.Ref).String() }

func TestDecisionQueue(t *testing.T) {
	e := newEnv(t)
	// The late loan is older than the 48 h SLA: it is made on a clock three
	// hours on, or the workflow, whose clock stays at the start, would have
	// expired it.
	e.clock.Advance(3 * time.Hour)
	young := e.submitted(e.application("2000"), 2*time.Hour)
	old := e.submitted(e.application("45000"), 40*time.Hour) // past 75 % of the SLA
	late := e.submitted(e.application("1500.50"), 50*time.Hour)
	approved := e.loanIn(lending.StatusApproved, "3000", 30*time.Hour)
	b := e.signedIn(underwriter)

	res := b.get(Prefix + "/loans")
	require.Equal(t, http.StatusOK, res.Code)
	page := res.Body.String()
	has(t, page, "<h1>Decision queue</h1>")
	require.Equal(t, []string{ref(late), ref(old), ref(young)}, queueRefs(page), "oldest first, decisions only")
	has(t, page, "45,000.00 MDL", "money for people")
	has(t, page, "1,500.50 MDL")
	has(t, page, "past the SLA by 2 h")
	has(t, page, `<span class="warn-text">8 h left</span>`)
	has(t, page, `<span class="muted">1 d 22 h left</span>`)
	has(t, page, "0 of 2", "the 45,000 loan needs four eyes")
	has(t, page, `data-sort="45000"`, "sortable by the raw amount")
	has(t, page, `class="sortable"`)

	cases := []struct {
		name  string
		query string
		want  []string
	}{
		{"all statuses", "?status=all", []string{ref(late), ref(old), ref(approved), ref(young)}},
		{"one status", "?status=APPROVED", []string{ref(approved)}},
		{"amount range", "?status=all&min_amount=1500.50&max_amount=3,000", []string{ref(late), ref(approved), ref(young)}},
		{"partner", "?status=all&partner=demo&max_amount=2000", []string{ref(late), ref(young)}},
		{"another partner", "?status=all&partner=other", nil},
		{"dates", "?status=all&from=2025-03-08&to=2025-03-08", []string{ref(late), ref(old)}},
		{"product", "?status=all&product=consumer&min_amount=40000", []string{ref(old)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get(Prefix + "/loans" + tc.query)
			require.Equal(t, http.StatusOK, res.Code, res.Body.String())
			require.Equal(t, tc.want, queueRefs(res.Body.String()))
		})
	}
}

func TestDecisionQueueRejectsBadFilters(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(operations)
	cases := []struct {
		query, message string
	}{
		{"?status=PENDING", "Unknown status."},
		{"?min_amount=lots", "Enter an amount such as 5000 or 1250.50."},
		{"?min_amount=5000&max_amount=100", "Must not be below the minimum."},
		{"?from=10/03/2025", "Enter a date as YYYY-MM-DD."},
		{"?from=2025-03-10&to=2025-03-01", "Must not be before the start date."},
		{"?product=mortgage", "Unknown product."},
		{"?partner=nobody", "Unknown partner."},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res := b.get(Prefix + "/loans" + tc.query)
			require.Equal(t, http.StatusBadRequest, res.Code)
			has(t, res.Body.String(), tc.message)
		})
	}
}

func TestQueuePaging(t *testing.T) {
	e := newEnv(t)
	for i := range queuePageSize + 3 {
		e.submitted(e.application("2000"), time.Duration(100-i)*time.Minute)
	}
	b := e.signedIn(underwriter)
	first := b.get(Prefix + "/loans").Body.String()
	require.Len(t, queueRefs(first), queuePageSize)
	has(t, first, "1–50 of 53")
	has(t, first, `href="/backoffice/loans?page=2"`)
	second := b.get(Prefix + "/loans?page=2&status=SUBMITTED").Body.String()
	require.Len(t, queueRefs(second), 3)
	has(t, second, "51–53 of 53")
	has(t, b.get(Prefix+"/loans?min_amount=999999").Body.String(), "No loans match these filters.")
}

func TestDocumentQueue(t *testing.T) {
	e := newEnv(t)
	e.submitted(e.application("2000"), time.Hour)
	newer := e.loanIn(lending.StatusDocumentsSubmitted, "2500", 3*time.Hour)
	older := e.loanIn(lending.StatusDocumentsSubmitted, "4000", 30*time.Hour)
	b := e.signedIn(operations)
	res := b.get(Prefix + "/")
	require.Equal(t, Prefix+"/documents", res.Header().Get("Location"), "operations start at document review")
	page := b.get(Prefix + "/documents").Body.String()
	require.Equal(t, []string{ref(older), ref(newer)}, queueRefs(page))
	has(t, page, "<td>underwriter</td>", "who approved it")

	empty := newEnv(t).signedIn(operations)
	require.Contains(t, empty.get(Prefix+"/documents").Body.String(), "No documents are waiting for review.")
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

func TestLoanPage(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusApproved, "2000", 26*time.Hour)
	pdf := e.upload(l.Ref, lending.DocSignedAgreement, "signed.pdf", testkit.PDF())
	img := e.upload(l.Ref, lending.DocBankStatement, "statement <1>.png", pngBytes)
	b := e.signedIn(operations)
	res := b.get(loanURL(l.Ref))
	require.Equal(t, http.StatusOK, res.Code)
	page := res.Body.String()
	for _, want := range []string{
		`data-status="DOCUMENTS_SUBMITTED"`,
		"John James Smith", "1 Jan 1990 (age 35)", "I12356789T", "Long street 11, Chisinau", "June (sister), 0987654321",
		"2,000.00 MDL", "6 months", "36 %", "42.27 %", "369.20 MDL a month", "2,215.16 MDL",
		`id="approved-by">underwriter<`,
		`href="http://temporal.test:8233/namespaces/loans/workflows/loan-` + ref(l) + `"`,
		"Projected: the loan is not paid out yet",
		`<iframe src="/backoffice/loans/` + ref(l) + `/documents/` + decimal.NewFromInt(int64(pdf.ID)).String(),
		`<img src="/backoffice/loans/` + ref(l) + `/documents/` + decimal.NewFromInt(int64(img.ID)).String(),
		"statement &lt;1&gt;.png", "Signed agreement", "Bank statement",
		"partner demo", // the audit trail's actor
		`id="authorize-form"`,
	} {
		has(t, page, want)
	}
	// Six projected installments, the first due a month after a pay-out today.
	schedule := page[strings.Index(page, `id="schedule"`):strings.Index(page, `id="audit"`)]
	body := regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`).FindStringSubmatch(schedule)
	require.NotNil(t, body)
	require.Equal(t, 6, strings.Count(body[1], "<tr>"))
	has(t, schedule, "10 Apr 2025")
}

func TestLoanPageAutoRejected(t *testing.T) {
	e := newEnv(t)
	app := e.application("2000")
	app.Applicant.BirthDate = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	app.Applicant.MobilePhone = "0800"
	l := e.submitted(app, time.Hour)
	e.eventually("the workflow's auto-reject rules", func() bool { return e.loan(l.Ref).Status == lending.StatusAutoRejected })
	require.Equal(t, "UNDER_AGE,INVALID_MOBILE_PHONE", e.loan(l.Ref).ReasonCodes)
	page := e.signedIn(underwriter).get(loanURL(l.Ref)).Body.String()
	has(t, page, "<code>UNDER_AGE</code>")
	has(t, page, "younger than the product&#39;s minimum age")
	has(t, page, "<code>INVALID_MOBILE_PHONE</code>")
	has(t, page, "This loan has no repayment schedule")
	require.NotContains(t, page, `id="approve-form"`)
}

func TestLoanPagePaidOut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l := e.loanIn(lending.StatusActive, "1200", 0)
	rows, err := e.store.Installments(ctx, l.Ref)
	require.NoError(t, err)
	_, err = e.kit.Service.Repay(ctx, e.kit.Partner(testkit.Demo), l.Ref, service.RepaymentRequest{
		Key: "first-installment", Amount: rows[0].Total, PaidOn: testkit.Start})
	require.NoError(t, err)
	page := e.signedIn(underwriter).get(loanURL(l.Ref)).Body.String()
	require.NotContains(t, page, "Projected")
	// Six installments of 221.52 but the last, 221.50; the first is paid.
	has(t, page, `<td class="num">1,329.10</td><td class="num">221.52</td><td class="num">1,107.58</td>`, "totals: due, paid, left")
	has(t, page, "Money movements")
	has(t, page, "disbursement")
	has(t, page, "repayment")
}

func TestDocumentIsServedInline(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusApproved, "2000", time.Hour)
	pdf := e.upload(l.Ref, lending.DocSignedAgreement, "signed agreement.pdf", testkit.PDF())
	img := e.upload(l.Ref, lending.DocBankStatement, "statement.png", pngBytes)
	other := e.submitted(e.application("2000"), time.Hour)
	b := e.signedIn(underwriter)
	cases := []struct {
		name, path, ctype, disposition, frame string
		status                                int
	}{
		{"pdf", loanURL(l.Ref) + "/documents/" + id(pdf.ID), "application/pdf", `inline; filename="signed agreement.pdf"`, "SAMEORIGIN", 200},
		{"image", loanURL(l.Ref) + "/documents/" + id(img.ID), "image/png", `inline; filename=statement.png`, "SAMEORIGIN", 200},
		{"download", loanURL(l.Ref) + "/documents/" + id(img.ID) + "?download=1", "image/png", `attachment; filename=statement.png`, "SAMEORIGIN", 200},
		{"another loan's document", loanURL(other.Ref) + "/documents/" + id(pdf.ID), "", "", "", 404},
		{"no such document", loanURL(l.Ref) + "/documents/999", "", "", "", 404},
		{"not a number", loanURL(l.Ref) + "/documents/abc", "", "", "", 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get(tc.path)
			require.Equal(t, tc.status, res.Code)
			if tc.status != 200 {
				return
			}
			require.Equal(t, tc.ctype, res.Header().Get("Content-Type"))
			require.Equal(t, tc.disposition, res.Header().Get("Content-Disposition"))
			require.Equal(t, tc.frame, res.Header().Get("X-Frame-Options"))
			require.Equal(t, "nosniff", res.Header().Get("X-Content-Type-Options"))
			require.Equal(t, "no-store", res.Header().Get("Cache-Control"))
		})
	}
}

func id(n uint) string { return decimal.NewFromInt(int64(n)).String() }

func TestUnknownLoanIsNotFound(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(underwriter)
	for _, path := range []string{loanURL(424242), Prefix + "/loans/abc", Prefix + "/loans/-3"} {
		res := b.get(path)
		require.Equal(t, http.StatusNotFound, res.Code, path)
		has(t, res.Body.String(), "There is no loan here")
	}
}

func TestPagesCarrySecurityHeaders(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	res := b.get(Prefix + "/login")
	require.Equal(t, "no-store", res.Header().Get("Cache-Control"))
	require.Equal(t, "DENY", res.Header().Get("X-Frame-Options"))
	require.Contains(t, res.Header().Get("Content-Security-Policy"), "default-src 'none'")
	require.Contains(t, res.Header().Get("Content-Security-Policy"), "script-src 'self'")

	css := b.get(Prefix + "/static/console.css")
	require.Equal(t, http.StatusOK, css.Code)
	require.Contains(t, css.Header().Get("Content-Type"), "text/css")
	js := b.get(Prefix + "/static/console.js")
	require.Equal(t, http.StatusOK, js.Code)
	require.Contains(t, js.Body.String(), "sortable")
	require.Equal(t, http.StatusNotFound, b.get(Prefix+"/static/nope.css").Code)
}

func TestFormatting(t *testing.T) {
	money := []struct {
		in    string
		scale int32
		want  string
	}{
		{"0", 2, "0.00"}, {"999.5", 2, "999.50"}, {"1000", 2, "1,000.00"}, {"1234567.891", 2, "1,234,567.89"},
		{"-45000", 2, "-45,000.00"}, {"100000", 0, "100,000"}, {"12.3456", 3, "12.346"},
	}
	for _, tc := range money {
		require.Equal(t, tc.want, formatMoney(decimal.RequireFromString(tc.in), tc.scale), tc.in)
	}
	durations := []struct {
		in   time.Duration
		want string
	}{
		{30 * time.Second, "under a minute"}, {7 * time.Minute, "7 min"}, {3 * time.Hour, "3 h"},
		{5*time.Hour + 12*time.Minute, "5 h 12 min"}, {50 * time.Hour, "2 d 2 h"}, {72 * time.Hour, "3 d"}, {-2 * time.Hour, "2 h"},
	}
	for _, tc := range durations {
		require.Equal(t, tc.want, formatDuration(tc.in), tc.in.String())
	}
	require.Equal(t, 35, age(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), testkit.Start))
	require.Equal(t, 34, age(time.Date(1990, 3, 11, 0, 0, 0, 0, time.UTC), testkit.Start))
	require.Equal(t, 35, age(time.Date(1990, 3, 10, 0, 0, 0, 0, time.UTC), testkit.Start))
	require.Equal(t, "840 B", formatBytes(840))
	require.Equal(t, "12.4 KB", formatBytes(12400))
	require.Equal(t, "3.1 MB", formatBytes(3100000))
	require.Equal(t, "underwriter", actorName("staff:underwriter"))
	require.Equal(t, "partner demo", actorName("partner:demo"))
	require.Equal(t, "system", actorName("system"))
}

// TestLoanPageShowsProviderProblems: a ledger's refusal and its schedule
// findings are on the loan page for staff to resolve.
func TestLoanPageShowsProviderProblems(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusActive, "1200", 0)
	// What the ledger activity records when Fineract refuses a posting, and
	// what reconciliation finds: there is no ledger behind the test product.
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", l.Ref).Updates(map[string]any{
		"ledger": "fineract", "ledger_loan_id": "77", "provider_error": "fineract refused repay: Loan is closed"}).Error)
	_, err := e.store.AddFindings(context.Background(), []models.ReconciliationFinding{{LoanRef: l.Ref, Provider: "fineract",
		InstallmentNumber: 2, Field: "interest", Ours: decimal.RequireFromString("41.17"), Theirs: decimal.RequireFromString("41.30"), FoundAt: testkit.Start}})
	require.NoError(t, err)
	page := e.signedIn(underwriter).get(loanURL(l.Ref)).Body.String()
	has(t, page, "fineract · loan 77")
	has(t, page, "fineract refused repay: Loan is closed")
	has(t, page, "<td>interest</td>")
	has(t, page, "<td class=\"num\">41.3</td>")

	clean := e.loanIn(lending.StatusActive, "1200", 0)
	require.NotContains(t, e.signedIn(underwriter).get(loanURL(clean.Ref)).Body.String(), "Provider problems")
}

// TestAttentionQueue: the loans a provider refused or keeps waiting are
// listed with the provider's answer; operations see the retry on the
// loan's page, and a retry the workflow finds nothing to retry for is
// answered with its reason. A loan its ledger has not booked cannot have
// its cash release authorized.
func TestAttentionQueue(t *testing.T) {
	e := newEnv(t)
	refused := e.loanIn(lending.StatusActive, "1200", 0)
	waiting := e.loanIn(lending.StatusDocumentsSubmitted, "1300", 0)
	set := func(ref int64, cols map[string]any) {
		require.NoError(t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", ref).Updates(cols).Error)
	}
	set(refused.Ref, map[string]any{"ledger": "fineract", "ledger_loan_id": "77", "provider_error": "fineract refused repay: Loan is closed"})
	ops := e.signedIn(operations)
	require.NotContains(t, ops.get(Prefix+"/attention").Body.String(), `data-ref="`+ref(waiting)+`"`, "a loan no provider stopped is not listed")
	set(waiting.Ref, map[string]any{"ledger": "mambu", "provider_waiting": "mambu answered HTTP 400 INVALID_PRODUCT_ID (505)"})

	page := ops.get(Prefix + "/attention").Body.String()
	has(t, page, `data-ref="`+ref(refused)+`"`)
	has(t, page, "fineract refused repay: Loan is closed")
	has(t, page, `data-ref="`+ref(waiting)+`"`)
	has(t, page, "INVALID_PRODUCT_ID (505)")

	form := ops.openLoan(refused.Ref)
	has(t, ops.last, `id="retry-provider"`)
	require.NotContains(t, e.signedIn(underwriter).get(loanURL(refused.Ref)).Body.String(), `id="retry-provider"`, "retrying is operations' job")
	// The workflow itself holds no refusal (the test wrote it to the row).
	res := ops.post(loanURL(refused.Ref)+"/provider/retry", form)
	require.Equal(t, http.StatusConflict, res.Code)
	has(t, res.Body.String(), "nothing to retry")

	ops.openLoan(waiting.Ref)
	has(t, ops.last, "Waiting for loanflow's settings to be fixed")
	has(t, ops.last, `id="awaits-booking"`)
	has(t, ops.last, `id="authorize" disabled`)
}
