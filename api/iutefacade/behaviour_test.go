package iutefacade

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/service"
)

// An Iute client sends no idempotency key: the same application again is
// the same loan while it is recent and not cancelled.
func TestAddNewLoanRetries(t *testing.T) {
	e := newEnv(t)
	jpg := jpegFile(t)
	app := append(application("I12356789T", "John", "Smith"), part{name: "id_copy", filename: "id.jpg", data: jpg})

	first := e.submit(demo, app)
	require.Equal(t, first, e.submit(demo, app), "a retry answers the same loan")
	respelled := withPart(withPart(app, part{name: "loan_amount", value: "2000.00"}), part{name: "first_name", value: " John "})
	require.Equal(t, first, e.submit(demo, respelled), "the same values spelled differently are the same request")
	require.Len(t, e.loan(first)["documents"].([]any), 1, "the retried file is stored once")

	// Another partner's identical application is its own.
	require.NotEqual(t, first, e.submit(other, app))

	// A different application is a different loan.
	second := e.submit(demo, withPart(app, part{name: "loan_duration", value: "7"}))
	require.NotEqual(t, first, second)

	// Once cancelled, the same application is a new one.
	emptyOK(t, e.get(&demo, pathCancel, refQuery(first)))
	emptyOK(t, e.get(&demo, pathCancel, refQuery(first))) // a retried cancellation succeeds
	third := e.submit(demo, app)
	require.NotEqual(t, first, third)
	require.Equal(t, third, e.submit(demo, app))

	// After the retry window, it is a new application too.
	e.clock.Advance(DefaultApplicationRetryWindow + time.Minute)
	fourth := e.submit(demo, withPart(app, part{name: "loan_duration", value: "7"}))
	require.NotEqual(t, second, fourth)
}

// An insert repayment equal to one booked within the retry window books
// nothing at once: it may be a retry or a second genuine payment, which the
// protocol cannot tell apart, so it is held on the loan for operations to
// book or dismiss. The same payment reported again after the window is a
// further payment. The workflow's clock stands still in the test
// environment, so time passes for the recorded repayments instead: they are
// made older.
func TestInsertRepaymentRetries(t *testing.T) {
	e := newEnv(t)
	ref := e.active()
	pay := url.Values{"loanRef": {"90000"}, "date": {"26062018"}, "amount": {"100"}, "partner_type": {"post"}}
	repaid := func() string {
		return xmlOK(t, e.get(&demo, pathInfo, refQuery(ref))).child(t, "loan").child(t, "repaid").text
	}

	emptyOK(t, e.get(&demo, pathRepayment, pay))
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	e.age(ref, DefaultRepaymentRetryWindow-time.Minute)
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	require.Equal(t, "100.0", repaid())

	// "100.00" is the same amount: still the same repayment.
	pay.Set("amount", "100.00")
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	require.Equal(t, "100.0", repaid())

	e.age(ref, 2*time.Minute)
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	require.Equal(t, "200.0", repaid())
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	require.Equal(t, "200.0", repaid())

	// Another date or amount is another repayment at once.
	pay.Set("date", "25062018")
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	pay.Set("amount", "50")
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	require.Equal(t, "350.0", repaid())

	txs, err := e.store.Transactions(context.Background(), ref)
	require.NoError(t, err)
	var keys []string
	for _, tx := range txs {
		if tx.Kind == lending.TxRepayment {
			keys = append(keys, tx.Key)
		}
	}
	require.Equal(t, []string{"iute:20180626:100:1", "iute:20180626:100:2", "iute:20180625:100:1", "iute:20180625:50:1"}, keys)

	// Four equal payments came within a window: each is held, none lost.
	held := e.loan(ref)["held_repayments"].([]any)
	require.Len(t, held, 4)
	first := held[0].(map[string]any)
	require.Equal(t, "100.00", first["amount"])
	require.Equal(t, "2018-06-26", first["paid_on"])
	require.Equal(t, "iute:20180626:100:1", first["similar_to"])
	require.Equal(t, "pending", first["status"])

	// Operations books the first as genuine and dismisses the second.
	heldPath := func(h any, action string) string {
		return fmt.Sprintf("/backoffice/v1/loans/%d/held-repayments/%v/%s", ref, h.(map[string]any)["id"], action)
	}
	require.Equal(t, http.StatusForbidden, e.staff(underwriter, http.MethodPost, heldPath(held[0], "book"), nil).Code, "operations only")
	require.Equal(t, http.StatusOK, e.staff(operations, http.MethodPost, heldPath(held[0], "book"), nil).Code)
	require.Equal(t, http.StatusOK, e.staff(operations, http.MethodPost, heldPath(held[1], "dismiss"), nil).Code)
	require.Equal(t, http.StatusConflict, e.staff(operations, http.MethodPost, heldPath(held[0], "book"), nil).Code, "booked once")
	require.Equal(t, "450.0", repaid())
	held = e.loan(ref)["held_repayments"].([]any)
	require.Equal(t, "booked", held[0].(map[string]any)["status"])
	require.Equal(t, "staff:operations", held[0].(map[string]any)["resolved_by"])
	require.Equal(t, "dismissed", held[1].(map[string]any)["status"])
}

