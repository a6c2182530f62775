package devstack

import (
	"context"
	"fmt"
	"net/http"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uioptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// startUI serves the Web UI with the assets embedded in the UI module. The
// public path stays empty so the UI lives at the root and deep links such as
// /namespaces/default/workflows/loan-90000 resolve.
func startUI(ctx context.Context, ui endpoint, frontend endpoint, namespace, codec string) (*uiserver.Server, error) {
	// The UI server exits the whole process when it cannot bind; probing first
	// turns the common case, a port already in use, into an error.
	if err := checkBindable(ui.bindAddr()); err != nil {
		return nil, fmt.Errorf("devstack: UI address: %w", err)
	}
	srv := uiserver.NewServer(uioptions.WithConfigProvider(&uiconfig.Config{
		Host:                ui.bindHost,
		Port:                ui.port,
		TemporalGRPCAddress: frontend.dialAddr(),
		EnableUI:            true,
		DefaultNamespace:    namespace,
		PublicPath:          "",
		// Plain http on localhost: a Secure CSRF cookie would never be sent
		// back and every write action in the UI would fail.
		CORS:             uiconfig.CORS{CookieInsecure: true},
		HideLogs:         true,
		DisableNewsFetch: true,
		// The codec answers only staff: the browser must send it the
		// credentials it holds for the API's origin.
		Codec: uiconfig.Codec{Endpoint: codec, IncludeCredentials: codec != ""},
	}))
	go func() { _ = srv.Start() }()
	if err := waitHTTPOK(ctx, "http://"+ui.dialAddr()+"/healthz"); err != nil {
		srv.Stop()
		return nil, fmt.Errorf("devstack: UI did not start: %w", err)
	}
	return srv, nil
}

// waitHTTPOK polls url until it answers 200 or ctx is done.
func waitHTTPOK(ctx context.Context, url string) error {
	client := &http.Client{Timeout: 2 * time.Second}
	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last attempt: %v)", ctx.Err(), err)
		case <-ticker.C:
		}
	}
}
