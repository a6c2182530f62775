package iutefacade

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/lending"
	"github.com/stretchr/testify/require"
)

// samplePlaceholderAuth is the Authorization header of every sample: a
// redacted token that decodes to no text.
const samplePlaceholderAuth = "Basic d2VziU6sbl91bmlvbjph"

// sampleRequest reads testdata/requests/name into a request, as a client
// would send it: CRLF line ends in the body, a Content-Length, the seeded
// partner's credentials in place of the placeholder.
func sampleRequest(t *testing.T, name, prefix string) *http.Request {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "requests", name))
	require.NoError(t, err)
	head, body, _ := strings.Cut(string(raw), "\n\n")
	lines := strings.Split(head, "\n")
	line := strings.Fields(lines[0])
	require.Len(t, line, 3, "request line of %s", name)
	target := line[1]
	require.True(t, strings.HasPrefix(target, "/iute/rest/api/partner/"), target)
	target = prefix + strings.TrimPrefix(target, "/iute/rest/api/partner")
	body = strings.TrimSuffix(body, "\n")
	var r io.Reader
	if body != "" {
		body = strings.ReplaceAll(body, "\n", "\r\n")
		if !strings.Contains(body, "WebKitFormBoundary") {
			body = strings.TrimSuffix(body, "\r\n")
		}
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(line[0], target, r)
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		require.True(t, ok, "header line %q of %s", l, name)
		req.Header.Add(k, strings.TrimSpace(v))
	}
	require.Equal(t, samplePlaceholderAuth, req.Header.Get("Authorization"))
	req.Host = req.Header.Get("Host")
	req.SetBasicAuth(demo.User, demo.Password)
	return req
}

// fillFiles rewrites a multipart sample with content in its file parts,
// keeping its boundary, part order and part headers: the document leaves
// the files' bytes out.
func fillFiles(t *testing.T, req *http.Request, files map[string][]byte) *http.Request {
	t.Helper()
	_, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(req.Body, params["boundary"])
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.SetBoundary(params["boundary"]))
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		if f, ok := files[p.FormName()]; ok {
			data = f
		}
		w, err := mw.CreatePart(p.Header)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	out := httptest.NewRequest(req.Method, req.URL.String(), &buf)
	out.Header = req.Header.Clone()
	out.Host = req.Host
	return out
}

// sampleMatch checks an answer is Iute's sample name itself, shape and values.
func sampleMatch(name string) func(*testing.T, *env, *httptest.ResponseRecorder) {
	return func(t *testing.T, _ *env, res *httptest.ResponseRecorder) {
		got, want := xmlOK(t, res), sampleResponse(t, name)
		require.Equal(t, want.shape(), got.shape())
		require.Equal(t, want.values(), got.values())
	}
}

// sampleResponse parses testdata/responses/name.
func sampleResponse(t *testing.T, name string) *node {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "responses", name))
	require.NoError(t, err)
	return parseXML(t, raw)
}

// Steps that bring the document's loan 90000 to the state a sample needs.

func (e *env) submitted() int64 {
	e.t.Helper()
	return e.submit(demo, application("I12356789T", "John", "Smith"))
}

func (e *env) approved() int64 {
	ref := e.submitted()
	e.approve(ref)
	return ref
}

func (e *env) documentsSubmitted() int64 {
	ref := e.approved()
	e.uploadDocuments(ref)
	return ref
}

// uploadDocuments sends the signed agreement and the bank statement.
func (e *env) uploadDocuments(ref int64) {
	e.t.Helper()
	emptyOK(e.t, e.postMultipart(&demo, pathUpload, []part{
		{name: "loan_ref", value: fmt.Sprint(ref)}, {name: "partner_type", value: "post"},
		{name: "loan_agreement", filename: "signed.pdf", data: pdfFile()},
		{name: "bank_statement", filename: "statement.jpg", data: jpegFile(e.t)},
	}))
}

func (e *env) authorized() int64 {
	ref := e.documentsSubmitted()
	e.authorize(ref)
	return ref
}

func (e *env) active() int64 {
	e.t.Helper()
	ref := e.authorized()
	emptyOK(e.t, e.get(&demo, pathConfirm, refQuery(ref)))
	return ref
}

