package main

import (
	"errors"
	"net/url"
	"path/filepath"

	"github.com/loanflow/loanflow/internal/config"
	"github.com/loanflow/loanflow/internal/encryption"
)

// payloadKeyFile is where `loanflow dev` keeps the key it made, next to the
// histories it opens.
const payloadKeyFile = "payload.key"

// payloadKeys are the keys every Temporal client of this process encrypts
// with: LOANFLOW_PAYLOAD_KEYS, or in dev the data dir's key file, made on
// the first start.
func payloadKeys(cfg config.Config, dev bool) (*encryption.Keys, error) {
	switch {
	case cfg.PayloadKeys != "":
		keys, err := encryption.ParseKeys(cfg.PayloadKeys)
		if err != nil {
			return nil, errors.New("LOANFLOW_PAYLOAD_KEYS: " + err.Error())
		}
		return keys, nil
	case dev:
		return encryption.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, payloadKeyFile))
	}
	return nil, errors.New("LOANFLOW_PAYLOAD_KEYS is required: id:base64key,… with 32-byte keys, the first encrypting " +
		"(make one with: echo \"k1:$(head -c 32 /dev/urandom | base64)\")")
}

// origin is the scheme://host[:port] of a URL, what a browser sends as
// Origin from a page there; "" when the URL is not absolute.
func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
