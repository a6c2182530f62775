package config

import (
	"fmt"
	"os"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
)

// TemporalSecurity is how a process proves itself to a Temporal frontend
// that asks (a self-hosted cluster with mTLS, Temporal Cloud): a client
// certificate, a private CA for the server's certificate, an API key. The
// zero value is a plaintext connection, the embedded dev server's.
type TemporalSecurity struct {
	TLSCert       string // LOANFLOW_TEMPORAL_TLS_CERT: PEM file of the client certificate (mTLS)
	TLSKey        string // LOANFLOW_TEMPORAL_TLS_KEY: PEM file of its private key
	TLSCA         string // LOANFLOW_TEMPORAL_TLS_CA: PEM file of the CA the server's certificate must chain to; empty: the system's roots
	TLSServerName string // LOANFLOW_TEMPORAL_TLS_SERVER_NAME: the name the server's certificate must carry, when not the address's host
	// APIKey is sent as a bearer token on every call and turns TLS on
	// (LOANFLOW_TEMPORAL_API_KEY). It is a secret: never log a Config.
	APIKey string
}

func loadTemporalSecurity() (TemporalSecurity, error) {
	s := TemporalSecurity{
		TLSCert:       os.Getenv("LOANFLOW_TEMPORAL_TLS_CERT"),
		TLSKey:        os.Getenv("LOANFLOW_TEMPORAL_TLS_KEY"),
		TLSCA:         os.Getenv("LOANFLOW_TEMPORAL_TLS_CA"),
		TLSServerName: os.Getenv("LOANFLOW_TEMPORAL_TLS_SERVER_NAME"),
		APIKey:        os.Getenv("LOANFLOW_TEMPORAL_API_KEY"),
	}
	switch {
	case s.TLSCert != "" && s.TLSKey == "":
		return s, fmt.Errorf("LOANFLOW_TEMPORAL_TLS_KEY is required with LOANFLOW_TEMPORAL_TLS_CERT (the client certificate's private key)")
	case s.TLSKey != "" && s.TLSCert == "":
		return s, fmt.Errorf("LOANFLOW_TEMPORAL_TLS_CERT is required with LOANFLOW_TEMPORAL_TLS_KEY (the client certificate)")
	}
	return s, nil
}

// tls reports whether the connection is encrypted: any TLS setting asks
// for it, and an API key is never sent in the clear.
func (s TemporalSecurity) tls() bool {
	return s.TLSCert != "" || s.TLSCA != "" || s.TLSServerName != "" || s.APIKey != ""
}

// Apply sets opts' TLS and credentials. The certificates are read here,
// once: a rotated certificate takes a restart, as with Temporal's own tools.
// It goes through Temporal's client environment configuration so that
// these settings mean what they mean for the Temporal CLI and SDKs.
func (s TemporalSecurity) Apply(opts *client.Options) error {
	if !s.tls() {
		return nil
	}
	profile := envconfig.ClientConfigProfile{
		APIKey: s.APIKey,
		TLS: &envconfig.ClientConfigTLS{
			ClientCertPath:   s.TLSCert,
			ClientKeyPath:    s.TLSKey,
			ServerCACertPath: s.TLSCA,
			ServerName:       s.TLSServerName,
		},
	}
	built, err := profile.ToClientOptions(envconfig.ToClientOptionsRequest{})
	if err != nil {
		return fmt.Errorf("LOANFLOW_TEMPORAL_TLS_CERT, _TLS_KEY, _TLS_CA: %w", err)
	}
	opts.ConnectionOptions.TLS = built.ConnectionOptions.TLS
	opts.Credentials = built.Credentials
	return nil
}