// TestSampleRequests sends every sample request of the document as written
// there, under both prefixes, and checks the answer against the sample
// response: status, content type, root, element names and order.
func TestSampleRequests(t *testing.T) {
	tests := []struct {
		name    string
		request string
		setup   func(e *env)
		files   map[string]func(t *testing.T) []byte
		check   func(t *testing.T, e *env, res *httptest.ResponseRecorder)
	}{
		{
			name: "calculate loan conditions", request: "calc.http",
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				got, want := xmlOK(t, res), sampleResponse(t, "loan_calc.xml")
				require.Equal(t, want.shape(), got.shape())
				require.Equal(t, want.values()["first_repayment_date"], got.values()["first_repayment_date"])
			},
		},
		{
			name: "add new loan", request: "new_loan.http",
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				got, want := xmlOK(t, res), sampleResponse(t, "new_loan.xml")
				require.Equal(t, want.shape(), got.shape())
				require.Equal(t, map[string]string{
					"loan_ref": "90000", "loan_period": "6", "first_repayment_date": "26.07.2018",
					"client_pin": "I80606014N", "client_name": "Nelea Iacovet",
				}, got.values())
				// The sample's phone_home has ten digits, not 0 and eight:
				// the auto-reject rules refuse it.
				require.Eventually(e.t, func() bool { return e.status(90000) == lending.StatusAutoRejected }, 10*time.Second, 10*time.Millisecond, "the auto-reject rules to run")
				// Its file parts are empty: nothing to store.
				require.Empty(t, e.loan(90000)["documents"])
			},
		},
		{
			name: "cancel loan", request: "cancel_loan.http",
			setup: func(e *env) {
				for range 7 { // the sample cancels loan 90007
					_, err := e.store.NextLoanRef(context.Background())
					require.NoError(e.t, err)
				}
				require.Equal(e.t, int64(90007), e.submitted())
			},
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				emptyOK(t, res)
				require.Equal(t, lending.StatusCancelled, e.status(90007))
			},
		},
		{
			name: "check loan status", request: "check_status.http",
			setup: func(e *env) { e.submitted() },
			check: sampleMatch("check_status.xml"),
		},
		{
			name: "check loan info before pay-out", request: "loan_info.http",
			setup: func(e *env) { e.authorized() },
			check: sampleMatch("loan_info_no_loan.xml"),
		},
		{
			name: "check loan info", request: "loan_info.http",
			setup: func(e *env) {
				e.active()
				// Repay the first installment exactly, as in the sample.
				first := xmlOK(e.t, e.get(&demo, pathInfo, refQuery(90000))).child(e.t, "loan").child(e.t, "installment_table").children[0]
				amount := first.child(e.t, "total").text
				emptyOK(e.t, e.get(&demo, pathRepayment, url.Values{"loanRef": {"90000"}, "date": {"26062018"}, "amount": {amount}, "partner_type": {"post"}}))
			},
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				got, want := xmlOK(t, res), sampleResponse(t, "loan_info.xml")
				require.Equal(t, want.shape(), got.shape())
				v := got.values()
				require.Equal(t, "success", v["message"])
				require.Equal(t, "0", v["status"])
				rows := got.child(t, "loan").child(t, "installment_table").children
				require.Equal(t, rows[0].child(t, "total").text, v["repaid"])
				require.Equal(t, "0.0", rows[0].child(t, "to_be_paid").text)
				require.Equal(t, rows[1].child(t, "total").text, rows[1].child(t, "to_be_paid").text)
				require.Equal(t, "26.07.2018", rows[0].child(t, "due_date").text)
			},
		},
		{
			name: "generate agreement", request: "generate_agreement.http",
			setup: func(e *env) { e.approved() },
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				require.Equal(t, http.StatusOK, res.Code, res.Body.String())
				require.Equal(t, "application/pdf;charset=UTF-8", res.Header().Get("Content-Type"))
				require.Equal(t, "attachment;filename=specific_agreement_90000_alb.pdf", res.Header().Get("Content-Disposition"))
				require.True(t, bytes.HasPrefix(res.Body.Bytes(), []byte("%PDF-")))
				require.Contains(t, pdfText(t, res.Body.Bytes()), "KONTRATË HUAJE nr. 90000")
			},
		},
		{
			// As printed, the sample's files are empty: both are reported.
			name: "upload files, as printed", request: "upload_files.http",
			setup: func(e *env) { e.approved() },
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				body := htmlError(t, res, http.StatusBadRequest)
				require.Contains(t, body, "<b>loan_agreement</b>: required")
				require.Contains(t, body, "<b>bank_statement</b>: required")
				require.Equal(t, lending.StatusApproved, e.status(90000))
			},
		},
		{
			name: "upload files", request: "upload_files.http",
			setup: func(e *env) { e.approved() },
			files: map[string]func(t *testing.T) []byte{
				"loan_agreement": jpegFile,
				"bank_statement": func(*testing.T) []byte { return pdfFile() },
			},
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				emptyOK(t, res)
				require.Equal(t, lending.StatusDocumentsSubmitted, e.status(90000))
				docs := e.loan(90000)["documents"].([]any)
				require.Len(t, docs, 2)
				require.Equal(t, string(lending.DocSignedAgreement), docs[0].(map[string]any)["kind"])
				require.Equal(t, "iddoc.jpg", docs[0].(map[string]any)["filename"])
				require.Equal(t, string(lending.DocBankStatement), docs[1].(map[string]any)["kind"])
			},
		},
		{
			name: "allow cash release", request: "allow_cash_release.http",
			setup: func(e *env) { e.authorized() },
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				got, want := xmlOK(t, res), sampleResponse(t, "allow_cash_release.xml")
				require.Equal(t, want.shape(), got.shape())
				require.Equal(t, map[string]string{
					"allowed": "true", "loan_status": "normal", "loan_ref": "90000", "loan_amount": "2000.0",
					"client_pin": "I12356789T", "client_first_name": "John", "client_last_name": "Smith",
				}, got.values())
			},
		},
		{
			name: "confirm cash release", request: "confirm_cash_release.http",
			setup: func(e *env) { e.authorized() },
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				emptyOK(t, res)
				require.Equal(t, lending.StatusActive, e.status(90000))
			},
		},
		{
			name: "insert repayment", request: "insert_repayment.http",
			setup: func(e *env) { e.active() },
			check: func(t *testing.T, e *env, res *httptest.ResponseRecorder) {
				emptyOK(t, res)
				info := xmlOK(t, e.get(&demo, pathInfo, refQuery(90000))).values()
				require.Equal(t, "1095.68", info["repaid"])
			},
		},
	}
	for _, prefix := range Prefixes {
		for _, tt := range tests {
			t.Run(prefix+" "+tt.name, func(t *testing.T) {
				e := newEnv(t)
				if tt.setup != nil {
					tt.setup(e)
				}
				req := sampleRequest(t, tt.request, prefix)
				if tt.files != nil {
					files := map[string][]byte{}
					for name, f := range tt.files {
						files[name] = f(t)
					}
					req = fillFiles(t, req, files)
				}
				tt.check(t, e, e.serve(req))
			})
		}
	}
}

