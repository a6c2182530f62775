package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"
)

// A partner verifying with the specification's own library accepts what
// we send, with either secret during a rotation, and refuses a body that
// was altered on the way.
func TestHeadersVerifyWithTheStandardLibrary(t *testing.T) {
	current, previous := NewSecret(), NewSecret()
	require.True(t, strings.HasPrefix(current, "whsec_"))
	body := []byte(`{"type":"loan.settled","timestamp":"2026-03-02T10:00:00Z","data":{"loan_ref":7}}`)
	at := time.Now()
	h, err := Headers("msg_abc", at, body, current, previous)
	require.NoError(t, err)
	require.Equal(t, "msg_abc", h.Get(HeaderID))
	require.Len(t, strings.Split(h.Get(HeaderSignature), " "), 2)
	require.True(t, strings.HasPrefix(h.Get(HeaderSignature), "v1,"))

	for _, secret := range []string{current, previous} {
		wh, err := standardwebhooks.NewWebhook(secret)
		require.NoError(t, err)
		require.NoError(t, wh.Verify(body, h))
		require.Error(t, wh.Verify([]byte(strings.Replace(string(body), "7", "8", 1)), h))
	}
	stranger, err := standardwebhooks.NewWebhook(NewSecret())
	require.NoError(t, err)
	require.Error(t, stranger.Verify(body, h))

	// After the rotation window only the current secret signs.
	h, err = Headers("msg_abc", at, body, current, "")
	require.NoError(t, err)
	require.Len(t, strings.Split(h.Get(HeaderSignature), " "), 1)
	old, err := standardwebhooks.NewWebhook(previous)
	require.NoError(t, err)
	require.Error(t, old.Verify(body, h))
}

func TestSecretsAreSealedAndOpenAcrossKeyRotation(t *testing.T) {
	k1, k2 := make([]byte, 32), make([]byte, 32)
	k2[0] = 1
	before, err := NewSecrets("k1", map[string][]byte{"k1": k1})
	require.NoError(t, err)
	secret := NewSecret()
	sealed := before.Seal(secret)
	require.NotContains(t, sealed, secret)
	require.NotContains(t, sealed, strings.TrimPrefix(secret, "whsec_"))
	require.NotEqual(t, sealed, before.Seal(secret), "a fresh nonce every time")

	after, err := NewSecrets("k2", map[string][]byte{"k1": k1, "k2": k2})
	require.NoError(t, err)
	got, err := after.Open(sealed)
	require.NoError(t, err)
	require.Equal(t, secret, got)
	require.True(t, strings.HasPrefix(after.Seal(secret), "v1:k2:"))

	dropped, err := NewSecrets("k2", map[string][]byte{"k2": k2})
	require.NoError(t, err)
	_, err = dropped.Open(sealed)
	require.ErrorIs(t, err, ErrUnsealable)

	// Altered, or claiming another key: refused, never a wrong secret.
	for _, bad := range []string{sealed[:len(sealed)-4] + "AAAA", strings.Replace(sealed, "v1:k1:", "v1:k2:", 1), "v1:k1:%%%", "plain"} {
		_, err := after.Open(bad)
		require.ErrorIs(t, err, ErrUnsealable, bad)
	}
	empty, err := after.Open("")
	require.NoError(t, err)
	require.Empty(t, empty)

	_, err = NewSecrets("k3", map[string][]byte{"k1": k1})
	require.Error(t, err, "the primary key must be listed")
	_, err = NewSecrets("k1", map[string][]byte{"k1": []byte("short")})
	require.Error(t, err)
}

