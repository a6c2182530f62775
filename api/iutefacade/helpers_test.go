package iutefacade

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/apicontract"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

type creds = testkit.Creds

// Accounts: the dev seed's, plus a second partner of the same type and a
// partner of another type.
var (
	demo        = testkit.Demo
	other       = testkit.Other
	shop        = testkit.Shop
	underwriter = testkit.Underwriter
	operations  = testkit.Operations
)

// testNow is the clock of the API and the workflow's start time: the day
// before the document's first repayment date, so the calculation sample
// answers the document's date.
var testNow = time.Date(2018, 6, 26, 9, 30, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	code := testkit.Main(m)
	if c, err := apicontract.Shared(); err == nil {
		requests, responses, _ := c.Counts()
		fmt.Printf("OpenAPI: validated %d requests and %d responses of the JSON APIs against the document\n", requests, responses)
	}
	os.Exit(code)
}

// env is one test's loanflow: the JSON APIs and the façade over its own
// database and the real workflow.
type env struct {
	t      *testing.T
	store  *models.Store
	clock  *testkit.Clock
	router *gin.Engine
}

func newEnv(t *testing.T) *env {
	t.Helper()
	k := kit.New(t, kit.StartAt(testNow), kit.WithApprovalTTL(7*24*time.Hour))
	r := api.NewRouter(k.Service)
	Mount(r, k.Service, Options{Logger: k.Logger})
	return &env{t: t, store: k.Store, clock: k.Clock, router: r}
}

// serve runs one request through the router. The façade's tests drive the
// JSON APIs too (the back office's decisions, /v1 beside the façade): those
// exchanges are checked against the OpenAPI document as the api package's
// are.
func (e *env) serve(req *http.Request) *httptest.ResponseRecorder {
	e.t.Helper()
	rec := httptest.NewRecorder()
	apicontract.Wrap(e.t, e.router).ServeHTTP(rec, req)
	require.NotEqual(e.t, http.StatusInternalServerError, rec.Code, rec.Body.String())
	return rec
}

// get calls a GET interface with the query parameters.
func (e *env) get(c *creds, path string, q url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path+"?"+q.Encode(), nil)
	if c != nil {
		req.SetBasicAuth(c.User, c.Password)
	}
	return e.serve(req)
}

// postForm calls a POST interface with a url-encoded body.
func (e *env) postForm(c *creds, path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c != nil {
		req.SetBasicAuth(c.User, c.Password)
	}
	return e.serve(req)
}

// part is one part of a multipart body; a file when filename or data is set.
type part struct {
	name, value string
	filename    string
	data        []byte
}

func multipartBody(t *testing.T, parts []part) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.filename == "" && p.data == nil {
			require.NoError(t, mw.WriteField(p.name, p.value))
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = w.Write(p.data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

// postMultipart calls a POST interface with a multipart/form-data body.
func (e *env) postMultipart(c *creds, path string, parts []part) *httptest.ResponseRecorder {
	e.t.Helper()
	ctype, body := multipartBody(e.t, parts)
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if c != nil {
		req.SetBasicAuth(c.User, c.Password)
	}
	return e.serve(req)
}

// staff calls the back office as JSON.
func (e *env) staff(c creds, method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(e.t, err)
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, r)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(c.User, c.Password)
	return e.serve(req)
}

func (e *env) approve(ref int64) {
	e.t.Helper()
	res := e.staff(underwriter, http.MethodPost, fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), nil)
	require.Equal(e.t, http.StatusOK, res.Code, res.Body.String())
}

func (e *env) authorize(ref int64) {
	e.t.Helper()
	res := e.staff(operations, http.MethodPost, fmt.Sprintf("/backoffice/v1/loans/%d/cash-release/authorize", ref), nil)
	require.Equal(e.t, http.StatusOK, res.Code, res.Body.String())
}

// loan reads a loan as the back office sees it.
func (e *env) loan(ref int64) map[string]any {
	e.t.Helper()
	res := e.staff(operations, http.MethodGet, fmt.Sprintf("/backoffice/v1/loans/%d", ref), nil)
	require.Equal(e.t, http.StatusOK, res.Code, res.Body.String())
	var m map[string]any
	require.NoError(e.t, json.Unmarshal(res.Body.Bytes(), &m))
	if inner, ok := m["loan"].(map[string]any); ok {
		return inner
	}
	return m
}

// age makes the loan's recorded transactions d older, as if the workflow's
// clock, which stands still in the test environment, had moved on.
func (e *env) age(ref int64, d time.Duration) {
	e.t.Helper()
	txs, err := e.store.Transactions(context.Background(), ref)
	require.NoError(e.t, err)
	for _, tx := range txs {
		require.NoError(e.t, e.store.DB.Model(&models.Transaction{}).Where("id = ?", tx.ID).Update("created_at", tx.CreatedAt.Add(-d)).Error)
	}
}

func (e *env) status(ref int64) lending.Status {
	e.t.Helper()
	l, err := e.store.GetLoan(context.Background(), ref)
	require.NoError(e.t, err)
	return l.Status
}

