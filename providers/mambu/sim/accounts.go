package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simbook"
	"github.com/loanflow/loanflow/schedule"
)

type client struct {
	key       string
	id        string
	firstName string
	lastName  string
	state     string
	created   time.Time
}

type loan struct {
	key          string
	id           string
	holderKey    string
	product      Product
	name         string
	notes        string
	state        string
	amount       decimal.Decimal
	rate         decimal.Decimal
	installments int
	periodCount  int
	unit         string
	grace        int

	created              time.Time
	approvedOn           time.Time
	expectedDisbursement time.Time
	firstRepayment       time.Time
	disbursedOn          time.Time
	closedOn             time.Time

	// rows are the schedule's installments as transactions changed them; instKeys their encoded keys.
	rows     simbook.Rows
	instKeys []string
	txs      []*transaction
	// overpaid is money received beyond what the loan owed, held until a PAYMENT_MADE pays it back.
	overpaid decimal.Decimal
}

// readJSON decodes a JSON request body into v. A body that is not JSON is Mambu's 30
// MISSING_ENTITY_JSON "Malformatted JSON/missing required field" (L12416-12421).
func readJSON(r *http.Request, v any) *reply {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		rep := statusReply(http.StatusBadRequest, 30, "MISSING_ENTITY_JSON", "Content-Type must be application/json")
		return &rep
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		rep := statusReply(http.StatusBadRequest, 30, "MISSING_ENTITY_JSON", "Malformatted JSON")
		return &rep
	}
	return nil
}

// readEntity reads the entity a JSON body wraps under name, as {"client": {…}}; a body without one is
// MISSING_ENTITY_JSON naming it.
func readEntity[T any](r *http.Request, name string) (*T, *reply) {
	var req map[string]json.RawMessage
	if rep := readJSON(r, &req); rep != nil {
		return nil, rep
	}
	raw, found := req[name]
	if !found || string(bytes.TrimSpace(raw)) == "null" {
		rep := statusReply(http.StatusBadRequest, 30, "MISSING_ENTITY_JSON", name)
		return nil, &rep
	}
	var in T
	if err := json.Unmarshal(raw, &in); err != nil {
		rep := statusReply(http.StatusBadRequest, 30, "MISSING_ENTITY_JSON", "Malformatted JSON")
		return nil, &rep
	}
	return &in, nil
}

// flexInt is an integer sent as a number or a string ("repaymentPeriodCount":"10", L23482-23487).
type flexInt struct {
	n   int
	set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	f.n, f.set = n, true
	return nil
}

