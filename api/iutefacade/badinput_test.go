package iutefacade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// fixture is a set of loans in the states the interfaces act on.
type fixture struct {
	submitted, approved, authorized, active, others int64
}

func newFixture(e *env) fixture {
	e.t.Helper()
	pin := func(n int) []part { return application(fmt.Sprintf("B%08dZ", n), "John", "Smith") }
	f := fixture{submitted: e.submit(demo, pin(1))}
	f.approved = e.submit(demo, pin(2))
	e.approve(f.approved)
	f.authorized = e.submit(demo, pin(3))
	e.approve(f.authorized)
	e.uploadDocuments(f.authorized)
	e.authorize(f.authorized)
	f.active = e.submit(demo, pin(4))
	e.approve(f.active)
	e.uploadDocuments(f.active)
	e.authorize(f.active)
	emptyOK(e.t, e.get(&demo, pathConfirm, refQuery(f.active)))
	f.others = e.submit(other, pin(5))
	return f
}

// iface is one interface with a valid request for it.
type iface struct {
	name, method, path string
	refParam           string // loanRef or loan_ref; "" when there is none
	values             func(f fixture) map[string]string
	files              []string // required file parameters
}

var interfaces = []iface{
	{"calculate loan conditions", http.MethodPost, pathCalc, "", func(fixture) map[string]string {
		return map[string]string{"loan_amount": "1000.55", "loan_duration": "6", "partner_type": "post"}
	}, nil},
	{"add new loan", http.MethodPost, pathNewLoan, "", func(fixture) map[string]string {
		m := map[string]string{}
		for _, p := range application("N00000001A", "John", "Smith") {
			m[p.name] = p.value
		}
		return m
	}, nil},
	{"cancel loan", http.MethodGet, pathCancel, "loanRef", func(f fixture) map[string]string {
		return map[string]string{"loanRef": fmt.Sprint(f.submitted), "partner_type": "post"}
	}, nil},
	{"check loan status", http.MethodPost, pathStatus, "loan_ref", func(f fixture) map[string]string {
		return map[string]string{"loan_ref": fmt.Sprint(f.submitted), "partner_type": "post"}
	}, nil},
	{"check loan info", http.MethodGet, pathInfo, "loanRef", func(f fixture) map[string]string {
		return map[string]string{"loanRef": fmt.Sprint(f.active), "partner_type": "post"}
	}, nil},
	{"generate agreement", http.MethodGet, pathAgreement, "loanRef", func(f fixture) map[string]string {
		return map[string]string{"loanRef": fmt.Sprint(f.approved), "lang": "eng", "partner_type": "post"}
	}, nil},
	{"upload files", http.MethodPost, pathUpload, "loan_ref", func(f fixture) map[string]string {
		return map[string]string{"loan_ref": fmt.Sprint(f.approved), "partner_type": "post"}
	}, []string{"loan_agreement", "bank_statement"}},
	{"allow cash release", http.MethodGet, pathAllow, "loanRef", func(f fixture) map[string]string {
		return map[string]string{"loanRef": fmt.Sprint(f.authorized), "partner_type": "post"}
	}, nil},
	{"confirm cash release", http.MethodGet, pathConfirm, "loanRef", func(f fixture) map[string]string {
		return map[string]string{"loanRef": fmt.Sprint(f.authorized), "partner_type": "post"}
	}, nil},
	{"insert repayment", http.MethodGet, pathRepayment, "loanRef", func(f fixture) map[string]string {
		return map[string]string{"loanRef": fmt.Sprint(f.active), "date": "26062018", "amount": "100", "partner_type": "post"}
	}, nil},
}

// badRequest is one request expected to fail.
type badRequest struct {
	name     string
	creds    *creds
	method   string
	values   map[string]string
	files    map[string][]byte
	encoding string // "" (query for GET, multipart for POST), "urlencoded" or "json"
	status   int
	contains string // text the error page must show
}

