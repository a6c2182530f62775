package sim

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/loanflow/loanflow/providers/simfault"
)

// Options configure a simulator. Zero values take the defaults noted on each field.
type Options struct {
	Username  string // default "partner"
	SecretKey string // default "secret"
	// DocumentedOnly promises no more than JULO's document does: an identical repeat of a registration
	// is refused like any other of a registered NIK, and a validated OTP is used up (validating it again
	// is answered like a code never requested). Without it the simulator is kinder, as a real JULO may
	// be: the repeat answers the application it created, a repeated validation of the accepted code
	// succeeds.
	DocumentedOnly bool
	// OTPTTL is how long a sent OTP stays valid (default 5 minutes).
	OTPTTL time.Duration
	// MaxOTPAttempts is how many wrong OTPs are accepted before a new one is needed (default 3).
	MaxOTPAttempts int
	// FirstApplicationXID numbers applications (default 2235427695, as in JULO's sample).
	FirstApplicationXID int64
	// OTPSeed seeds the OTP generator, so tests get reproducible codes.
	OTPSeed int64
	// OnOTP, when set, receives every OTP texted, e.g. for `loanflow dev` to print the customer's SMS.
	// It runs with the simulator's lock held and must not call back into the Server.
	OnOTP  func(applicationXID int64, phone, otp string)
	Now    func() time.Time // default time.Now
	Faults Faults
}

// Server is an in-memory JULO behind the partnership API; it is an http.Handler.
type Server struct {
	opts Options
	simfault.Front

	mu        sync.Mutex
	secret    string // the partner secret-key accepted now (RotateSecret)
	otpRand   *rand.Rand
	apps      map[int64]*application
	customers map[string]string // NIK -> email of everyone registered with JULO
	emails    map[string]string // email -> NIK
	nextXID   int64
}

// New returns a simulator with opts.
func New(opts Options) *Server {
	opts.Username = cmp.Or(opts.Username, "partner")
	opts.SecretKey = cmp.Or(opts.SecretKey, "secret")
	opts.OTPTTL = cmp.Or(opts.OTPTTL, 5*time.Minute)
	opts.MaxOTPAttempts = cmp.Or(opts.MaxOTPAttempts, 3)
	opts.FirstApplicationXID = cmp.Or(opts.FirstApplicationXID, 2235427695)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts: opts, secret: opts.SecretKey, otpRand: rand.New(rand.NewSource(opts.OTPSeed)),
		apps: map[int64]*application{}, customers: map[string]string{}, emails: map[string]string{},
		nextXID: opts.FirstApplicationXID,
	}
	s.Front = simfault.NewFront(opts.Faults, s.routes(), func(w http.ResponseWriter, status int, msg string) { fail(w, status, msg) })
	return s
}

// RotateSecret changes the secret-key JULO accepts, as JULO's partner portal does when the partner
// rotates it: a client still sending the old one is answered 401 from then on. It answers the old one.
func (s *Server) RotateSecret(secret string) (old string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, s.secret = s.secret, secret
	return old
}

func (s *Server) acceptedSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.secret
}

// AddCustomer records someone who already has a JULO account (registered through another channel).
func (s *Server) AddCustomer(nik, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.customers[nik] = email
	s.emails[email] = nik
}

// LastOTP is the OTP JULO texted for an application and that is still pending: what the customer reads
// on their phone.
func (s *Server) LastOTP(applicationXID int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[applicationXID]
	if !ok || a.otp == "" {
		return "", false
	}
	return a.otp, true
}

// Registrations counts the applications created.
func (s *Server) Registrations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.apps)
}

// ApplicationXIDs lists the applications in creation order.
func (s *Server) ApplicationXIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.apps))
}

// Application returns a snapshot of one application.
func (s *Server) Application(applicationXID int64) (Application, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[applicationXID]
	if !ok {
		return Application{}, false
	}
	return a.snapshot(), true
}

// newOTP draws a six-digit code; the caller holds s.mu.
func (s *Server) newOTP() string { return fmt.Sprintf("%06d", s.otpRand.Intn(1000000)) }
