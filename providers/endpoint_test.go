package providers

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBaseURLTakesCredentialsOut(t *testing.T) {
	tests := []struct {
		name               string
		raw, user, pass    string
		url                string
		wantUser, wantPass string
		ok                 bool
	}{
		{name: "plain", raw: "https://h/api/v1/", url: "https://h/api/v1", ok: true},
		{name: "credentials in the URL", raw: "https://u:p%40ss@h/api", url: "https://h/api", wantUser: "u", wantPass: "p@ss", ok: true},
		{name: "configured user wins", raw: "https://u:p@h/api", user: "cfg", pass: "secret", url: "https://h/api",
			wantUser: "cfg", wantPass: "secret", ok: true},
		{name: "relative", raw: "/api/v1"},
		{name: "no scheme", raw: "h.example.com/api"},
		{name: "not http", raw: "ftp://h/api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user, pass := tt.user, tt.pass
			u, err := BaseURL("p", tt.raw, &user, &pass)
			require.Equal(t, tt.ok, err == nil, "%v", err)
			if !tt.ok {
				require.ErrorContains(t, err, "p: base URL")
				return
			}
			require.Equal(t, tt.url, u.String(), "no credentials left in what is logged")
			require.Equal(t, tt.wantUser, user)
			require.Equal(t, tt.wantPass, pass)
		})
	}
	u, err := BaseURL("p", "https://u:p@h/api", nil, nil)
	require.NoError(t, err)
	require.Equal(t, "https://h/api", u.String(), "dropped even where credentials are not a user and password")
}