func send(e *env, ifc iface, r badRequest) *httptest.ResponseRecorder {
	e.t.Helper()
	method := ifc.method
	if r.method != "" {
		method = r.method
	}
	q := url.Values{}
	for k, v := range r.values {
		q.Set(k, v)
	}
	var req *http.Request
	switch {
	case method != http.MethodPost:
		req = httptest.NewRequest(method, ifc.path+"?"+q.Encode(), nil)
	case r.encoding == "urlencoded":
		req = httptest.NewRequest(method, ifc.path, strings.NewReader(q.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case r.encoding == "json":
		b, err := json.Marshal(r.values)
		require.NoError(e.t, err)
		req = httptest.NewRequest(method, ifc.path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	default:
		var parts []part
		for _, k := range slices.Sorted(maps.Keys(r.values)) {
			parts = append(parts, part{name: k, value: r.values[k]})
		}
		for _, k := range slices.Sorted(maps.Keys(r.files)) {
			parts = append(parts, part{name: k, filename: k + ".bin", data: r.files[k]})
		}
		ctype, body := multipartBody(e.t, parts)
		req = httptest.NewRequest(method, ifc.path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
	}
	if r.creds != nil {
		req.SetBasicAuth(r.creds.User, r.creds.Password)
	}
	// Each interface is called from an address of its own: the failed
	// sign-ins of every interface together would reach the guessing limit,
	// past which an address is refused whatever its credentials.
	req.RemoteAddr = fmt.Sprintf("192.0.2.%d:4711", 1+slices.IndexFunc(interfaces, func(i iface) bool { return i.name == ifc.name }))
	return e.serve(req)
}

func pngFile(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))))
	return buf.Bytes()
}

// set returns a copy of m with k set to v.
func set(m map[string]string, k, v string) map[string]string {
	out := maps.Clone(m)
	out[k] = v
	return out
}

func unset(m map[string]string, k string) map[string]string {
	out := maps.Clone(m)
	delete(out, k)
	return out
}

// generic are the bad requests every interface refuses the same way.
func generic(t *testing.T, ifc iface, f fixture, valid map[string]string, files map[string][]byte) []badRequest {
	wrongPassword, ghost := creds{User: "demo", Password: "not-the-secret"}, creds{User: "ghost", Password: "demo-secret"}
	cases := []badRequest{
		{name: "no credentials", status: http.StatusForbidden, contains: "Authentication required"},
		{name: "wrong password", creds: &wrongPassword, status: http.StatusForbidden, contains: "wrong username or password"},
		{name: "unknown user", creds: &ghost, status: http.StatusForbidden, contains: "wrong username or password"},
		{name: "wrong partner_type", creds: &demo, values: set(valid, "partner_type", "shop"), status: http.StatusForbidden, contains: "partner_type does not match"},
		{name: "a partner of another type", creds: &shop, status: http.StatusForbidden, contains: "partner_type does not match"},
		{name: "missing partner_type", creds: &demo, values: unset(valid, "partner_type"), status: http.StatusBadRequest, contains: "<b>partner_type</b>: required"},
		{name: "wrong method", creds: &demo, method: map[string]string{http.MethodGet: http.MethodPost, http.MethodPost: http.MethodGet}[ifc.method],
			status: http.StatusMethodNotAllowed, contains: "takes " + ifc.method + " requests"},
	}
	for k := range valid {
		if k == "partner_type" {
			continue
		}
		cases = append(cases, badRequest{name: "missing " + k, creds: &demo, values: unset(valid, k), status: http.StatusBadRequest, contains: "<b>" + k + "</b>: required"})
	}
	for _, name := range ifc.files {
		cases = append(cases, badRequest{name: "missing file " + name, creds: &demo, values: valid,
			files:  func() map[string][]byte { m := maps.Clone(files); delete(m, name); return m }(),
			status: http.StatusBadRequest, contains: "<b>" + name + "</b>: required"})
		cases = append(cases, badRequest{name: "empty file " + name, creds: &demo, values: valid,
			files:  func() map[string][]byte { m := maps.Clone(files); m[name] = []byte{}; return m }(),
			status: http.StatusBadRequest, contains: "<b>" + name + "</b>: required"})
		cases = append(cases, badRequest{name: "PNG as " + name, creds: &demo, values: valid,
			files:  func() map[string][]byte { m := maps.Clone(files); m[name] = pngFile(t); return m }(),
			status: http.StatusBadRequest, contains: "<b>" + name + "</b>: must be a JPEG or PDF file, not image/png"})
	}
	if ifc.refParam != "" {
		for _, bad := range []string{"abc", "0", "-3", "1.5", "9e4", "99999999999999999999"} {
			cases = append(cases, badRequest{name: "loanRef " + bad, creds: &demo, values: set(valid, ifc.refParam, bad), files: files,
				status: http.StatusBadRequest, contains: "<b>" + ifc.refParam + "</b>: must be a"})
		}
		cases = append(cases,
			badRequest{name: "unknown loanRef", creds: &demo, values: set(valid, ifc.refParam, "123456"), files: files,
				status: http.StatusBadRequest, contains: msgNotFound},
			badRequest{name: "another partner's loanRef", creds: &demo, values: set(valid, ifc.refParam, fmt.Sprint(f.others)), files: files,
				status: http.StatusBadRequest, contains: msgNotFound})
	}
	if ifc.method == http.MethodPost {
		cases = append(cases, badRequest{name: "JSON body", creds: &demo, values: valid, encoding: "json",
			status: http.StatusBadRequest, contains: "Content-Type application/json is not accepted"})
	}
	return cases
}