// parseDate reads the date formats the doc accepts (L27269-27270).
func parseDate(s string) (time.Time, error) {
	for _, l := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00", dateTimeLayout} {
		if t, err := time.Parse(l, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

func (s *Server) today() time.Time {
	n := s.cfg.Now().UTC()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

type clientIn struct {
	EncodedKey   string `json:"encodedKey"`
	ID           string `json:"id"`
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	MiddleName   string `json:"middleName"`
	EmailAddress string `json:"emailAddress"`
	MobilePhone1 string `json:"mobilePhone1"`
	Gender       string `json:"gender"`
	BirthDate    string `json:"birthDate"`
	State        string `json:"state"`
}

// createClient is POST /clients with a JSON body (L4729-5042).
func (s *Server) createClient(r *http.Request) reply {
	in, rep := readEntity[clientIn](r, "client")
	if rep != nil {
		return *rep
	}
	switch {
	case in.FirstName == "":
		return propertyReply("Property client.firstName may not be null")
	case in.LastName == "":
		return propertyReply("Property client.lastName may not be null")
	case in.Gender != "" && in.Gender != "MALE" && in.Gender != "FEMALE":
		return propertyReply("Property client.gender has an invalid value")
	}
	if in.BirthDate != "" {
		if _, err := parseDate(in.BirthDate); err != nil {
			return propertyReply("Property client.birthDate: " + err.Error())
		}
	}
	if in.ID != "" {
		if _, taken := s.clientKeys[in.ID]; taken {
			return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", fmt.Sprintf("id: %q is already in use", in.ID))
		}
	}
	c := &client{key: s.key(), id: in.ID, firstName: in.FirstName, lastName: in.LastName, state: "INACTIVE", created: s.cfg.Now().UTC()}
	if c.id == "" {
		c.id = fmt.Sprintf("%09d", s.seq)
	}
	if in.State == "PENDING_APPROVAL" || in.State == "ACTIVE" {
		c.state = in.State
	}
	s.clients[c.key] = c
	s.clientKeys[c.id] = c.key
	return ok(map[string]any{"client": renderClient(c), "addresses": []any{}, "idDocuments": []any{}, "customInformation": []any{}})
}

func (s *Server) findClient(idOrKey string) *client {
	return byIDOrKey(s.clients, s.clientKeys, idOrKey)
}

// byIDOrKey finds a record of byKey by its encoded key or, through keys, by its id, as Mambu's
// {id} path parameters take either.
func byIDOrKey[T any](byKey map[string]*T, keys map[string]string, idOrKey string) *T {
	if r := byKey[idOrKey]; r != nil {
		return r
	}
	return byKey[keys[idOrKey]]
}

// getClient answers ClientExpandedApiV1 (L5294-5300).
func (s *Server) getClient(idOrKey string) reply {
	c := s.findClient(idOrKey)
	if c == nil {
		return statusReply(http.StatusNotFound, 301, "INVALID_CLIENT_ID", "")
	}
	return ok(map[string]any{"client": renderClient(c), "addresses": []any{}, "idDocuments": []any{},
		"customInformation": []any{}, "groupKeys": []any{}})
}

func renderClient(c *client) map[string]any {
	return map[string]any{"encodedKey": c.key, "id": c.id, "firstName": c.firstName, "lastName": c.lastName,
		"state": c.state, "creationDate": renderTime(c.created), "lastModifiedDate": renderTime(c.created),
		"loanCycle": 0, "groupLoanCycle": 0, "preferredLanguage": "ENGLISH"}
}

type loanIn struct {
	EncodedKey            string           `json:"encodedKey"`
	ID                    string           `json:"id"`
	AccountHolderKey      string           `json:"accountHolderKey"`
	AccountHolderType     string           `json:"accountHolderType"`
	ProductTypeKey        string           `json:"productTypeKey"`
	LoanName              string           `json:"loanName"`
	Notes                 string           `json:"notes"`
	LoanAmount            *decimal.Decimal `json:"loanAmount"`
	InterestRate          *decimal.Decimal `json:"interestRate"`
	RepaymentInstallments flexInt          `json:"repaymentInstallments"`
	RepaymentPeriodCount  flexInt          `json:"repaymentPeriodCount"`
	RepaymentPeriodUnit   string           `json:"repaymentPeriodUnit"`
	GracePeriod           flexInt          `json:"gracePeriod"`
	DisbursementDetails   *struct {
		ExpectedDisbursementDate string `json:"expectedDisbursementDate"`
		FirstRepaymentDate       string `json:"firstRepaymentDate"`
	} `json:"disbursementDetails"`
}

// createLoan is POST /loans with a LoanAccountApiV1Wrapper body (L19108-19239).
func (s *Server) createLoan(r *http.Request) reply {
	in, rep := readEntity[loanIn](r, "loanAccount")
	if rep != nil {
		return *rep
	}
	// "If the identifier or encoded key is provided, an update will be executed (for now, only the custom
	// fields can be updated via JSON)" (L19112): the account is answered as it is.
	for _, ref := range []string{in.EncodedKey, in.ID} {
		if l := s.findLoan(ref); ref != "" && l != nil {
			return ok(map[string]any{"loanAccount": s.renderLoan(l)})
		}
	}
	switch {
	case in.AccountHolderKey == "":
		return propertyReply("Property loanAccount.accountHolderKey may not be null")
	case in.ProductTypeKey == "":
		return propertyReply("Property loanAccount.productTypeKey may not be null")
	case in.LoanAmount == nil:
		return propertyReply("Property loanAccount.loanAmount may not be null")
	case in.AccountHolderType != "" && in.AccountHolderType != "CLIENT":
		return statusReply(http.StatusBadRequest, 4, "INVALID_PARAMETERS", "accountHolderType: only CLIENT accounts are simulated")
	}
	holder := s.findClient(in.AccountHolderKey)
	if holder == nil {
		return statusReply(http.StatusBadRequest, 301, "INVALID_CLIENT_ID", "")
	}
	pkey := in.ProductTypeKey
	if _, byKey := s.products[pkey]; !byKey {
		pkey = s.productIDs[pkey]
	}
	p, known := s.products[pkey]
	if !known {
		return statusReply(http.StatusBadRequest, 505, "INVALID_PRODUCT_ID", "")
	}
	l := &loan{id: in.ID, holderKey: holder.key, product: p, name: in.LoanName, notes: in.Notes,
		state: "PENDING_APPROVAL", amount: *in.LoanAmount, rate: p.DefaultInterestRate,
		installments: p.DefaultRepaymentInstallments, periodCount: p.DefaultRepaymentPeriodCount,
		unit: p.DefaultRepaymentPeriodUnit, created: s.cfg.Now().UTC(), expectedDisbursement: s.today()}
	if l.name == "" {
		l.name = p.Name
	}
	if in.InterestRate != nil {
		l.rate = *in.InterestRate
	}
	if in.RepaymentInstallments.set {
		l.installments = in.RepaymentInstallments.n
	}
	if in.RepaymentPeriodCount.set {
		l.periodCount = in.RepaymentPeriodCount.n
	}
	if in.RepaymentPeriodUnit != "" {
		l.unit = in.RepaymentPeriodUnit
	}
	l.grace = in.GracePeriod.n
	if dd := in.DisbursementDetails; dd != nil {
		var err error
		if dd.ExpectedDisbursementDate != "" {
			if l.expectedDisbursement, err = parseDate(dd.ExpectedDisbursementDate); err != nil {
				return propertyReply("Property loanAccount.disbursementDetails.expectedDisbursementDate: " + err.Error())
			}
		}
		if dd.FirstRepaymentDate != "" {
			if l.firstRepayment, err = parseDate(dd.FirstRepaymentDate); err != nil {
				return propertyReply("Property loanAccount.disbursementDetails.firstRepaymentDate: " + err.Error())
			}
		}
	}
	if rep := l.checkTerms(); rep != nil {
		return *rep
	}
	if err := s.reschedule(l, l.expectedDisbursement); err != nil {
		return statusReply(http.StatusBadRequest, 184, "PARAMS_INCONSISTENT_WITH_PRODUCT_RULES", err.Error())
	}
	l.key = s.key()
	if l.id == "" {
		l.id = fmt.Sprintf("LN%07d", s.seq)
	}
	s.loans[l.key] = l
	s.loanKeys[l.id] = l.key
	return ok(map[string]any{"loanAccount": s.renderLoan(l)})
}

// checkTerms applies the product's rules; out-of-range values are 184 (L25618-25624).
func (l *loan) checkTerms() *reply {
	bad := func(msg string) *reply {
		rep := statusReply(http.StatusBadRequest, 184, "PARAMS_INCONSISTENT_WITH_PRODUCT_RULES", msg)
		return &rep
	}
	p := l.product
	switch {
	case !l.amount.IsPositive():
		return bad("loanAmount must be greater than zero")
	case p.MinLoanAmount.IsPositive() && l.amount.LessThan(p.MinLoanAmount):
		return bad("loanAmount is below the product minimum " + p.MinLoanAmount.String())
	case p.MaxLoanAmount.IsPositive() && l.amount.GreaterThan(p.MaxLoanAmount):
		return bad("loanAmount is above the product maximum " + p.MaxLoanAmount.String())
	case l.rate.IsNegative():
		return bad("interestRate must not be negative")
	case l.installments <= 0:
		return bad("repaymentInstallments must be greater than zero")
	case l.periodCount <= 0:
		return bad("repaymentPeriodCount must be greater than zero")
	case l.grace < 0 || l.grace >= l.installments:
		return bad("gracePeriod must be between zero and the number of installments")
	}
	switch l.unit {
	case "DAYS", "WEEKS", "MONTHS", "YEARS":
	default:
		return bad("repaymentPeriodUnit must be DAYS, WEEKS, MONTHS or YEARS")
	}
	return nil
}

// reschedule computes the loan's schedule from disbursedOn with our engine, the product's settings
// mapped onto its terms.
func (s *Server) reschedule(l *loan, disbursedOn time.Time) error {
	p := l.product
	units := map[string]schedule.Frequency{"DAYS": schedule.Days, "WEEKS": schedule.Weeks, "MONTHS": schedule.Months, "YEARS": schedule.Years}
	t := schedule.Terms{
		Principal: l.amount, DisbursementDate: disbursedOn, NumberOfRepayments: l.installments,
		RepaymentEvery: l.periodCount, RepaymentFrequency: units[l.unit], InterestRate: l.rate,
		InterestRateFrequency: schedule.Years, InterestMethod: schedule.InterestDecliningBalance,
		Amortization: schedule.AmortizationEqualInstallments, InterestCalculationPeriod: schedule.InterestPeriodSameAsRepayment,
		DaysInYear: schedule.DaysActual, DaysInMonth: schedule.DaysActual, GraceOnPrincipal: l.grace,
		Currency:     schedule.Currency{Code: p.CurrencyCode, DecimalPlaces: p.DecimalPlaces},
		RoundingMode: schedule.RoundHalfUp, Engine: schedule.EngineCumulative,
	}
	switch p.InterestCalculationMethod {
	case "FLAT":
		t.InterestMethod = schedule.InterestFlat
	case "DECLINING_BALANCE":
		t.Amortization = schedule.AmortizationEqualPrincipal
	}
	if p.InterestChargeFrequency == "EVERY_MONTH" {
		t.InterestRateFrequency = schedule.Months
	}
	switch p.DaysInYear {
	case "ACTUAL_365_FIXED":
		t.DaysInYear = schedule.Days365
	case "ACTUAL_360":
		t.DaysInYear = schedule.Days360
	case "ACTUAL_364":
		t.DaysInYear = schedule.Days364
	case "E30_360":
		t.DaysInYear, t.DaysInMonth = schedule.Days360, schedule.Days30
	}
	if p.ScheduleInterestDaysCountMethod == "USING_ACTUAL_DAYS_COUNT" {
		t.InterestCalculationPeriod = schedule.InterestPeriodDaily
	}
	if !l.firstRepayment.IsZero() {
		first := l.firstRepayment
		t.FirstRepaymentDate = &first
	}
	sched, err := schedule.Generate(t)
	if err != nil {
		return err
	}
	l.rows = simbook.FromSchedule(sched)
	l.instKeys = make([]string, len(sched.Periods))
	for i := range l.instKeys {
		l.instKeys[i] = s.key()
	}
	return nil
}

func (s *Server) findLoan(idOrKey string) *loan { return byIDOrKey(s.loans, s.loanKeys, idOrKey) }

func (s *Server) getLoan(idOrKey string) reply {
	l := s.findLoan(idOrKey)
	if l == nil {
		return statusReply(http.StatusNotFound, 100, "INVALID_LOAN_ACCOUNT_ID", "")
	}
	return ok(s.renderLoan(l))
}