// Check loan status answers "rejected" for a loan the underwriter or the
// rules refused.
func TestCheckStatusRejected(t *testing.T) {
	e := newEnv(t)
	ref := e.submitted()
	res := e.staff(underwriter, http.MethodPost, "/backoffice/v1/loans/90000/reject", map[string]string{"reason": "income too low"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	st := xmlOK(t, e.postForm(&demo, pathStatus, url.Values{"loan_ref": {"90000"}, "partner_type": {"post"}}))
	require.Equal(t, "rejected", st.child(t, "approved").text)
	require.Equal(t, "rejected", xmlOK(t, e.get(&demo, pathAllow, refQuery(ref))).child(t, "loan_status").text)

	// Under 18 on the day: auto-rejected.
	young := e.submit(demo, withPart(application("I22222222T", "Tom", "Young"), part{name: "birth_date", value: "01/01/05"}))
	require.Eventually(t, func() bool { return e.status(young) == lending.StatusAutoRejected }, 10*time.Second, 10*time.Millisecond, "the auto-reject rules to run")
	st = xmlOK(t, e.postMultipart(&demo, pathStatus, []part{{name: "loan_ref", value: "90001"}, {name: "partner_type", value: "post"}}))
	require.Equal(t, "rejected", st.child(t, "approved").text)
}

// Cancel loan works from SUBMITTED and from APPROVED.
func TestCancelFromNewAndApproved(t *testing.T) {
	e := newEnv(t)
	submitted := e.submitted()
	approved := e.submit(demo, application("I33333333T", "Ann", "Lee"))
	e.approve(approved)
	for _, ref := range []int64{submitted, approved} {
		emptyOK(t, e.get(&demo, pathCancel, refQuery(ref)))
		require.Equal(t, lending.StatusCancelled, e.status(ref))
		htmlError(t, e.postForm(&demo, pathStatus, url.Values{"loan_ref": {refQuery(ref).Get("loanRef")}, "partner_type": {"post"}}), http.StatusBadRequest)
	}
}

// After the back office rejects the documents the loan is APPROVED again
// and the same files may be sent again.
func TestUploadAgainAfterDocumentsRejected(t *testing.T) {
	e := newEnv(t)
	ref := e.documentsSubmitted()
	res := e.staff(operations, http.MethodPost, "/backoffice/v1/loans/90000/documents/reject", map[string]string{"reason": "unreadable"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, lending.StatusApproved, e.status(ref))
	e.uploadDocuments(ref)
	require.Equal(t, lending.StatusDocumentsSubmitted, e.status(ref))
}

// Both body encodings carry every POST interface; a POST may also carry
// its parameters in the query string, and partner_type ignores case.
func TestBodyEncodings(t *testing.T) {
	e := newEnv(t)
	values := url.Values{}
	for _, p := range application("I12356789T", "John", "Smith") {
		values.Set(p.name, p.value)
	}
	added := xmlOK(t, e.postForm(&demo, pathNewLoan, values))
	require.Equal(t, "90000", added.child(t, "loan_ref").text)

	calc := xmlOK(t, e.postMultipart(&demo, pathCalc, []part{{name: "loan_amount", value: "1000.55"}, {name: "loan_duration", value: "6"}, {name: "partner_type", value: "POST"}}))
	require.Equal(t, "26.07.2018", calc.child(t, "first_repayment_date").text)

	req := e.postForm(&demo, pathStatus+"?loan_ref=90000&partner_type=post", url.Values{})
	require.Equal(t, "false", xmlOK(t, req).child(t, "approved").text)
}

func TestBirthDateFormats(t *testing.T) {
	today := time.Date(2018, 6, 26, 0, 0, 0, 0, time.UTC)
	parse := birthDateParser(today)
	tests := []struct {
		in   string
		want string // YYYY-MM-DD, "" when refused
	}{
		{"31.08.1997", "1997-08-31"},
		{"01/01/90", "1990-01-01"},
		{"01/01/1990", "1990-01-01"},
		{"26/06/18", "2018-06-26"},
		{"27/06/18", "1918-06-27"},
		{"01/01/00", "2000-01-01"},
		{"29/02/00", "2000-02-29"},
		{"01.01.1899", ""},
		{"1.1.1990", ""},
		{"01.13.1990", ""},
		{"1990-01-01", ""},
		{"01/01/9", ""},
		{"29/02/01", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parse(tt.in)
			if tt.want == "" {
				require.False(t, ok, "parsed as %s", got)
				return
			}
			require.True(t, ok)
			require.Equal(t, tt.want, got.Format(time.DateOnly))
		})
	}
}

func TestRepaymentDateFormat(t *testing.T) {
	got, ok := parseRepaymentDate("22052018")
	require.True(t, ok)
	require.Equal(t, "2018-05-22", got.Format(time.DateOnly))
	for _, bad := range []string{"2205201", "220520188", "22.05.2018", "32052018", "22132018", "+2052018", "22 52018"} {
		_, ok := parseRepaymentDate(bad)
		require.False(t, ok, bad)
	}
}

func TestCashReleaseStatus(t *testing.T) {
	tests := map[lending.Status]string{
		lending.StatusCashReleaseAuthorized: "normal",
		lending.StatusSubmitted:             "new",
		lending.StatusApproved:              "approved",
		lending.StatusDocumentsSubmitted:    "documents_submitted",
		lending.StatusActive:                "active",
		lending.StatusCancelled:             "cancelled",
	}
	for status, want := range tests {
		require.Equal(t, want, cashReleaseStatus(status), string(status))
	}
}

// Every interface is served under both prefixes, and only with its method.
func TestRoutes(t *testing.T) {
	e := newEnv(t)
	for _, prefix := range Prefixes {
		for _, ep := range endpoints {
			for _, m := range otherMethods {
				req, err := http.NewRequest(m, prefix+ep.Path, nil)
				require.NoError(t, err)
				req.SetBasicAuth(demo.User, demo.Password)
				res := e.serve(req)
				if m == ep.Method {
					require.Equal(t, http.StatusBadRequest, res.Code, "%s %s%s: missing parameters", m, prefix, ep.Path)
					continue
				}
				require.Equal(t, http.StatusMethodNotAllowed, res.Code, "%s %s%s", m, prefix, ep.Path)
				require.Equal(t, ep.Method, res.Header().Get("Allow"))
			}
		}
	}
}

func decimalOf(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return d
}

// Bodies that cannot be read as parameters are a 400 page too.
func TestMalformedBodies(t *testing.T) {
	e := newEnv(t)
	ref := e.approved()
	big := append(pdfFile(), bytes.Repeat([]byte{' '}, service.MaxDocumentSize)...)
	ctype, oversized := multipartBody(t, []part{
		{name: "loan_ref", value: fmt.Sprint(ref)}, {name: "partner_type", value: "post"},
		{name: "loan_agreement", filename: "a.pdf", data: big}, {name: "bank_statement", filename: "b.pdf", data: pdfFile()},
	})
	_, longValue := multipartBody(t, []part{{name: "loan_ref", value: strings.Repeat("9", 5000)}, {name: "partner_type", value: "post"}})
	tests := []struct {
		name, method, target, ctype string
		body                        []byte
		contains                    string
	}{
		{"multipart without boundary", http.MethodPost, pathStatus, "multipart/form-data", []byte("x"), "has no boundary"},
		{"truncated multipart", http.MethodPost, pathStatus, "multipart/form-data; boundary=XYZ", []byte("--XYZ\r\nContent-Disposition: form-data; name=\"loan_ref\"\r\n\r\n900"), "not well-formed"},
		{"malformed Content-Type", http.MethodPost, pathStatus, "multipart/form-data; boundary", []byte("x"), "Content-Type header is malformed"},
		{"body without Content-Type", http.MethodPost, pathStatus, "", []byte("loan_ref=1"), "no Content-Type"},
		{"bad url encoding", http.MethodPost, pathStatus, "application/x-www-form-urlencoded", []byte("loan_ref=%zz"), "not valid application/x-www-form-urlencoded"},
		{"bad query string", http.MethodGet, pathInfo + "?loanRef=%zz&partner_type=post", "", nil, "query string is not valid"},
		{"file over the size limit", http.MethodPost, pathUpload, ctype, oversized, "larger than 10485760 bytes"},
		{"value over the length limit", http.MethodPost, pathStatus, "", longValue, "longer than 4096 bytes"},
	}
	_, params, _ := mime.ParseMediaType(multipartContentType(t, longValue))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, bytes.NewReader(tt.body))
			switch {
			case tt.name == "value over the length limit":
				req.Header.Set("Content-Type", "multipart/form-data; boundary="+params["boundary"])
			case tt.ctype != "":
				req.Header.Set("Content-Type", tt.ctype)
			}
			req.SetBasicAuth(demo.User, demo.Password)
			body := htmlError(t, e.serve(req), http.StatusBadRequest)
			require.Contains(t, body, tt.contains)
		})
	}
	require.Equal(t, lending.StatusApproved, e.status(ref))
}