// specific are each interface's own bad requests.
func specific(t *testing.T, ifc iface, f fixture, valid map[string]string, files map[string][]byte) []badRequest {
	bad := func(name, field, value, contains string) badRequest {
		return badRequest{name: name, creds: &demo, values: set(valid, field, value), files: files, status: http.StatusBadRequest, contains: contains}
	}
	step := func(name, field string, ref int64, contains string) badRequest {
		return bad(name, field, fmt.Sprint(ref), contains)
	}
	switch ifc.path {
	case pathCalc:
		return []badRequest{
			bad("non-numeric amount", "loan_amount", "abc", "<b>loan_amount</b>: must be a number"),
			bad("decimal comma", "loan_amount", "1000,55", "<b>loan_amount</b>: must be a number"),
			bad("exponent", "loan_amount", "1e3", "<b>loan_amount</b>: must be a number"),
			bad("negative amount", "loan_amount", "-5", "<b>loan_amount</b>: must be a number"),
			bad("zero amount", "loan_amount", "0", "<b>loan_amount</b>: must be a positive number"),
			bad("amount below the product's range", "loan_amount", "10", "<b>loan_amount</b>: must be between"),
			bad("too many decimals", "loan_amount", "1000.555", "<b>loan_amount</b>: must have at most 2 decimal places"),
			bad("non-numeric duration", "loan_duration", "six", "<b>loan_duration</b>: must be a whole number"),
			bad("fractional duration", "loan_duration", "6.5", "<b>loan_duration</b>: must be a whole number"),
			bad("duration out of range", "loan_duration", "120", "<b>loan_duration</b>: must be between"),
			{name: "url-encoded and empty", creds: &demo, encoding: "urlencoded", status: http.StatusBadRequest, contains: "<b>loan_amount</b>: required"},
		}
	case pathNewLoan:
		return []badRequest{
			bad("ISO birth date", "birth_date", "1990-01-01", "<b>birth_date</b>: must be a date dd.MM.yyyy"),
			bad("impossible birth date", "birth_date", "31.02.1990", "<b>birth_date</b>: must be a date dd.MM.yyyy"),
			bad("American birth date", "birth_date", "12/31/90", "<b>birth_date</b>: must be a date dd.MM.yyyy"),
			bad("non-numeric amount", "loan_amount", "two thousand", "<b>loan_amount</b>: must be a number"),
			bad("non-numeric duration", "loan_duration", "6 months", "<b>loan_duration</b>: must be a whole number"),
			bad("too many decimals", "loan_amount", "2000.001", "<b>loan_amount</b>: must have at most 2 decimal places"),
			bad("control characters", "first_name", "Jo\x01hn", "<b>first_name</b>: must not contain control characters"),
			{name: "apartment_nr not sent", creds: &demo, values: unset(valid, "apartment_nr"), status: http.StatusBadRequest, contains: "<b>apartment_nr</b>: required (it may be empty)"},
			{name: "PNG as id_copy", creds: &demo, values: valid, files: map[string][]byte{"id_copy": pngFile(t)}, status: http.StatusBadRequest, contains: "<b>id_copy</b>: must be a JPEG or PDF file"},
			{name: "text as data_verification", creds: &demo, values: valid, files: map[string][]byte{"data_verification": []byte("hello")}, status: http.StatusBadRequest, contains: "<b>data_verification</b>: must be a JPEG or PDF file"},
			{name: "empty url-encoded body", creds: &demo, encoding: "urlencoded", values: map[string]string{}, status: http.StatusBadRequest, contains: "<b>pin</b>: required"},
		}
	case pathCancel:
		return []badRequest{
			step("cancel an authorized loan", "loanRef", f.authorized, "cannot cancel a loan in status CASH_RELEASE_AUTHORIZED"),
			step("cancel an active loan", "loanRef", f.active, "cannot cancel a loan in status ACTIVE"),
		}
	case pathStatus:
		return []badRequest{
			step("status of an active loan", "loan_ref", f.active, "its status is ACTIVE"),
			step("status of an authorized loan", "loan_ref", f.authorized, "its status is CASH_RELEASE_AUTHORIZED"),
		}
	case pathAgreement:
		return []badRequest{
			bad("unknown language", "lang", "xyz", "<b>lang</b>: must be one of alb, bos, bul, eng, mkd, ron, rus, sqi"),
			bad("two-letter language", "lang", "en", "<b>lang</b>: must be one of"),
			step("agreement of a submitted loan", "loanRef", f.submitted, "SUBMITTED"),
		}
	case pathUpload:
		return []badRequest{
			step("upload for a submitted loan", "loan_ref", f.submitted, "cannot upload a signed_agreement for a loan in status SUBMITTED"),
			step("upload for an active loan", "loan_ref", f.active, "in status ACTIVE"),
			{name: "url-encoded (no files)", creds: &demo, values: valid, encoding: "urlencoded", status: http.StatusBadRequest, contains: "<b>loan_agreement</b>: required"},
		}
	case pathConfirm:
		return []badRequest{
			step("confirm a submitted loan", "loanRef", f.submitted, "cannot confirm the pay out of a loan in status SUBMITTED"),
			step("confirm an approved loan", "loanRef", f.approved, "in status APPROVED"),
		}
	case pathRepayment:
		return []badRequest{
			bad("dotted date", "date", "26.06.2018", "<b>date</b>: must be a date ddMMyyyy"),
			bad("ISO date", "date", "2018-06-26", "<b>date</b>: must be a date ddMMyyyy"),
			bad("short date", "date", "2662018", "<b>date</b>: must be a date ddMMyyyy"),
			bad("impossible date", "date", "30022018", "<b>date</b>: must be a date ddMMyyyy"),
			bad("future date", "date", "26062019", "paid_on is in the future"),
			bad("non-numeric amount", "amount", "abc", "<b>amount</b>: must be a number"),
			bad("zero amount", "amount", "0.00", "<b>amount</b>: must be a positive number"),
			bad("too many decimals", "amount", "10.001", "<b>amount</b>: must have at most 2 decimal places"),
			step("repay a submitted loan", "loanRef", f.submitted, "cannot repay a loan in status SUBMITTED"),
		}
	}
	return nil
}

