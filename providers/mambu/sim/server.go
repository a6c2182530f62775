package sim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simfault"
)

// The doc's own Basic example credentials (L36-41).
const (
	DefaultUsername = "SomeUser"
	DefaultPassword = "OpenSesame"
)

// Product is a loan product: the settings a loan account does not carry (digest §4).
//
//	InterestCalculationMethod        FLAT | DECLINING_BALANCE (equal principal) | DECLINING_BALANCE_DISCOUNTED (equal installments)
//	InterestChargeFrequency          ANNUALIZED | EVERY_MONTH
//	DaysInYear                       ACTUAL_365_FIXED | ACTUAL_360 | ACTUAL_364 | ACTUAL_ACTUAL_ISDA | E30_360
//	ScheduleInterestDaysCountMethod  USING_REPAYMENT_PERIODICITY | USING_ACTUAL_DAYS_COUNT
//	PrepaymentRecalculationMethod    NO_RECALCULATION (or empty): money paid ahead pays the next installments
//	                                 whole; any other value: it pays principal first (see repay)
//	FuturePaymentsAcceptance         ACCEPT_OVERPAYMENTS: money beyond the balance is held as an
//	                                 overpayment; otherwise it is refused
type Product struct {
	// EncodedKey is the key loans name the product by (productTypeKey). A
	// tenant generates it when the product is set up: left empty, the
	// simulator does too (ProductKey reads it), so a test can act as a
	// tenant whose key loanflow cannot guess.
	EncodedKey                      string
	ID                              string
	Name                            string
	CurrencyCode                    string
	DecimalPlaces                   int32
	InterestCalculationMethod       string
	InterestChargeFrequency         string
	DaysInYear                      string
	ScheduleInterestDaysCountMethod string
	DefaultInterestRate             decimal.Decimal
	DefaultRepaymentInstallments    int
	DefaultRepaymentPeriodCount     int
	DefaultRepaymentPeriodUnit      string
	// MinLoanAmount and MaxLoanAmount bound the loan amount when positive.
	MinLoanAmount                 decimal.Decimal
	MaxLoanAmount                 decimal.Decimal
	PrepaymentRecalculationMethod string
	FuturePaymentsAcceptance      string
}

// DefaultProduct carries the settings loan V3 of the doc's examples implies, and its key.
var DefaultProduct = Product{
	EncodedKey: "8a19b7057471f4af017472dc0fd80001", ID: "LF", Name: "loanflow consumer", CurrencyCode: "EUR",
	DecimalPlaces: 2, InterestCalculationMethod: "DECLINING_BALANCE_DISCOUNTED", InterestChargeFrequency: "ANNUALIZED",
	DaysInYear: "ACTUAL_360", ScheduleInterestDaysCountMethod: "USING_ACTUAL_DAYS_COUNT",
	DefaultInterestRate: decimal.NewFromInt(12), DefaultRepaymentInstallments: 12, DefaultRepaymentPeriodCount: 1,
	DefaultRepaymentPeriodUnit: "MONTHS",
}

// Config sets up a simulator. Zero credentials take the defaults; APIKey, when set, is accepted in the
// apiKey header as well. AllowMissingUserAgent models a tenant without Audit Trail. Now is the clock
// that decides which installments are late (time.Now when nil).
type Config struct {
	Username              string
	Password              string
	APIKey                string
	AllowMissingUserAgent bool
	Products              []Product
	Faults                Faults
	Now                   func() time.Time
}

// Server is the simulated Mambu tenant. It is an http.Handler, safe for concurrent use; all state is
// behind one mutex.
type Server struct {
	cfg        Config
	products   map[string]Product
	productIDs map[string]string

	mu          sync.Mutex
	faults      *simfault.Injector
	seq         int64
	clients     map[string]*client
	clientKeys  map[string]string
	loans       map[string]*loan
	loanKeys    map[string]string
	identifiers map[string]bool
	nextTxID    int64
}

// New returns an empty simulator.
func New(cfg Config) *Server {
	if cfg.Username == "" {
		cfg.Username, cfg.Password = DefaultUsername, DefaultPassword
	}
	if len(cfg.Products) == 0 {
		cfg.Products = []Product{DefaultProduct}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, products: map[string]Product{}, productIDs: map[string]string{},
		clients: map[string]*client{}, clientKeys: map[string]string{}, loans: map[string]*loan{},
		loanKeys: map[string]string{}, identifiers: map[string]bool{}}
	cfg.Products = slices.Clone(cfg.Products) // keys are filled in below
	for i, p := range cfg.Products {
		if p.EncodedKey == "" {
			p.EncodedKey = newEncodedKey()
			cfg.Products[i] = p
		}
		s.products[p.EncodedKey] = p
		s.productIDs[p.ID] = p.EncodedKey
	}
	s.faults = simfault.New(cfg.Faults)
	return s
}

