package encryption

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

const uiOrigin = "http://127.0.0.1:8233"

func codecServer(t *testing.T, keys *Keys) *httptest.Server {
	t.Helper()
	staff := func(_ context.Context, user, pw, _ string) bool {
		return user == "operations" && pw == "operations-secret"
	}
	srv := httptest.NewServer(http.StripPrefix("/codec", NewCodecEndpoint(NewCodec(keys), uiOrigin, staff)))
	t.Cleanup(srv.Close)
	return srv
}

func remote(srv *httptest.Server, user, pw string) converter.PayloadCodec {
	return converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{
		Endpoint: srv.URL + "/codec",
		ModifyRequest: func(r *http.Request) error {
			if user != "" {
				r.SetBasicAuth(user, pw)
			}
			return nil
		},
	})
}

func TestCodecEndpointDecodesForStaffOnly(t *testing.T) {
	keys := mustKeys(t, NewKeySpec("k1"))
	srv := codecServer(t, keys)
	stored := []*commonpb.Payload{encode(t, keys, john)}

	for _, who := range []struct{ name, user, pw string }{{"anonymous", "", ""}, {"wrong password", "operations", "guess"}} {
		t.Run(who.name, func(t *testing.T) {
			_, err := remote(srv, who.user, who.pw).Decode(stored)
			require.ErrorContains(t, err, "Unauthorized")
		})
	}

	decoded, err := remote(srv, "operations", "operations-secret").Decode(stored)
	require.NoError(t, err)
	require.Contains(t, string(decoded[0].GetData()), john.IdentityNumber)

	// What the UI encodes (a signal's input) is encrypted like any payload.
	plain, err := converter.GetDefaultDataConverter().ToPayload(john)
	require.NoError(t, err)
	encoded, err := remote(srv, "operations", "operations-secret").Encode([]*commonpb.Payload{plain})
	require.NoError(t, err)
	require.Equal(t, Encoding, string(encoded[0].GetMetadata()[converter.MetadataEncoding]))
	back, err := NewCodec(keys).Decode(encoded)
	require.NoError(t, err)
	require.Equal(t, plain.GetData(), back[0].GetData())
}

func TestCodecEndpointCORS(t *testing.T) {
	srv := codecServer(t, mustKeys(t, NewKeySpec("k1")))
	tests := []struct {
		name, method, origin string
		auth                 bool
		wantStatus           int
		wantAllowOrigin      string
	}{
		{"preflight from the UI", http.MethodOptions, uiOrigin, false, http.StatusNoContent, uiOrigin},
		{"preflight from elsewhere", http.MethodOptions, "http://evil.example", false, http.StatusNoContent, ""},
		{"anonymous call from the UI", http.MethodPost, uiOrigin, false, http.StatusUnauthorized, uiOrigin},
		{"staff call from elsewhere", http.MethodPost, "http://evil.example", true, http.StatusOK, ""},
		{"an engineer signs in in the browser", http.MethodGet, "", true, http.StatusOK, ""},
		{"the browser asks for credentials", http.MethodGet, "", false, http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+"/codec/decode", strings.NewReader(`{"payloads":[]}`))
			require.NoError(t, err)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.auth {
				req.SetBasicAuth("operations", "operations-secret")
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			require.Equal(t, tt.wantAllowOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
			if tt.wantAllowOrigin != "" {
				require.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
			}
			if tt.wantStatus == http.StatusUnauthorized {
				require.Contains(t, resp.Header.Get("WWW-Authenticate"), "Basic")
			}
		})
	}
}
