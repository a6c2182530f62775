// Package integrations builds the provider clients the worker's activities
// call, from LOANFLOW_<PROVIDER>_* environment variables. In dev, a provider
// left unconfigured is served by its in-process simulator on a loopback port,
// so every product routes somewhere real.
package integrations

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/providers/fineract"
	fineractsim "github.com/loanflow/loanflow/providers/fineract/sim"
	"github.com/loanflow/loanflow/providers/iute"
	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
	"github.com/loanflow/loanflow/providers/julo"
	julosim "github.com/loanflow/loanflow/providers/julo/sim"
	"github.com/loanflow/loanflow/providers/mambu"
	mambusim "github.com/loanflow/loanflow/providers/mambu/sim"
	"github.com/loanflow/loanflow/providers/webmoney"
	wmsim "github.com/loanflow/loanflow/providers/webmoney/sim"
)

// Config is every provider's endpoint and credentials.
type Config struct {
	FineractURL, FineractTenant, FineractUsername, FineractPassword string
	// FineractPenaltyChargeID is the tenant's charge definition penalties are applied under; empty
	// means fineract.DefaultPenaltyChargeID.
	FineractPenaltyChargeID                              string
	MambuURL, MambuUsername, MambuPassword, MambuAPIKey  string
	WebMoneyURL, WebMoneyWMID, WebMoneyAPIPassword       string
	IuteURL, IuteUsername, IutePassword, IutePartnerType string
	JuloURL, JuloUsername, JuloSecretKey                 string
	// LedgerProducts are the deployment's default ledger products
	// (config.Config.LedgerProducts). A simulated ledger's tenant holds
	// its product under them, or under SimFineractProductID and
	// SimMambuProductKey, which then become the defaults.
	LedgerProducts lending.LedgerProducts
	// WebMoneyLocation is the zone the WebMoney feed writes its times in
	// (config.Config.WebMoneyLocation); nil: webmoney.Moscow.
	WebMoneyLocation *time.Location
}

