package trustedproxy

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in      string
		want    List
		wantErr bool
	}{
		{"", nil, false},
		{" 10.0.0.0/8 , 192.168.1.7,, ", List{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32")}, false},
		{"10.1.2.3/8", List{netip.MustParsePrefix("10.0.0.0/8")}, false},
		{"fd00::/8,::1", List{netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("::1/128")}, false},
		{"10.0.0.0/33", nil, true},
		{"lb.internal", nil, true},
		{"fe80::1%eth0", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// TestClientAddressAndScheme: what a request says about its client,
// according to who sent it.
func TestClientAddressAndScheme(t *testing.T) {
	lbs := List{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name      string
		proxies   List
		peer      string
		xff       []string // header lines
		realIP    string
		proto     string
		tls       bool
		wantIP    string
		wantHTTPS bool
	}{
		{"direct, no proxies", nil, "198.51.100.7", nil, "", "", false, "198.51.100.7", false},
		{"forwarded, no proxies: ignored", nil, "198.51.100.7", []string{"203.0.113.9"}, "", "https", false, "198.51.100.7", false},
		{"from a trusted proxy", lbs, "10.0.0.2", []string{"203.0.113.9"}, "", "https", false, "203.0.113.9", true},
		{"the client's own entry is not believed", lbs, "10.0.0.2", []string{"1.2.3.4, 203.0.113.9"}, "", "", false, "203.0.113.9", false},
		{"a chain of trusted proxies", lbs, "10.0.0.2", []string{"203.0.113.9, 10.0.0.7"}, "", "", false, "203.0.113.9", false},
		{"the proxy's line after the client's", lbs, "10.0.0.2", []string{"1.2.3.4", "203.0.113.9"}, "", "", false, "203.0.113.9", false},
		{"from an untrusted peer", lbs, "198.51.100.7", []string{"203.0.113.9"}, "", "https", false, "198.51.100.7", false},
		{"X-Real-IP is not read", lbs, "10.0.0.2", nil, "203.0.113.9", "", false, "10.0.0.2", false},
		{"the proxy says http", lbs, "10.0.0.2", []string{"203.0.113.9"}, "", "http", false, "203.0.113.9", false},
		{"direct TLS", nil, "198.51.100.7", nil, "", "", true, "198.51.100.7", true},
		{"Private: a container network", Private(), "172.18.0.5", []string{"203.0.113.9"}, "", "https", false, "203.0.113.9", true},
		{"Private: not the internet", Private(), "198.51.100.7", []string{"203.0.113.9"}, "", "https", false, "198.51.100.7", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gin.SetMode(gin.ReleaseMode)
			r := gin.New()
			tc.proxies.Apply(r)
			var ip string
			var https bool
			r.GET("/", func(c *gin.Context) { ip, https = c.ClientIP(), HTTPS(c) })
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.peer + ":40000"
			for _, v := range tc.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if tc.realIP != "" {
				req.Header.Set("X-Real-IP", tc.realIP)
			}
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			}
			r.ServeHTTP(httptest.NewRecorder(), req)
			require.Equal(t, tc.wantIP, ip)
			require.Equal(t, tc.wantHTTPS, https)
		})
	}
}