// multipartContentType recovers the boundary multipartBody chose.
func multipartContentType(t *testing.T, body []byte) string {
	t.Helper()
	line, _, ok := bytes.Cut(body, []byte("\r\n"))
	require.True(t, ok)
	return "multipart/form-data; boundary=" + strings.TrimPrefix(string(line), "--")
}

var errDown = &failure.Error{Kind: failure.KindUnavailable, Detail: "connection refused"}

// An outage is a 503 page that says to retry, never a 500, and shows no
// internals.
func TestOutageIsServiceUnavailable(t *testing.T) {
	e := newEnv(t)
	ref := e.submitted()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	down := &testkit.ScriptedEngine{Store: e.store, StartErr: errDown, UpdateErr: errDown, ReadyErr: errDown}
	svc := service.New(service.Deps{Store: e.store, Engine: down, Now: e.clock.Now, Logger: logger})
	e.router = api.NewRouter(svc)
	Mount(e.router, svc, Options{Logger: logger})

	body := htmlError(t, e.postMultipart(&demo, pathNewLoan, application("I44444444T", "Ann", "Down")), http.StatusServiceUnavailable)
	require.Contains(t, body, "retry later")
	require.NotContains(t, body, "connection refused")
	htmlError(t, e.get(&demo, pathCancel, refQuery(ref)), http.StatusServiceUnavailable)

	require.NoError(t, e.store.Close())
	htmlError(t, e.get(&demo, pathInfo, refQuery(ref)), http.StatusServiceUnavailable)
}

// TestCrossSiteBrowserRequestsAreRefused: an <img> on another site pointing
// at insert repayment must not book anything through cached credentials.
func TestCrossSiteBrowserRequestsAreRefused(t *testing.T) {
	e := newEnv(t)
	ref := e.active()
	req := httptest.NewRequest(http.MethodGet, "/rest/api/partner/insert/repayment?loanRef="+strconv.FormatInt(ref, 10)+"&date=26062018&amount=100&partner_type=post", nil)
	req.SetBasicAuth(demo.User, demo.Password)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res := httptest.NewRecorder()
	e.router.ServeHTTP(res, req)
	require.Equal(t, http.StatusForbidden, res.Code)
	txs, err := e.store.Transactions(context.Background(), ref)
	require.NoError(t, err)
	for _, tx := range txs {
		require.NotEqual(t, "repayment", tx.Kind)
	}
}
