package providers

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// drop reads the request whole, as a server that committed it would, then closes the connection
// without answering.
func drop(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// testCaller maps an error answer to its status with the body as message, so a test sees what the
// provider's mapping was given.
func testCaller(maxBody int64) *Caller {
	return &Caller{Provider: "p", MaxBody: maxBody,
		MapError: func(op string, status int, body []byte, write bool) *Error {
			return StatusError("p", op, status, "", string(body), write)
		}}
}

func TestCallerClassifiesFailures(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		method    string
		write     bool
		status    int
		code      string
		message   string
		retryable bool
		ambiguous bool
	}{
		{name: "write dropped after it was read", handler: drop, method: http.MethodPost, write: true,
			code: CodeConnection, retryable: true, ambiguous: true},
		{name: "read dropped after it was read", handler: drop, method: http.MethodGet,
			code: CodeConnection, retryable: true},
		{name: "503 on a write never started", handler: answer(503, "busy"), method: http.MethodPost, write: true,
			status: 503, message: "busy", retryable: true},
		{name: "500 on a write may have committed", handler: answer(500, "oops"), method: http.MethodPost, write: true,
			status: 500, message: "oops", retryable: true, ambiguous: true},
		{name: "refusal", handler: answer(400, "too large"), method: http.MethodPost, write: true,
			status: 400, message: "too large"},
		{name: "answer over the limit", handler: answer(200, strings.Repeat("x", 17)), method: http.MethodPost, write: true,
			status: 200, code: CodeBadResponse, message: "answer longer than 16 bytes", retryable: true, ambiguous: true},
		{name: "error page over the limit keeps its status", handler: answer(404, strings.Repeat("y", 40)), method: http.MethodGet,
			status: 404, message: strings.Repeat("y", 16)},
		{name: "answer cut short", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10")
			_, _ = w.Write([]byte("{\"a\":"))
		}, method: http.MethodPost, write: true, status: 200, code: CodeBadResponse, message: "unexpected EOF", retryable: true, ambiguous: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			_, err := testCaller(16).Do(context.Background(), Request{Op: "Op", Method: tt.method, URL: srv.URL, Write: tt.write, Body: []byte("{}")})
			pe, ok := AsError(err)
			require.True(t, ok, "want *Error, got %v", err)
			require.Equal(t, "p", pe.Provider)
			require.Equal(t, "Op", pe.Op)
			require.Equal(t, tt.status, pe.Status)
			require.Equal(t, tt.code, pe.Code)
			require.Contains(t, pe.Message, tt.message)
			require.Equal(t, tt.retryable, pe.Retryable, "retryable")
			require.Equal(t, tt.ambiguous, pe.Ambiguous, "ambiguous")
		})
	}
}

func TestCallerNeverSentIsNotAmbiguous(t *testing.T) {
	srv := httptest.NewServer(answer(200, ""))
	srv.Close()
	_, err := testCaller(0).Do(context.Background(), Request{Op: "Op", Method: http.MethodPost, URL: srv.URL, Write: true})
	pe, ok := AsError(err)
	require.True(t, ok)
	require.Equal(t, CodeConnection, pe.Code)
	require.True(t, pe.Retryable)
	require.False(t, pe.Ambiguous, "nothing was sent")

	for _, r := range []Request{
		{Op: "Op", Method: "BAD METHOD", URL: srv.URL},
		{Op: "Op", Method: http.MethodPost, URL: srv.URL, JSON: func() {}},
	} {
		_, err = testCaller(0).Do(context.Background(), r)
		pe, ok = AsError(err)
		require.True(t, ok)
		require.Equal(t, CodeRequest, pe.Code)
		require.False(t, pe.Retryable)
	}
}

// TestCallerDoesNotReplayGetWrites guards against net/http silently re-sending a GET whose kept-alive
// connection dies before the answer: a write sent as GET would be committed twice.
func TestCallerDoesNotReplayGetWrites(t *testing.T) {
	tests := []struct {
		name  string
		write bool
		seen  int64
	}{
		{"a write is sent once", true, 2},
		{"a read may be replayed", false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					return // answered; the connection stays open for the next call
				}
				drop(w, r)
			}))
			defer srv.Close()
			c := testCaller(0)
			r := Request{Op: "Op", Method: http.MethodGet, URL: srv.URL, Write: tt.write}
			_, err := c.Do(context.Background(), r)
			require.NoError(t, err)
			_, err = c.Do(context.Background(), r)
			require.Error(t, err)
			require.Equal(t, tt.write, IsAmbiguous(err))
			require.Equal(t, tt.seen, n.Load())
		})
	}
}

func TestCallerSendsThePreparedRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Echo", r.Header.Get("X-Key")+" "+r.Header.Get("Content-Type"))
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c := testCaller(0)
	c.Prepare = func(req *http.Request) { req.Header.Set("X-Key", "k") }
	a, err := c.Do(context.Background(), Request{Op: "Op", Method: http.MethodPost, URL: srv.URL, JSON: map[string]int{"a": 1}})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, a.Status)
	require.Equal(t, "k application/json", a.Header.Get("X-Echo"))
	require.Equal(t, `{"a":1}`, string(a.Body))
}

func TestCallerLogsMaskedBodies(t *testing.T) {
	srv := httptest.NewServer(answer(200, `{"firstname":"Petra","id":7}`))
	defer srv.Close()
	tests := []struct {
		name        string
		mask        func([]byte) string
		contentType string
		body        string
		want        []string
		never       []string
	}{
		{"JSON masked", MaskJSON, "application/json", `{"lastname":"Yton"}`,
			[]string{`"op":"Op"`, `"path":"/loans"`, `\"lastname\":\"***\"`, `\"id\":7`}, []string{"Yton", "Petra", "secret-id"}},
		{"multipart by size", MaskJSON, "multipart/form-data; boundary=x", "--x--",
			[]string{`"request":"<multipart, 5 bytes>"`}, []string{"--x--"}},
		{"no mask, no bodies", nil, "application/json", `{"lastname":"Yton"}`,
			[]string{`"status":200`}, []string{"Yton", "Petra", `"request"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			c := testCaller(0)
			c.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c.Mask = tt.mask
			_, err := c.Do(context.Background(), Request{Op: "Op", Method: http.MethodPost, URL: srv.URL + "/loans?externalId=secret-id",
				Body: []byte(tt.body), ContentType: tt.contentType})
			require.NoError(t, err)
			for _, s := range tt.want {
				require.Contains(t, buf.String(), s)
			}
			for _, s := range tt.never {
				require.NotContains(t, buf.String(), s)
			}
		})
	}
}