// newEncodedKey is a key as Mambu generates them: 32 hexadecimal digits.
func newEncodedKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

// ProductKey is the encodedKey of the product with id, "" when there is
// none: what a tenant's administrator reads in Mambu's product settings.
func (s *Server) ProductKey(id string) string { return s.productIDs[id] }

// ServeHTTP authenticates the call, injects the configured faults, and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, found := strings.CutPrefix(r.URL.Path, "/api/")
	if !found {
		writeReply(w, statusReply(http.StatusNotFound, 3, "INVALID_API_OPERATION", "no resource at "+r.URL.Path))
		return
	}
	if rep, ok := s.authenticate(r); !ok {
		writeReply(w, rep)
		return
	}

	// Faults hit authenticated calls only, as on a real server behind its
	// filters; a dropped answer comes after the work was done.
	s.faults.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, s.route(r, strings.Split(strings.Trim(path, "/"), "/")))
	}), func(w http.ResponseWriter, _ int, _ string) {
		writeReply(w, statusReply(http.StatusInternalServerError, 6, "INTERNAL_ERROR", ""))
	}).ServeHTTP(w, r)
}

func (s *Server) authenticate(r *http.Request) (reply, bool) {
	authorized := false
	if key := r.Header.Get("apiKey"); key != "" && s.cfg.APIKey != "" {
		authorized = subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.APIKey)) == 1
	} else if user, pass, ok := r.BasicAuth(); ok {
		authorized = subtle.ConstantTimeCompare([]byte(user), []byte(s.cfg.Username)) == 1 &&
			subtle.ConstantTimeCompare([]byte(pass), []byte(s.cfg.Password)) == 1
	}
	if !authorized {
		return statusReply(http.StatusUnauthorized, 2, "INVALID_CREDENTIALS", ""), false
	}
	if r.Header.Get("User-Agent") == "" && !s.cfg.AllowMissingUserAgent {
		return reply{status: http.StatusBadRequest, body: map[string]any{"errors": []any{map[string]any{
			"errorCode": 4, "errorSource": "The user agent cannot be null when the Audit Trail feature is enabled",
			"errorReason": "INVALID_PARAMETERS"}}}}, false
	}
	return reply{}, true
}

func (s *Server) route(r *http.Request, seg []string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case len(seg) == 1 && seg[0] == "clients" && post:
		return s.createClient(r)
	case len(seg) == 2 && seg[0] == "clients" && get:
		return s.getClient(seg[1])
	case len(seg) == 1 && seg[0] == "loans" && post:
		return s.createLoan(r)
	case len(seg) == 2 && seg[0] == "loans" && get:
		return s.getLoan(seg[1])
	case len(seg) == 3 && seg[0] == "loans" && seg[2] == "transactions" && post:
		return s.postTransaction(r, seg[1])
	case len(seg) == 3 && seg[0] == "loans" && seg[2] == "transactions" && get:
		return s.listTransactions(r, seg[1])
	case len(seg) == 3 && seg[0] == "loans" && seg[2] == "repayments" && get:
		return s.listRepayments(r, seg[1])
	case len(seg) >= 1 && len(seg) <= 3 && (seg[0] == "clients" || seg[0] == "loans"):
		return statusReply(http.StatusMethodNotAllowed, 5, "METHOD_NOT_IMPLEMENTED", r.Method+" is not implemented here")
	}
	return statusReply(http.StatusNotFound, 3, "INVALID_API_OPERATION", "no resource at "+r.URL.Path)
}

// key mints an encoded key: 32 hex digits, like the doc's.
func (s *Server) key() string {
	s.seq++
	return fmt.Sprintf("8a19b7057471f4af%016x", s.seq)
}

// reply is a handler's answer, written (or dropped) by ServeHTTP.
type reply struct {
	status int
	body   any
}

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }

// statusReply is shape C, ExecutionStatusApiV1 (L46437-46448).
func statusReply(status, code int, name, source string) reply {
	body := map[string]any{"returnCode": code, "returnStatus": name}
	if source != "" {
		body["errorSource"] = source
	}
	return reply{status: status, body: body}
}

// propertyReply is shape A, the general error response (L70-75).
func propertyReply(source string) reply {
	return reply{status: http.StatusBadRequest, body: map[string]any{
		"errorCode": "4", "errorSource": source, "errorReason": "INVALID_PARAMETERS"}}
}

func writeReply(w http.ResponseWriter, rep reply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	_ = json.NewEncoder(w).Encode(rep.body)
}

// Mambu's date-time rendering, offset without a colon (L160).
const dateTimeLayout = "2006-01-02T15:04:05-0700"

func renderTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(dateTimeLayout)
}

// money renders an amount as the doc's examples do: a string.
func money(d decimal.Decimal) string { return d.String() }
