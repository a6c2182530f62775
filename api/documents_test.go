package api

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/workflows"
)

func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func jpegBytes() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func pdfBytes() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// multipartBody builds a form with the given fields; a field named "file"
// is sent as a file part.
func multipartBody(kind, filename string, data []byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if kind != "" {
		_ = w.WriteField("kind", kind)
	}
	if data != nil {
		fw, _ := w.CreateFormFile("file", filename)
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return &b, w.FormDataContentType()
}

func (e *env) upload(c creds, ref int64, kind lending.DocumentKind, filename string, data []byte, headers ...map[string]string) response {
	e.t.Helper()
	body, ctype := multipartBody(string(kind), filename, data)
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/v1/loans/%d/documents", ref), body)
	req.Header.Set("Content-Type", ctype)
	for _, h := range headers {
		for k, v := range h {
			req.Header.Set(k, v)
		}
	}
	req.SetBasicAuth(c.User, c.Password)
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	return response{rec}
}

func (e *env) documents(ref int64) []models.Document {
	e.t.Helper()
	docs, err := e.store.Documents(context.Background(), ref)
	require.NoError(e.t, err)
	return docs
}

func TestUploadDocument(t *testing.T) {
	cases := []struct {
		name            string
		kind            lending.DocumentKind
		filename, ctype string
		data            []byte
	}{
		{"pdf agreement", "signed_agreement", "agreement.pdf", "application/pdf", pdfBytes()},
		{"png statement", "bank_statement", "statement.png", "image/png", pngBytes()},
		{"jpeg id copy", "id_copy", `C:\scans\id.jpg`, "image/jpeg", jpegBytes()},
	}
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.upload(demo, l.Ref, tc.kind, tc.filename, tc.data)
			require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
			body := res.json(t)
			doc := body["document"].(map[string]any)
			sum := sha256.Sum256(tc.data)
			require.Equal(t, string(tc.kind), doc["kind"])
			require.Equal(t, tc.ctype, doc["content_type"])
			require.Equal(t, hex.EncodeToString(sum[:]), doc["sha256"])
			require.Equal(t, float64(len(tc.data)), doc["size"])
			require.Equal(t, "partner:demo", doc["uploaded_by"])
			require.NotContains(t, doc["filename"], `\`)
			require.Equal(t, float64(l.Ref), body["loan"].(map[string]any)["ref"])

			id := uint(doc["id"].(float64))
			stored, err := e.store.GetDocument(context.Background(), l.Ref, id)
			require.NoError(t, err)
			require.Equal(t, tc.data, stored.Data)
			require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateSubmitDocument, ID: fmt.Sprintf("doc-%d", id),
				Arg: workflows.DocumentRequest{Actor: "partner:demo", Kind: tc.kind, DocumentID: id}}, e.engine.LastUpdate(t))
		})
	}
	require.Equal(t, "id.jpg", e.documents(l.Ref)[2].Filename)
}

func TestUploadDocumentRefused(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	big := append(pdfBytes(), bytes.Repeat([]byte("0"), service.MaxDocumentSize)...)
	cases := []struct {
		name   string
		kind   lending.DocumentKind
		data   []byte
		status int
		field  string
	}{
		{"plain text", "bank_statement", []byte("just some text, not a scan"), http.StatusUnsupportedMediaType, ""},
		{"html", "bank_statement", []byte("<html><body>hi</body></html>"), http.StatusUnsupportedMediaType, ""},
		{"over 10 MB", "bank_statement", big, http.StatusRequestEntityTooLarge, ""},
		{"no kind", "", pdfBytes(), http.StatusBadRequest, "kind"},
		{"unknown kind", "passport", pdfBytes(), http.StatusBadRequest, "kind"},
		{"no file", "bank_statement", nil, http.StatusBadRequest, "file"},
		{"empty file", "bank_statement", []byte{}, http.StatusBadRequest, "file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := e.upload(demo, l.Ref, tc.kind, "f", tc.data).problem(t, tc.status)
			if tc.field != "" {
				require.Equal(t, []string{tc.field}, p.fields())
			}
		})
	}
	require.Empty(t, e.documents(l.Ref))
	require.Zero(t, len(e.engine.Updates()))

	// Not multipart at all.
	p := e.post(demo, fmt.Sprintf("/v1/loans/%d/documents", l.Ref), map[string]any{"kind": "id_copy"}, nil).problem(t, http.StatusUnsupportedMediaType)
	require.Equal(t, []string{"Content-Type"}, p.fields())

	// A truncated multipart body.
	body, ctype := multipartBody("id_copy", "a.pdf", pdfBytes())
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/v1/loans/%d/documents", l.Ref), strings.NewReader(body.String()[:body.Len()-20]))
	req.Header.Set("Content-Type", ctype)
	req.SetBasicAuth(demo.User, demo.Password)
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	response{rec}.problem(t, http.StatusBadRequest)
}

func TestUploadDocumentCleanupOnRefusedUpdate(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusSubmitted, "2000.00")
	e.engine.UpdateErr = &failure.Error{Kind: failure.KindConflict, Type: "illegal-transition", Detail: "documents are accepted from APPROVED"}
	p := e.upload(demo, l.Ref, "signed_agreement", "a.pdf", pdfBytes()).problem(t, http.StatusConflict)
	require.Equal(t, "documents are accepted from APPROVED", p.Detail)
	require.Equal(t, 1, len(e.engine.Updates()))
	require.Empty(t, e.documents(l.Ref), "the refused document was deleted")

	// After an outage the Update may have been applied: the file stays.
	e.engine.UpdateErr = &failure.Error{Kind: failure.KindUnavailable, Detail: "the loan engine is unavailable, retry later"}
	e.upload(demo, l.Ref, "signed_agreement", "a.pdf", pdfBytes()).problem(t, http.StatusServiceUnavailable)
	require.Len(t, e.documents(l.Ref), 1)
}

// zipBytes is a ZIP archive holding one file.
func zipBytes() []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("payload.html")
	_, _ = w.Write([]byte("<script>alert(1)</script>"))
	_ = zw.Close()
	return b.Bytes()
}

// TestUploadsAreWhatTheySay: a file that sniffs as a PDF or an image but is
// also a ZIP archive, a PDF cut short, an image that does not decode, and a
// file name with bidirectional controls are refused, naming the file.
func TestUploadsAreWhatTheySay(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	for _, tc := range []struct {
		name, filename string
		data           []byte
		status         int
	}{
		{"a PDF that is also a ZIP", "a.pdf", append(pdfBytes(), zipBytes()...), http.StatusUnsupportedMediaType},
		{"a PNG that is also a ZIP", "a.png", append(pngBytes(), zipBytes()...), http.StatusUnsupportedMediaType},
		{"a PDF without its trailer", "a.pdf", []byte("%PDF-1.4\n1 0 obj << >> endobj\n"), http.StatusUnsupportedMediaType},
		{"a PNG header and nothing else", "a.png", pngBytes()[:16], http.StatusUnsupportedMediaType},
		{"a name that reads backwards", "invoice\u202efdp.exe", pdfBytes(), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := e.upload(demo, l.Ref, lending.DocSignedAgreement, tc.filename, tc.data).problem(t, tc.status)
			require.Equal(t, []string{"file"}, p.fields())
		})
	}
	require.Empty(t, e.documents(l.Ref))
}
