package config

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
)

func TestTemporalCertificateNeedsItsKey(t *testing.T) {
	t.Setenv("LOANFLOW_DATA_DIR", t.TempDir())
	t.Setenv("LOANFLOW_TEMPORAL_TLS_KEY", "")
	t.Setenv("LOANFLOW_TEMPORAL_TLS_CERT", "/etc/loanflow/client.pem")
	_, err := Load(true)
	require.ErrorContains(t, err, "LOANFLOW_TEMPORAL_TLS_KEY")

	t.Setenv("LOANFLOW_TEMPORAL_TLS_CERT", "")
	t.Setenv("LOANFLOW_TEMPORAL_TLS_KEY", "/etc/loanflow/client.key")
	_, err = Load(true)
	require.ErrorContains(t, err, "LOANFLOW_TEMPORAL_TLS_CERT")
}

func TestTemporalSecurityReachesAFrontendThatDemandsIt(t *testing.T) {
	pki := newTestPKI(t)
	front := startFrontend(t, pki)

	secure := TemporalSecurity{
		TLSCert: pki.clientCert, TLSKey: pki.clientKey, TLSCA: pki.caCert,
		TLSServerName: "temporal.internal", APIKey: "k-123",
	}
	c, err := dial(front.addr, secure)
	require.NoError(t, err)
	c.Close()
	require.Equal(t, "Bearer k-123", front.authorization(), "the API key is sent as a bearer token")
	require.Equal(t, "loanflow-worker", front.clientName(), "the client certificate is presented")

	for name, sec := range map[string]TemporalSecurity{
		"plaintext":                 {},
		"no client certificate":     {TLSCA: pki.caCert, TLSServerName: "temporal.internal"},
		"server not trusted":        {TLSCert: pki.clientCert, TLSKey: pki.clientKey, TLSServerName: "temporal.internal"},
		"server under another name": {TLSCert: pki.clientCert, TLSKey: pki.clientKey, TLSCA: pki.caCert, TLSServerName: "elsewhere.internal"},
	} {
		_, err := dial(front.addr, sec)
		require.Error(t, err, name)
	}

	_, err = dial(front.addr, TemporalSecurity{TLSCert: filepath.Join(t.TempDir(), "missing.pem"), TLSKey: pki.clientKey})
	require.ErrorContains(t, err, "LOANFLOW_TEMPORAL_TLS_CERT")
}

func dial(addr string, sec TemporalSecurity) (client.Client, error) {
	opts := client.Options{HostPort: addr, Namespace: "default"}
	if err := sec.Apply(&opts); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return client.DialContext(ctx, opts)
}

// frontend is a TLS gRPC server in place of Temporal's frontend: it
// requires a client certificate from the test CA and records what the
// client sent.
type frontend struct {
	addr string
	mu   sync.Mutex
	auth string
	cn   string
}

func (f *frontend) authorization() string { f.mu.Lock(); defer f.mu.Unlock(); return f.auth }
func (f *frontend) clientName() string    { f.mu.Lock(); defer f.mu.Unlock(); return f.cn }

type systemInfo struct {
	workflowservice.UnimplementedWorkflowServiceServer
}

func (systemInfo) GetSystemInfo(context.Context, *workflowservice.GetSystemInfoRequest) (*workflowservice.GetSystemInfoResponse, error) {
	return &workflowservice.GetSystemInfoResponse{}, nil
}

func startFrontend(t *testing.T, pki testPKI) *frontend {
	t.Helper()
	serverCert, err := tls.LoadX509KeyPair(pki.serverCert, pki.serverKey)
	require.NoError(t, err)
	f := &frontend{}
	record := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		f.mu.Lock()
		if md, ok := metadata.FromIncomingContext(ctx); ok && len(md.Get("authorization")) > 0 {
			f.auth = md.Get("authorization")[0]
		}
		if p, ok := peer.FromContext(ctx); ok {
			if ti, ok := p.AuthInfo.(credentials.TLSInfo); ok && len(ti.State.PeerCertificates) > 0 {
				f.cn = ti.State.PeerCertificates[0].Subject.CommonName
			}
		}
		f.mu.Unlock()
		return handler(ctx, req)
	}
	srv := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(&tls.Config{
			Certificates: []tls.Certificate{serverCert},
			ClientAuth:   tls.RequireAndVerifyClientCert,
			ClientCAs:    pki.pool,
			MinVersion:   tls.VersionTLS12,
		})),
		grpc.UnaryInterceptor(record),
	)
	hs := health.NewServer()
	hs.SetServingStatus("temporal.api.workflowservice.v1.WorkflowService", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	workflowservice.RegisterWorkflowServiceServer(srv, systemInfo{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	f.addr = ln.Addr().String()
	return f
}

// testPKI is a CA, a server certificate for temporal.internal and a client
// certificate, as PEM files.
type testPKI struct {
	pool                                                 *x509.CertPool
	caCert, serverCert, serverKey, clientCert, clientKey string
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "loanflow test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	pki := testPKI{pool: x509.NewCertPool(), caCert: writePEM(t, dir, "ca.pem", "CERTIFICATE", caDER)}
	pki.pool.AddCert(ca)

	issue := func(serial int64, name string, usage x509.ExtKeyUsage, dns []string) (cert, key string) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name}, DNSNames: dns,
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		require.NoError(t, err)
		keyDER, err := x509.MarshalECPrivateKey(k)
		require.NoError(t, err)
		return writePEM(t, dir, name+".pem", "CERTIFICATE", der), writePEM(t, dir, name+".key", "EC PRIVATE KEY", keyDER)
	}
	pki.serverCert, pki.serverKey = issue(2, "temporal.internal", x509.ExtKeyUsageServerAuth, []string{"temporal.internal"})
	pki.clientCert, pki.clientKey = issue(3, "loanflow-worker", x509.ExtKeyUsageClientAuth, nil)
	return pki
}

func writePEM(t *testing.T, dir, name, kind string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
	return path
}