// FromEnv reads the LOANFLOW_<PROVIDER>_* variables.
func FromEnv() Config {
	return Config{
		FineractURL:             os.Getenv("LOANFLOW_FINERACT_URL"),
		FineractTenant:          envOr("LOANFLOW_FINERACT_TENANT", "default"),
		FineractUsername:        os.Getenv("LOANFLOW_FINERACT_USERNAME"),
		FineractPassword:        os.Getenv("LOANFLOW_FINERACT_PASSWORD"),
		FineractPenaltyChargeID: os.Getenv("LOANFLOW_FINERACT_PENALTY_CHARGE_ID"),
		MambuURL:                os.Getenv("LOANFLOW_MAMBU_URL"),
		MambuUsername:           os.Getenv("LOANFLOW_MAMBU_USERNAME"),
		MambuPassword:           os.Getenv("LOANFLOW_MAMBU_PASSWORD"),
		MambuAPIKey:             os.Getenv("LOANFLOW_MAMBU_API_KEY"),

		WebMoneyURL:         os.Getenv("LOANFLOW_WEBMONEY_URL"),
		WebMoneyWMID:        os.Getenv("LOANFLOW_WEBMONEY_WMID"),
		WebMoneyAPIPassword: os.Getenv("LOANFLOW_WEBMONEY_API_PASSWORD"),

		IuteURL:         os.Getenv("LOANFLOW_IUTE_URL"),
		IuteUsername:    os.Getenv("LOANFLOW_IUTE_USERNAME"),
		IutePassword:    os.Getenv("LOANFLOW_IUTE_PASSWORD"),
		IutePartnerType: envOr("LOANFLOW_IUTE_PARTNER_TYPE", "post"),

		JuloURL:       os.Getenv("LOANFLOW_JULO_URL"),
		JuloUsername:  os.Getenv("LOANFLOW_JULO_USERNAME"),
		JuloSecretKey: os.Getenv("LOANFLOW_JULO_SECRET_KEY"),
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// Set is the configured providers, and the simulators started for them.
type Set struct {
	Ledgers activities.Ledgers
	Lenders activities.Lenders
	// WebMoney is the reconciliation feed's client, nil when not configured.
	WebMoney *webmoney.Client
	// Simulated names the providers served by an in-process simulator, with
	// its base URL.
	Simulated map[string]string
	// Sims gives tests the simulators' state.
	Sims     Sims
	servers  []*http.Server
	journals []*journal
	// replaying is set while a journal is played back: what the simulators
	// do then (texting an OTP) happened before the restart.
	replaying atomic.Bool
}

// Sims are the in-process simulators, nil when the provider is real.
type Sims struct {
	Fineract *fineractsim.Server
	Mambu    *mambusim.Server
	WebMoney *wmsim.Server
	Iute     *iutesim.Server
	Julo     *julosim.Server
}

// Options tune Build.
type Options struct {
	// Simulate starts a simulator for every provider without a URL (dev).
	Simulate bool
	// Faults are injected by the simulators (tests).
	FineractFaults fineractsim.Faults
	MambuFaults    mambusim.Faults
	IuteFaults     iutesim.Faults
	JuloFaults     julosim.Faults
	// JuloDocumentedOnly makes the JULO simulator promise no more than
	// JULO's document (julosim.Options.DocumentedOnly).
	JuloDocumentedOnly bool
	Logger             *slog.Logger
	// StateDir keeps the simulators' state across restarts (dev: a folder
	// of the data dir); empty, they start empty every time.
	StateDir string
}

// The simulators' credentials; they never leave the process.
const (
	simUser     = "loanflow"
	simPassword = "loanflow-sim"
)

// SimFineractProductID and SimMambuProductKey are the loan products of the
// simulated tenants when the deployment names none: a dev stack's loans
// are booked under them. A real tenant's are its own, named by each
// product or by LOANFLOW_FINERACT_PRODUCT_ID and LOANFLOW_MAMBU_PRODUCT_KEY.
const (
	SimFineractProductID = 1
	SimMambuProductKey   = "8a19b7057471f4af017472dc0fd80001"
)

// Build creates the provider clients of cfg, starting simulators where
// Options.Simulate asks for them. Close stops the simulators.
func Build(cfg Config, o Options) (_ *Set, err error) {
	s := &Set{Simulated: map[string]string{}}
	// A simulator started before a later step fails is stopped with it.
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if cfg.IutePartnerType == "" {
		cfg.IutePartnerType = "post"
	}
	hc := &http.Client{Timeout: 20 * time.Second}
	s.Ledgers.Products = cfg.LedgerProducts
	if cfg.FineractURL == "" && o.Simulate {
		s.Ledgers.Products = s.Ledgers.Products.Or(lending.LedgerProducts{FineractProductID: SimFineractProductID})
		sim := fineractsim.New(fineractsim.Config{
			Tenant: cfg.FineractTenant, Username: simUser, Password: simPassword, Faults: o.FineractFaults,
			Products: []fineractsim.Product{{ID: s.Ledgers.Products.FineractProductID, Name: "loanflow consumer", CurrencyCode: "MDL",
				DecimalPlaces: 2, InterestRateFrequencyType: fineract.FrequencyYears, DaysInYearType: 1, DaysInMonthType: 1}},
		})
		url, err := s.servePersisted(o.StateDir, "fineract", sim)
		if err != nil {
			return nil, err
		}
		s.Sims.Fineract, s.Simulated["fineract"] = sim, url
		cfg.FineractURL, cfg.FineractUsername, cfg.FineractPassword = url+"/fineract-provider/api/v1", simUser, simPassword
	}
	if cfg.FineractURL != "" {
		var penaltyCharge int64
		if cfg.FineractPenaltyChargeID != "" {
			n, err := strconv.ParseInt(cfg.FineractPenaltyChargeID, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("LOANFLOW_FINERACT_PENALTY_CHARGE_ID: %q is not a charge id", cfg.FineractPenaltyChargeID)
			}
			penaltyCharge = n
		}
		c, err := fineract.New(fineract.Config{BaseURL: cfg.FineractURL, Tenant: cfg.FineractTenant,
			Username: cfg.FineractUsername, Password: cfg.FineractPassword, HTTPClient: hc, Logger: o.Logger,
			PenaltyChargeID: penaltyCharge})
		if err != nil {
			return nil, fmt.Errorf("LOANFLOW_FINERACT_*: %w", err)
		}
		s.Ledgers.Fineract, s.Ledgers.FineractOfficeID = c, 1
	}
	if cfg.MambuURL == "" && o.Simulate {
		s.Ledgers.Products = s.Ledgers.Products.Or(lending.LedgerProducts{MambuProductKey: SimMambuProductKey})
		sim := mambusim.New(mambusim.Config{
			Username: simUser, Password: simPassword, Faults: o.MambuFaults,
			Products: []mambusim.Product{{EncodedKey: s.Ledgers.Products.MambuProductKey, ID: "LF", Name: "loanflow consumer",
				CurrencyCode: "MDL", DecimalPlaces: 2, InterestCalculationMethod: "DECLINING_BALANCE_DISCOUNTED",
				InterestChargeFrequency: "ANNUALIZED", DaysInYear: "E30_360", ScheduleInterestDaysCountMethod: "REPAYMENT_PERIODICITY",
				DefaultInterestRate: decimal.NewFromInt(36), DefaultRepaymentInstallments: 12, DefaultRepaymentPeriodCount: 1,
				DefaultRepaymentPeriodUnit: "MONTHS",
				// An early settlement pays the principal and the interest accrued, and a CLOSE
				// forgives the rest; overpaid money is held for a PAYMENT_MADE to pay back.
				PrepaymentRecalculationMethod: "REDUCE_AMOUNT_PER_INSTALLMENT", FuturePaymentsAcceptance: "ACCEPT_OVERPAYMENTS"}},
		})
		url, err := s.servePersisted(o.StateDir, "mambu", sim)
		if err != nil {
			return nil, err
		}
		s.Sims.Mambu, s.Simulated["mambu"] = sim, url
		cfg.MambuURL, cfg.MambuUsername, cfg.MambuPassword = url+"/api", simUser, simPassword
	}
	if cfg.MambuURL != "" {
		c, err := mambu.New(mambu.Config{BaseURL: cfg.MambuURL, Username: cfg.MambuUsername, Password: cfg.MambuPassword,
			APIKey: cfg.MambuAPIKey, UserAgent: "loanflow", HTTPClient: hc, Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("LOANFLOW_MAMBU_*: %w", err)
		}
		s.Ledgers.Mambu = c
	}
	if cfg.IuteURL == "" && o.Simulate {
		// The simulated Iute decides by itself: it approves an application
		// on the second status check and authorizes the cash release as
		// soon as the files arrive.
		sim := iutesim.New(iutesim.Options{Username: simUser, Password: simPassword, PartnerType: cfg.IutePartnerType,
			AutoDecide: true, AutoDecideAfter: 1, Faults: o.IuteFaults})
		url, err := s.servePersisted(o.StateDir, "iute", sim)
		if err != nil {
			return nil, err
		}
		s.Sims.Iute, s.Simulated["iute"] = sim, url
		cfg.IuteURL, cfg.IuteUsername, cfg.IutePassword = url, simUser, simPassword
	}
	if cfg.IuteURL != "" {
		c, err := iute.New(iute.Config{BaseURL: cfg.IuteURL, Username: cfg.IuteUsername, Password: cfg.IutePassword,
			PartnerType: cfg.IutePartnerType, HTTPClient: hc, Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("LOANFLOW_IUTE_*: %w", err)
		}
		s.Lenders.Iute = c
	}
	if cfg.JuloURL == "" && o.Simulate {
		// The simulated JULO texts no one: a developer reads the OTP in the
		// log, as the customer would on their phone.
		log := o.Logger
		if log == nil {
			log = slog.Default()
		}
		seed, err := otpSeed(o.StateDir)
		if err != nil {
			return nil, err
		}
		sim := julosim.New(julosim.Options{Username: simUser, SecretKey: simPassword, Faults: o.JuloFaults, DocumentedOnly: o.JuloDocumentedOnly,
			OTPSeed: seed,
			OnOTP: func(xid int64, _, otp string) {
				if !s.replaying.Load() {
					log.Info(fmt.Sprintf("JULO texted OTP %s for application %d", otp, xid), "application_xid", xid)
				}
			}})
		url, err := s.servePersisted(o.StateDir, "julo", sim)
		if err != nil {
			return nil, err
		}
		s.Sims.Julo, s.Simulated["julo"] = sim, url
		cfg.JuloURL, cfg.JuloUsername, cfg.JuloSecretKey = url, simUser, simPassword
	}
	if cfg.JuloURL != "" {
		c, err := julo.New(julo.Config{BaseURL: cfg.JuloURL, Username: cfg.JuloUsername, SecretKey: cfg.JuloSecretKey,
			HTTPClient: hc, Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("LOANFLOW_JULO_*: %w", err)
		}
		s.Lenders.Julo = c
	}
	if cfg.WebMoneyURL == "" && cfg.WebMoneyWMID == "" && o.Simulate {
		sim := wmsim.New(wmsim.Options{Location: cfg.WebMoneyLocation})
		if _, err := sim.SeedDemo(wmsim.DevLenderWMID); err != nil {
			return nil, err
		}
		url, err := s.serve(sim)
		if err != nil {
			return nil, err
		}
		s.Sims.WebMoney, s.Simulated["webmoney"] = sim, url
		cfg.WebMoneyURL, cfg.WebMoneyWMID, cfg.WebMoneyAPIPassword = url+wmsim.DefaultPath, wmsim.DevLenderWMID, wmsim.DevAPIPassword
	}
	if cfg.WebMoneyWMID != "" { // an empty URL means the documented endpoint
		c, err := webmoney.New(webmoney.Config{Location: cfg.WebMoneyLocation, URL: cfg.WebMoneyURL, WMID: cfg.WebMoneyWMID, APIPassword: cfg.WebMoneyAPIPassword, HTTPClient: hc, Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("LOANFLOW_WEBMONEY_*: %w", err)
		}
		s.WebMoney = c
	}
	return s, nil
}

// serve runs h on a free loopback port and answers its base URL.
func (s *Set) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("simulator: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Default().Error("simulator stopped", "error", err)
		}
	}()
	s.servers = append(s.servers, srv)
	return "http://" + ln.Addr().String(), nil
}

// servePersisted serves a simulator whose state a journal in dir keeps
// across restarts; with dir empty, it serves it as it is.
func (s *Set) servePersisted(dir, name string, sim http.Handler) (string, error) {
	if dir == "" {
		return s.serve(sim)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("simulator state: %w", err)
	}
	s.replaying.Store(true)
	j, err := openJournal(filepath.Join(dir, name+".jsonl"), sim)
	s.replaying.Store(false)
	if err != nil {
		return "", err
	}
	s.journals = append(s.journals, j)
	return s.serve(j.wrap(sim))
}

// otpSeed is the JULO simulator's OTP generator seed: kept in dir, so that a
// replayed journal texts the codes it texted before the restart (one a
// customer may be about to type in), and new at every start without one.
func otpSeed(dir string) (int64, error) {
	fresh := time.Now().UnixNano()
	if dir == "" {
		return fresh, nil
	}
	path := filepath.Join(dir, "julo-otp.seed")
	data, err := os.ReadFile(path)
	if err == nil {
		return strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("simulator state: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("simulator state: %w", err)
	}
	if err := os.WriteFile(path, []byte(strconv.FormatInt(fresh, 10)+"\n"), 0o600); err != nil {
		return 0, fmt.Errorf("simulator state: %w", err)
	}
	return fresh, nil
}

// Close stops the simulators.
func (s *Set) Close() {
	for _, srv := range s.servers {
		_ = srv.Close()
	}
	for _, j := range s.journals {
		_ = j.close()
	}
}
