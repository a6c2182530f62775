package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	fineractsim "github.com/loanflow/loanflow/providers/fineract/sim"
	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
	julosim "github.com/loanflow/loanflow/providers/julo/sim"
	mambusim "github.com/loanflow/loanflow/providers/mambu/sim"
	wmsim "github.com/loanflow/loanflow/providers/webmoney/sim"
)

// runSim serves the provider simulators standalone, each on the address
// given for it, with the same faults injected into all of them.
func runSim(args []string, logger *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	addrs := map[string]*string{
		"fineract": fs.String("fineract", "", "listen address of the Fineract simulator, e.g. 127.0.0.1:8181"),
		"mambu":    fs.String("mambu", "", "listen address of the Mambu simulator"),
		"iute":     fs.String("iute", "", "listen address of the Iute Credit simulator"),
		"julo":     fs.String("julo", "", "listen address of the JULO simulator"),
		"webmoney": fs.String("webmoney", "", "listen address of the WebMoney Debt simulator"),
	}
	errorRate := fs.Float64("error-rate", 0, "share of requests answered with a 5xx, 0..1")
	dropRate := fs.Float64("drop-rate", 0, "share of requests committed and then left unanswered, 0..1")
	latency := fs.Duration("latency", 0, "delay added to every answer")
	iuteAuto := fs.Bool("iute-auto-decide", true, "the Iute simulator approves applications and releases cash by itself")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *errorRate < 0 || *errorRate > 1 || *dropRate < 0 || *dropRate > 1 || *errorRate+*dropRate > 1 {
		return errors.New("sim: -error-rate and -drop-rate are shares from 0 to 1 that add up to at most 1")
	}
	seed := time.Now().UnixNano()
	handlers := map[string]struct {
		h    http.Handler
		note string
	}{
		"fineract": {fineractsim.New(fineractsim.Config{Faults: fineractsim.Faults{ErrorRate: *errorRate, DropAfterCommitRate: *dropRate, Latency: *latency, Seed: seed}}),
			"base URL /fineract-provider/api/v1, tenant default, user mifos / password"},
		"mambu": {mambusim.New(mambusim.Config{Faults: mambusim.Faults{ErrorRate: *errorRate, DropAfterCommitRate: *dropRate, Latency: *latency, Seed: seed}}),
			"base URL /api, user SomeUser / OpenSesame"},
		"iute": {iutesim.New(iutesim.Options{AutoDecide: *iuteAuto, AutoDecideAfter: 1, Faults: iutesim.Faults{ErrorRate: *errorRate, DropAfterCommitRate: *dropRate, Latency: *latency, Seed: seed}}),
			"paths /rest/api/partner/…, user partner / secret, partner_type post"},
		"julo": {julosim.New(julosim.Options{OnOTP: func(xid int64, _, otp string) {
			logger.Info("JULO simulator texted an OTP", "application_xid", xid, "otp", otp)
		}, Faults: julosim.Faults{ErrorRate: *errorRate, DropAfterCommitRate: *dropRate, Latency: *latency, Seed: seed}}),
			"username partner, secret-key secret"},
		"webmoney": {demoWebMoney(), "path " + wmsim.DefaultPath + ", WMID " + wmsim.DevLenderWMID},
	}
	// The handler is installed before any address is printed: whoever reads
	// the addresses may signal the process at once.
	ctx, stop := signalContext()
	defer stop()
	var servers []*http.Server
	defer func() {
		for _, s := range servers {
			_ = s.Close()
		}
	}()
	errc := make(chan error, len(addrs))
	for _, name := range []string{"fineract", "mambu", "iute", "julo", "webmoney"} {
		addr := *addrs[name]
		if addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("sim %s: %w", name, err)
		}
		srv := &http.Server{Handler: handlers[name].h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() { errc <- srv.Serve(ln) }()
		fmt.Fprintf(stdout, "%-9s http://%s  (%s)\n", name, ln.Addr(), handlers[name].note)
	}
	if len(servers) == 0 {
		return errors.New("sim: name at least one simulator, e.g. loanflow sim -fineract 127.0.0.1:8181")
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}

func demoWebMoney() http.Handler {
	s := wmsim.New(wmsim.Options{})
	if _, err := s.SeedDemo(wmsim.DevLenderWMID); err != nil {
		panic(err) // the demo lender is the simulator's own constant
	}
	return s
}
