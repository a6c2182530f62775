package loadtest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// driver makes loanflow's calls, timing each.
type driver struct {
	o   Options
	rec *recorder
}

// pdf is the smallest document the API takes as a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// call sends one request as who and decodes a 2xx answer into out.
func (d *driver) call(ctx context.Context, name string, who Credential, method, path string, headers map[string]string, body io.Reader, contentType string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, d.o.API+path, body)
	if err != nil {
		return err
	}
	req.SetBasicAuth(who.User, who.Secret)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	began := time.Now()
	resp, err := d.o.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	d.rec.call(name, resp.StatusCode, time.Since(began))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func (d *driver) json(ctx context.Context, name string, who Credential, method, path, key string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var headers map[string]string
	if key != "" {
		headers = map[string]string{"Idempotency-Key": key}
	}
	return d.call(ctx, name, who, method, path, headers, bytes.NewReader(b), "application/json", out)
}

// application is the README's application, for applicant n.
func application(product string, n int) map[string]any {
	return map[string]any{
		"product_code": product, "amount": "2000.00", "term_months": 6, "submitted_by": "load", "office": "Main office",
		"applicant": map[string]any{
			"identity_number": fmt.Sprintf("I%08dT", n), "first_name": "Load", "last_name": "Test", "patronymic": "Run",
			"birth_date": "1990-01-01", "document_serial": "200000907", "mobile_phone": "0123456789", "home_phone": "012345678",
			"alt_contact": map[string]any{"name": "June", "relation": "sister", "phone": "0987654321"},
			"address":     map[string]any{"town": "Chisinau", "street": "Long street", "house": "11", "apartment": ""},
		},
	}
}

// loan walks applicant n's loan from submission to CLOSED, as the README's
// curl walk does, or (repay false) to ACTIVE, where it stays.
func (d *driver) loan(ctx context.Context, n int, repay bool) (ref int64, err error) {
	var loan struct {
		Ref    int64  `json:"ref"`
		Status string `json:"status"`
	}
	key := fmt.Sprintf("load-%d", n)
	if err := d.json(ctx, "submit", d.o.Partner, "POST", "/v1/loans", key, application(d.o.Product, n), &loan); err != nil {
		return 0, err
	}
	if loan.Status != "SUBMITTED" {
		return loan.Ref, fmt.Errorf("loan %d is %s after submission", loan.Ref, loan.Status)
	}
	if err := d.payOut(ctx, loan.Ref); err != nil || !repay {
		return loan.Ref, err
	}
	return loan.Ref, d.repay(ctx, loan.Ref, key)
}

// payOut takes a submitted loan to ACTIVE: approved, its documents
// uploaded, its cash release authorized and paid out.
func (d *driver) payOut(ctx context.Context, ref int64) error {
	p, uw, ops := d.o.Partner, d.o.Underwriter, d.o.Operations
	base, bo := fmt.Sprintf("/v1/loans/%d", ref), fmt.Sprintf("/backoffice/v1/loans/%d", ref)
	if err := d.json(ctx, "approve", uw, "POST", bo+"/approve", "", map[string]any{}, nil); err != nil {
		return err
	}
	for _, kind := range []string{"signed_agreement", "bank_statement"} {
		if err := d.upload(ctx, p, base+"/documents", kind); err != nil {
			return err
		}
	}
	if err := d.json(ctx, "authorize", ops, "POST", bo+"/cash-release/authorize", "", map[string]any{}, nil); err != nil {
		return err
	}
	return d.json(ctx, "disburse", p, "POST", base+"/disbursement", "", map[string]any{}, nil)
}

// repay pays an ACTIVE loan's installments to CLOSED.
func (d *driver) repay(ctx context.Context, ref int64, key string) error {
	p := d.o.Partner
	loan := struct {
		Ref    int64  `json:"ref"`
		Status string `json:"status"`
	}{Ref: ref}
	base := fmt.Sprintf("/v1/loans/%d", ref)
	var sched struct {
		Installments []struct {
			Total string `json:"total"`
		} `json:"installments"`
	}
	if err := d.call(ctx, "schedule", p, "GET", base+"/schedule", nil, nil, "", &sched); err != nil {
		return err
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for i, inst := range sched.Installments {
		body := map[string]any{"amount": inst.Total, "paid_on": today}
		if err := d.json(ctx, "repay", p, "POST", base+"/repayments", fmt.Sprintf("%s-pay-%d", key, i), body, &loan); err != nil {
			return err
		}
	}
	if loan.Status != "CLOSED" {
		return fmt.Errorf("loan %d is %s after its last installment", loan.Ref, loan.Status)
	}
	return nil
}

func (d *driver) upload(ctx context.Context, who Credential, path, kind string) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("kind", kind); err != nil {
		return err
	}
	fw, err := mw.CreateFormFile("file", kind+".pdf")
	if err != nil {
		return err
	}
	if _, err := fw.Write(pdf); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	return d.call(ctx, "upload", who, "POST", path, nil, &body, mw.FormDataContentType(), nil)
}

// quotes sends Options.Quotes quotes to loanflow, then as many to a bare
// Gin handler that answers loanflow's own quote, and answers both rates.
func (d *driver) quotes(ctx context.Context) (real, bare float64, err error) {
	req := map[string]any{"amount": "2000.00", "term_months": 6}
	var answer json.RawMessage
	if err := d.json(ctx, "quote", d.o.Partner, "POST", "/v1/quotes", "", req, &answer); err != nil {
		return 0, 0, err
	}
	rate := func(api, name string) (float64, error) {
		dd := &driver{o: d.o, rec: d.rec}
		dd.o.API = api
		var (
			mu    sync.Mutex
			first error
		)
		began := time.Now()
		parallel(d.o.Quotes, d.o.Concurrency, func(int) {
			if err := dd.json(ctx, name, d.o.Partner, "POST", "/v1/quotes", "", req, nil); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		})
		return float64(d.o.Quotes) / time.Since(began).Seconds(), first
	}
	if real, err = rate(d.o.API, "quote"); err != nil {
		return 0, 0, err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/v1/quotes", func(c *gin.Context) {
		var in map[string]any
		if err := c.ShouldBindJSON(&in); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		c.Data(http.StatusOK, "application/json", answer)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	bare, err = rate(srv.URL, "quote-bare")
	return real, bare, err
}