// TestXMLIsByteForByteTheSamplesShape compares whole answers with the
// samples' text where our values equal the document's.
func TestXMLIsByteForByteTheSamplesShape(t *testing.T) {
	calc, err := iutewire.EncodeXML(iutewire.LoanCalc{FirstRepaymentDate: "26.07.2018", MonthlyPayment: "865.24", TotalLoanAmount: "6921.92"})
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join("testdata", "responses", "loan_calc.xml"))
	require.NoError(t, err)
	require.Equal(t, string(want), string(calc))

	cr, err := iutewire.EncodeXML(iutewire.CashRelease{Allowed: "true", LoanStatus: "normal", LoanRef: "90000", LoanAmount: "5000.0",
		ClientPIN: "I123456789T", ClientFirstName: "John", ClientLastName: "Smith"})
	require.NoError(t, err)
	want, err = os.ReadFile(filepath.Join("testdata", "responses", "allow_cash_release.xml"))
	require.NoError(t, err)
	require.Equal(t, string(want), string(cr))

	none, err := iutewire.EncodeXML(iutewire.LoanResponse{Message: iutewire.InfoNoActiveLoan, Status: iutewire.InfoStatusNoLoan})
	require.NoError(t, err)
	want, err = os.ReadFile(filepath.Join("testdata", "responses", "loan_info_no_loan.xml"))
	require.NoError(t, err)
	require.Equal(t, iutewire.XMLDeclaration+"\n"+string(want), string(none))
}

// TestSampleLineEndings makes sure the samples reach the server with CRLF
// multipart framing, as a real client sends it.
func TestSampleLineEndings(t *testing.T) {
	req := sampleRequest(t, "check_status.http", Prefixes[0])
	r := bufio.NewReader(req.Body)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n", line)
}
