package sim

import (
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/loanflow/loanflow/providers/simfault"
)

// Fineract's out-of-the-box demo credentials and tenant.
const (
	DefaultTenant   = "default"
	DefaultUsername = "mifos"
	DefaultPassword = "password"
)

// Product is a loan product: what the loan terms do not carry. InterestRateFrequencyType is 2 (per
// month) or 3 (per year); DaysInYearType 1 (actual), 360, 364 or 365; DaysInMonthType 1 (actual) or 30.
type Product struct {
	ID                        int64
	Name                      string
	CurrencyCode              string
	DecimalPlaces             int32
	InMultiplesOf             int64
	InterestRateFrequencyType int
	DaysInYearType            int
	DaysInMonthType           int
}

// DefaultProduct is product 1: euro, two places, rates per year, actual day counts.
var DefaultProduct = Product{ID: 1, Name: "loanflow consumer", CurrencyCode: "EUR", DecimalPlaces: 2,
	InterestRateFrequencyType: 3, DaysInYearType: 1, DaysInMonthType: 1}

// Config sets up a simulator; zero fields take the defaults above.
type Config struct {
	Tenant   string
	Username string
	Password string
	Products []Product
	// Charges are the tenant's charge definitions; none means DefaultPenaltyCharge.
	Charges []Charge
	Faults  Faults
}

// Server is the simulated Fineract. It is an http.Handler, safe for concurrent use; all state is behind
// one mutex.
type Server struct {
	cfg      Config
	products map[int64]Product
	charges  map[int64]Charge

	mu          sync.Mutex
	faults      *simfault.Injector
	clients     map[int64]*client
	clientByExt map[string]int64
	loans       map[int64]*loan
	loanByExt   map[string]int64
	txByExt     map[string]int64
	chargeByExt map[string]int64
	nextClient  int64
	nextLoan    int64
	nextTx      int64
	nextCharge  int64
}

// New returns an empty simulator.
func New(cfg Config) *Server {
	cfg.Tenant = cmp.Or(cfg.Tenant, DefaultTenant)
	if cfg.Username == "" {
		cfg.Username, cfg.Password = DefaultUsername, DefaultPassword
	}
	if len(cfg.Products) == 0 {
		cfg.Products = []Product{DefaultProduct}
	}
	if len(cfg.Charges) == 0 {
		cfg.Charges = []Charge{DefaultPenaltyCharge}
	}
	s := &Server{
		cfg: cfg, products: map[int64]Product{}, charges: map[int64]Charge{},
		clients: map[int64]*client{}, clientByExt: map[string]int64{},
		loans: map[int64]*loan{}, loanByExt: map[string]int64{}, txByExt: map[string]int64{}, chargeByExt: map[string]int64{},
	}
	for _, p := range cfg.Products {
		s.products[p.ID] = p
	}
	for _, c := range cfg.Charges {
		s.charges[c.ID] = c
	}
	s.faults = simfault.New(cfg.Faults)
	return s
}

// Prefixes the API is served under: the packaged webapp's and the bare one (digest §1.1).
var prefixes = []string{"/fineract-provider/api/v1/", "/api/v1/"}

// ServeHTTP authenticates the call, injects the configured faults, and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var path string
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(r.URL.Path, p); ok {
			path = strings.Trim(rest, "/")
			break
		}
	}
	if path == "" {
		writeReply(w, notFound("error.msg.resource.not.found", "No resource at "+r.URL.Path, r.URL.Path))
		return
	}
	if rep, ok := s.authenticate(r); !ok {
		writeReply(w, rep)
		return
	}

	// Faults hit authenticated calls only, as on a real server behind its
	// filters; a dropped answer comes after the work was done.
	s.faults.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, s.route(r, strings.Split(path, "/")))
	}), func(w http.ResponseWriter, _ int, _ string) { writeReply(w, internalError()) }).ServeHTTP(w, r)
}

// authenticate checks the tenant, then HTTP Basic, in the order Fineract's filters do.
func (s *Server) authenticate(r *http.Request) (reply, bool) {
	tenant := r.Header.Get("Fineract-Platform-TenantId")
	if tenant == "" {
		tenant = r.Header.Get("X-Mifos-Platform-TenantId")
	}
	if tenant == "" {
		tenant = r.URL.Query().Get("tenantIdentifier")
	}
	if tenant == "" {
		return errorReply(http.StatusBadRequest,
			"No tenant identifier found: Add request header of 'Fineract-Platform-TenantId' or add the parameter 'tenantIdentifier' to query string of request URL.",
			"No tenant identifier found.", "error.msg.tenant.identifier.missing", nil), false
	}
	if tenant != s.cfg.Tenant {
		return errorReply(http.StatusUnauthorized, "The tenant identifier: "+tenant+" is not valid.",
			"The tenant identifier is not valid.", "error.msg.invalid.tenant.identifier", nil), false
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.cfg.Username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.cfg.Password)) != 1 {
		return unauthenticated(), false
	}
	return reply{}, true
}

func (s *Server) route(r *http.Request, seg []string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case len(seg) == 1 && seg[0] == "clients" && get:
		return s.listClients(r)
	case len(seg) == 1 && seg[0] == "clients" && post:
		return s.createClient(r)
	case len(seg) == 2 && seg[0] == "clients" && get:
		return s.getClient(seg[1])
	case len(seg) == 1 && seg[0] == "loans" && get:
		return s.listLoans(r)
	case len(seg) == 1 && seg[0] == "loans" && post:
		return s.submitLoan(r)
	case len(seg) == 2 && seg[0] == "loans" && get:
		return s.getLoan(r, seg[1])
	case len(seg) == 2 && seg[0] == "loans" && post:
		return s.loanCommand(r, seg[1])
	case len(seg) == 3 && seg[0] == "loans" && seg[2] == "transactions" && post:
		return s.transactionCommand(r, seg[1])
	case len(seg) == 4 && seg[0] == "loans" && seg[2] == "transactions" && get:
		return s.getTransaction(seg[1], seg[3])
	case len(seg) == 3 && seg[0] == "loans" && seg[2] == "charges" && get:
		return s.listCharges(seg[1])
	case len(seg) == 3 && seg[0] == "loans" && seg[2] == "charges" && post:
		return s.addCharge(r, seg[1])
	case len(seg) == 4 && seg[0] == "loans" && seg[2] == "charges" && post:
		return s.chargeCommand(r, seg[1], seg[3])
	case (len(seg) >= 1 && len(seg) <= 4) && (seg[0] == "clients" || seg[0] == "loans"):
		return errorReply(http.StatusMethodNotAllowed, r.Method+" is not supported on this resource.",
			"Method not allowed.", "error.msg.method.not.allowed", nil)
	}
	return notFound("error.msg.resource.not.found", "No resource at "+r.URL.Path, r.URL.Path)
}

func writeReply(w http.ResponseWriter, rep reply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	_ = json.NewEncoder(w).Encode(rep.body)
}
