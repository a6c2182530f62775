package apicontract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/loanflow/loanflow/api/openapi"
)

// Prefixes are the paths the document describes.
var Prefixes = []string{"/v1/", "/backoffice/v1/"}

// InScope reports whether path is one the document describes.
func InScope(path string) bool {
	for _, p := range Prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// Checker validates exchanges against the document. It is safe for
// concurrent use; its counts cover every test of the process.
type Checker struct {
	doc     *openapi3.T
	router  routers.Router
	problem *openapi3.Schema

	requests, responses, unrouted atomic.Int64
	// exercised counts the answers per operation ("GET /v1/loans/{ref}").
	exercised sync.Map
}

// Load is the document as the tests hold it: loaded and validated as
// kin-openapi validates OpenAPI 3.1, its object schemas closed
// (closeObjects).
func Load() (*openapi3.T, error) {
	raw, err := closeObjects(openapi.JSON)
	if err != nil {
		return nil, fmt.Errorf("close the document's objects: %w", err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	return doc, nil
}

var shared = sync.OnceValues(func() (*Checker, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI document: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("the OpenAPI document has no Problem schema")
	}
	return &Checker{doc: doc, router: router, problem: problem.Value}, nil
})

// Shared is the process's checker.
func Shared() (*Checker, error) { return shared() }

// Wrap is h with every exchange under Prefixes checked: t fails (without
// stopping) naming the method, the path and the mismatch. Other paths pass
// through unchecked.
func Wrap(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	c, err := Shared()
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !InScope(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for _, problem := range c.Check(r, body, rec) {
			t.Errorf("OpenAPI: %s %s: %s", r.Method, r.URL.RequestURI(), problem)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// Counts are how many requests and answers the checker validated against
// an operation, and how many answers to requests the document has no
// operation for (each a 404 or 405 problem).
func (c *Checker) Counts() (requests, responses, unrouted int64) {
	return c.requests.Load(), c.responses.Load(), c.unrouted.Load()
}

// Unexercised lists the document's operations no checked request reached.
func (c *Checker) Unexercised() []string {
	var out []string
	for _, path := range c.doc.Paths.InMatchingOrder() {
		for method := range c.doc.Paths.Value(path).Operations() {
			if _, ok := c.exercised.Load(method + " " + path); !ok {
				out = append(out, method+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Check validates the request r, whose body was body, and its answer rec
// against the document, and says what does not match:
//
//   - a request the document has no operation for must be answered 404 or
//     405 with a problem;
//   - the answer must be one the operation lists, with its media type, body
//     and headers;
//   - a request the document refuses must be refused (4xx): a 2xx means the
//     document is stricter than the code;
//   - a request the document accepts must not be refused for a field the
//     code does not know: that field is in the document only.
func (c *Checker) Check(r *http.Request, body []byte, rec *httptest.ResponseRecorder) []string {
	ctx := context.Background()
	req := r.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.unrouted.Add(1)
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			return []string{fmt.Sprintf("answered %d, but the document has no such operation (%v)", rec.Code, err)}
		}
		return c.checkProblem(rec)
	}
	n, _ := c.exercised.LoadOrStore(route.Method+" "+route.Path, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
	var problems []string
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true, AuthenticationFunc: basicAuth},
	}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	c.requests.Add(1)
	switch {
	case reqErr != nil && (rec.Code < 400 || rec.Code >= 500):
		problems = append(problems, fmt.Sprintf("the document refuses the request, yet it was answered %d: %v", rec.Code, reqErr))
	case reqErr == nil && rec.Code == http.StatusBadRequest:
		for _, f := range unknownFields(rec) {
			problems = append(problems, fmt.Sprintf("the document accepts field %q, which the code refuses as unknown", f))
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, fmt.Sprintf("the answer %d does not match the document: %v\nbody: %s", rec.Code, err, clip(rec.Body.String())))
	}
	c.responses.Add(1)
	return problems
}

// checkProblem checks an answer is a problem document.
func (c *Checker) checkProblem(rec *httptest.ResponseRecorder) []string {
	mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if mt != "application/problem+json" {
		return []string{fmt.Sprintf("answered %d as %q, not application/problem+json", rec.Code, mt)}
	}
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		return []string{fmt.Sprintf("answered %d with a problem that is not JSON: %v", rec.Code, err)}
	}
	if err := c.problem.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		return []string{fmt.Sprintf("answered %d with a body that is not a Problem: %v", rec.Code, err)}
	}
	return nil
}

// unknownFields are the fields a 400 problem refuses as unknown.
func unknownFields(rec *httptest.ResponseRecorder) []string {
	var p struct {
		Errors []struct{ Field, Message string }
	}
	if json.Unmarshal(rec.Body.Bytes(), &p) != nil {
		return nil
	}
	var out []string
	for _, e := range p.Errors {
		if e.Message == "unknown field" {
			out = append(out, e.Field)
		}
	}
	return out
}

// basicAuth admits a request that sends HTTP Basic credentials, as both
// security schemes ask; whether they are right is the code's to say.
func basicAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s == nil || s.Type != "http" || !strings.EqualFold(s.Scheme, "basic") {
		return fmt.Errorf("security scheme %q is not HTTP Basic", in.SecuritySchemeName)
	}
	if _, _, ok := in.RequestValidationInput.Request.BasicAuth(); !ok {
		return errors.New("no HTTP Basic credentials")
	}
	return nil
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