// TestBadInputOnEveryInterface sends each interface the bad requests of the
// issue (and more): each gets the document's error shape, an HTML page
// with 400, or 403 for authentication, never a 500, and changes nothing.
func TestBadInputOnEveryInterface(t *testing.T) {
	e := newEnv(t)
	f := newFixture(e)
	before := map[int64]lending.Status{}
	for _, ref := range []int64{f.submitted, f.approved, f.authorized, f.active, f.others} {
		before[ref] = e.status(ref)
	}
	var loansBefore int64
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Count(&loansBefore).Error)

	for _, ifc := range interfaces {
		t.Run(ifc.name, func(t *testing.T) {
			valid := ifc.values(f)
			files := map[string][]byte{}
			for _, name := range ifc.files {
				files[name] = pdfFile()
			}
			if len(files) == 0 {
				files = nil
			}
			cases := append(generic(t, ifc, f, valid, files), specific(t, ifc, f, valid, files)...)
			for _, r := range cases {
				t.Run(r.name, func(t *testing.T) {
					if r.values == nil && r.encoding == "" {
						r.values = valid
					}
					if r.files == nil && !strings.HasPrefix(r.name, "missing file") {
						r.files = files
					}
					body := htmlError(t, send(e, ifc, r), r.status)
					require.Contains(t, body, r.contains)
				})
			}
		})
	}

	for ref, status := range before {
		require.Equal(t, status, e.status(ref), "loan %d", ref)
	}
	var loansAfter, repayments int64
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Count(&loansAfter).Error)
	require.Equal(t, loansBefore, loansAfter, "no bad application created a loan")
	require.NoError(t, e.store.DB.Model(&models.Transaction{}).Where("kind = ?", lending.TxRepayment).Count(&repayments).Error)
	require.Zero(t, repayments)
}