// Paths of the interfaces under the unprefixed mount.
const (
	pathCalc      = "/rest/api/partner/loan/calc"
	pathNewLoan   = "/rest/api/partner/new/loan"
	pathCancel    = "/rest/api/partner/cancel/loan"
	pathStatus    = "/rest/api/partner/loan/check/status"
	pathInfo      = "/rest/api/partner/loan/info"
	pathAgreement = "/rest/api/partner/generate/agreement"
	pathUpload    = "/rest/api/partner/loan/files/upload"
	pathAllow     = "/rest/api/partner/allow/cash/release"
	pathConfirm   = "/rest/api/partner/confirm/cash/release"
	pathRepayment = "/rest/api/partner/insert/repayment"
)

// application is a valid add new loan request; pin makes the applicant.
func application(pin, first, last string) []part {
	return []part{
		{name: "pin", value: pin},
		{name: "first_name", value: first},
		{name: "last_name", value: last},
		{name: "patronymic", value: "James"},
		{name: "birth_date", value: "01.01.1990"},
		{name: "document_serial", value: "200000907"},
		{name: "gsm", value: "0123456789"},
		{name: "phone_home", value: "012345678"},
		{name: "alt_contact_name", value: "June"},
		{name: "alt_contact_relation", value: "sister"},
		{name: "alt_contact_phone", value: "0987654321"},
		{name: "town", value: "Chisinau"},
		{name: "street", value: "Long street"},
		{name: "house_nr", value: "11"},
		{name: "apartment_nr", value: ""},
		{name: "loan_amount", value: "2000"},
		{name: "loan_duration", value: "6"},
		{name: "submit_person", value: "Mike"},
		{name: "submit_post_office", value: "Main office"},
		{name: "partner_type", value: "post"},
	}
}

// withPart replaces (or adds) the named part; without drops it.
func withPart(parts []part, p part) []part {
	out := make([]part, 0, len(parts)+1)
	found := false
	for _, q := range parts {
		if q.name == p.name {
			out = append(out, p)
			found = true
			continue
		}
		out = append(out, q)
	}
	if !found {
		out = append(out, p)
	}
	return out
}

func without(parts []part, name string) []part {
	out := make([]part, 0, len(parts))
	for _, q := range parts {
		if q.name != name {
			out = append(out, q)
		}
	}
	return out
}

// submit adds a loan through the façade and returns its ref.
func (e *env) submit(c creds, parts []part) int64 {
	e.t.Helper()
	res := e.postMultipart(&c, pathNewLoan, parts)
	doc := xmlOK(e.t, res)
	require.Equal(e.t, "loan", doc.name)
	var ref int64
	_, err := fmt.Sscan(doc.child(e.t, "loan_ref").text, &ref)
	require.NoError(e.t, err)
	return ref
}

func refQuery(ref int64) url.Values {
	return url.Values{"loanRef": {fmt.Sprint(ref)}, "partner_type": {"post"}}
}

// jpegFile is a small real JPEG image.
func jpegFile(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		img.Set(x, x, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	return buf.Bytes()
}

// pdfFile is a minimal PDF, as a scanner might produce.
func pdfFile() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// node is a parsed XML element: its name, text and children in order.
type node struct {
	name     string
	text     string
	children []*node
}

func parseXML(t *testing.T, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, string(data))
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else {
				require.Nil(t, root, "one root element")
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += strings.TrimSpace(string(tk))
			}
		}
	}
	require.NotNil(t, root, string(data))
	return root
}

// shape is the element structure: names and order, recursively.
func (n *node) shape() string {
	if len(n.children) == 0 {
		return n.name
	}
	parts := make([]string, len(n.children))
	for i, c := range n.children {
		parts[i] = c.shape()
	}
	return n.name + "(" + strings.Join(parts, ",") + ")"
}

func (n *node) child(t *testing.T, name string) *node {
	t.Helper()
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no <%s> in <%s>", name, n.name)
	return nil
}

// values maps each leaf's name to its text (the last one wins).
func (n *node) values() map[string]string {
	m := map[string]string{}
	var walk func(*node)
	walk = func(x *node) {
		if len(x.children) == 0 {
			m[x.name] = x.text
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(n)
	return m
}

// xmlOK checks a successful XML answer and parses it.
func xmlOK(t *testing.T, res *httptest.ResponseRecorder) *node {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, iutewire.ContentTypeXML, res.Header().Get("Content-Type"))
	require.True(t, strings.HasPrefix(res.Body.String(), iutewire.XMLDeclaration+"\n"), res.Body.String())
	return parseXML(t, res.Body.Bytes())
}

// emptyOK checks an answer without content.
func emptyOK(t *testing.T, res *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, res.Body.String())
}

// htmlError checks an error page and answers its text.
func htmlError(t *testing.T, res *httptest.ResponseRecorder, status int) string {
	t.Helper()
	require.Equal(t, status, res.Code, res.Body.String())
	require.Equal(t, iutewire.ContentTypeHTML, res.Header().Get("Content-Type"))
	body := res.Body.String()
	require.True(t, strings.HasPrefix(body, "<!DOCTYPE html>"), body)
	require.Contains(t, body, fmt.Sprintf("<h1>HTTP Status %d", status))
	return body
}
