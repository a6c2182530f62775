package encryption

import (
	"context"
	"net"
	"net/http"

	"go.temporal.io/sdk/converter"
)

// maxCodecBody bounds a codec request: Temporal caps a payload at 2 MB, and
// the UI sends a few at a time.
const maxCodecBody = 16 << 20

// StaffCheck reports whether HTTP Basic credentials are a staff member's.
type StaffCheck func(ctx context.Context, username, password, clientIP string) bool

// CodecEndpoint serves Temporal's remote codec protocol (POST …/encode and
// …/decode) to staff, so the Temporal UI and CLI show encrypted payloads to
// those allowed to read loans. Anyone else gets a 401 before the body is
// read. A GET asks for the credentials too: an engineer opens the endpoint
// once in the browser, signs in, and the browser then sends the credentials
// with the UI's codec calls (the UI's "include credentials" setting).
//
// Browsers may call it from allowOrigin (the Temporal UI's origin) with
// credentials; a preflight is answered without them, as CORS requires.
type CodecEndpoint struct {
	codec       http.Handler
	allowOrigin string
	staff       StaffCheck
}

// NewCodecEndpoint serves codec to those the staff check admits.
func NewCodecEndpoint(codec converter.PayloadCodec, allowOrigin string, staff StaffCheck) *CodecEndpoint {
	return &CodecEndpoint{codec: converter.NewPayloadCodecHTTPHandler(codec), allowOrigin: allowOrigin, staff: staff}
}

func (e *CodecEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	if origin := r.Header.Get("Origin"); origin != "" && origin == e.allowOrigin {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	user, pw, ok := r.BasicAuth()
	// The peer address feeds the staff check's guessing throttle.
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	if !ok || !e.staff(r.Context(), user, pw, ip) {
		h.Set("WWW-Authenticate", `Basic realm="loanflow codec", charset="UTF-8"`)
		http.Error(w, "staff credentials required", http.StatusUnauthorized)
		return
	}
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodGet {
		_, _ = w.Write([]byte("Signed in: the Temporal UI can decode loanflow payloads in this browser now.\n"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCodecBody)
	e.codec.ServeHTTP(w, r)
}