func TestCheckURL(t *testing.T) {
	prod, dev := Policy{}, Policy{Dev: true}
	for _, tc := range []struct {
		url          string
		allowPrivate bool
		prod, dev    string // "" accepted, else a word of the refusal
	}{
		{"https://hooks.example.com/loanflow", false, "", ""},
		{"https://hooks.example.com:8443/x?y=1", false, "", ""},
		{"http://hooks.example.com/loanflow", false, "https", ""},
		{"ftp://hooks.example.com/", false, "https", "https"},
		{"hooks.example.com/loanflow", false, "absolute", "absolute"},
		{"/relative", false, "absolute", "absolute"},
		{"https://user:pw@hooks.example.com/", false, "credentials", "credentials"},
		{"https://hooks.example.com/#frag", false, "fragment", "fragment"},
		{"https://localhost/h", false, "loopback", ""},
		{"https://api.localhost/h", false, "loopback", ""},
		{"https://127.0.0.1/h", false, "private", ""},
		{"https://10.1.2.3/h", false, "private", ""},
		{"https://192.168.0.10/h", false, "private", ""},
		{"https://169.254.169.254/latest/meta-data", false, "private", ""},
		{"https://[::1]/h", false, "private", ""},
		{"https://[::ffff:10.0.0.1]/h", false, "private", ""},
		{"https://10.1.2.3/h", true, "", ""},
		{"https://127.0.0.1:8443/h", true, "", ""},
		{"https://[fd00::1]/h", true, "", ""},
		{"http://10.1.2.3/h", true, "https", ""},
		{"https://169.254.169.254/latest/meta-data", true, "link-local", ""},
		{"https://[fe80::1]/h", true, "link-local", ""},
		{"https://0.0.0.0/h", true, "link-local", ""},
		{"https://hooks.example.com/" + strings.Repeat("a", 2100), false, "2048", "2048"},
	} {
		for _, c := range []struct {
			p    Policy
			want string
		}{{prod, tc.prod}, {dev, tc.dev}} {
			err := c.p.CheckURL(tc.url, tc.allowPrivate)
			if c.want == "" {
				require.NoError(t, err, "%s (dev %t)", tc.url, c.p.Dev)
			} else {
				require.ErrorContains(t, err, c.want, "%s (dev %t)", tc.url, c.p.Dev)
			}
		}
	}
}

func TestSenderRefusesPrivateAddressesAsTheyResolve(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	ctx := context.Background()
	s := NewSender(Policy{})

	// "localhost" passes no literal check: it is refused as it resolves,
	// before any byte is sent.
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{srv.URL, byName} {
		_, err := s.Send(ctx, u, false, http.Header{}, []byte("{}"))
		require.ErrorIs(t, err, ErrPrivateAddress, u)
	}
	require.Zero(t, hits.Load())

	// An admin's exception lets it through.
	a, err := s.Send(ctx, byName, true, http.Header{}, []byte("{}"))
	require.NoError(t, err)
	require.True(t, a.OK())
	require.Equal(t, int32(1), hits.Load())

	// Not to link-local (instance metadata), whatever the exception.
	require.Error(t, privateGuard.SafeAddr(netip.MustParseAddr("169.254.169.254")))
	require.Error(t, privateGuard.SafeAddr(netip.MustParseAddr("fe80::1")))
	require.NoError(t, privateGuard.SafeAddr(netip.MustParseAddr("192.168.1.10")))
}

// An attempt's error names the host, never the URL: its query may carry
// the partner's token, and the error is stored and shown.
func TestSenderErrorsLeaveTheURLOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	u := srv.URL + "/hook?token=s3cr3t"
	srv.Close() // nothing listens: the connection is refused
	_, err := NewSender(Policy{Dev: true}).Send(context.Background(), u, false, http.Header{}, []byte("{}"))
	require.Error(t, err)
	require.NotContains(t, err.Error(), "s3cr3t")
	require.Contains(t, err.Error(), "127.0.0.1")
}

func TestSenderPostsOnceAndKeepsTheStartOfTheAnswer(t *testing.T) {
	var got http.Header
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r.Header.Clone(), must(io.ReadAll(r.Body))
		require.Equal(t, http.MethodPost, r.Method)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(strings.Repeat("x", 5000)))
	}))
	defer srv.Close()
	h, err := Headers("msg_1", time.Now(), []byte(`{"a":1}`), NewSecret())
	require.NoError(t, err)
	a, err := NewSender(Policy{Dev: true}).Send(context.Background(), srv.URL, false, h, []byte(`{"a":1}`))
	require.NoError(t, err)
	require.False(t, a.OK())
	require.Equal(t, http.StatusServiceUnavailable, a.StatusCode)
	require.Len(t, a.Body, responseKept)
	require.Equal(t, `{"a":1}`, string(body))
	require.Equal(t, "msg_1", got.Get(HeaderID))
	require.Equal(t, "application/json", got.Get("Content-Type"))
	require.NotEmpty(t, got.Get(HeaderSignature))
}

func TestSenderDoesNotFollowRedirects(t *testing.T) {
	var followed atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Store(true) }))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	a, err := NewSender(Policy{Dev: true}).Send(context.Background(), srv.URL, false, http.Header{}, []byte("{}"))
	require.NoError(t, err)
	require.Equal(t, http.StatusTemporaryRedirect, a.StatusCode)
	require.False(t, a.OK(), "a redirect is not a delivery")
	require.False(t, followed.Load())
}

func TestSenderGivesUpAfterItsTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	_, err := newSender(Policy{Dev: true}, 100*time.Millisecond).Send(context.Background(), srv.URL, false, http.Header{}, []byte("{}"))
	var timeout interface{ Timeout() bool }
	require.True(t, errors.As(err, &timeout) && timeout.Timeout(), "%v", err)
	require.Equal(t, 10*time.Second, AttemptTimeout)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
