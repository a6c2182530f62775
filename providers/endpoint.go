package providers

import (
	"fmt"
	"net/url"
	"strings"
)

// BaseURL checks a client's configured API root, an absolute http(s) URL, and drops its trailing
// slashes. Credentials written into it (https://user:pass@host/…, as providers' own curl examples do)
// are taken out, so the URL can appear in errors and logs; they fill username and password unless a
// username is configured. Pass nil for a provider whose credentials are not a user and a password.
func BaseURL(provider, raw string, username, password *string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: base URL %q must be an absolute http(s) URL", provider, raw)
	}
	if u.User != nil && username != nil && *username == "" {
		*username = u.User.Username()
		*password, _ = u.User.Password()
	}
	u.User = nil
	return u, nil
}
