package sim

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/iutewire"
)

const maxUpload = 32 << 20

var (
	amountRE = regexp.MustCompile(`^\d+(\.\d{1,2})?$`)
	gsmRE    = regexp.MustCompile(`^0\d{9}$`)
	homeRE   = regexp.MustCompile(`^0\d{8}$`)
	langRE   = regexp.MustCompile(`^[a-z]{3}$`)
)

// request is a parsed, authenticated API call: form holds the query for GET and the body fields for POST.
type request struct {
	form  url.Values
	files map[string][]*multipart.FileHeader
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, r := range []struct {
		iface iutewire.Interface
		h     func(http.ResponseWriter, *request)
	}{
		{iutewire.Calculate, s.calculate},
		{iutewire.AddLoan, s.newLoan},
		{iutewire.CancelLoan, s.cancel},
		{iutewire.CheckLoanStatus, s.checkStatus},
		{iutewire.CheckLoanInfo, s.loanInfo},
		{iutewire.GenerateAgreement, s.generateAgreement},
		{iutewire.UploadFiles, s.uploadFiles},
		{iutewire.AllowCashRelease, s.allowCashRelease},
		{iutewire.ConfirmCashRelease, s.confirmCashRelease},
		{iutewire.InsertRepayment, s.insertRepayment},
	} {
		mux.Handle(r.iface.Method+" "+iutewire.PathPrefix+r.iface.Path, s.api(r.h))
	}
	return mux
}

// api authenticates (Basic, then partner_type) and parses the parameters the way the CRM reads them:
// GET parameters from the query, POST parameters from a multipart or url-encoded body.
func (s *Server) api(h func(http.ResponseWriter, *request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.Username)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.Password)) != 1 {
			writeError(w, http.StatusForbidden, "Access denied: invalid username or password")
			return
		}
		req := &request{form: r.URL.Query()}
		if r.Method == http.MethodPost {
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			var err error
			switch ct {
			case "multipart/form-data":
				err = r.ParseMultipartForm(maxUpload)
				if err == nil {
					req.files = r.MultipartForm.File
				}
			case "application/x-www-form-urlencoded":
				err = r.ParseForm()
			default:
				err = fmt.Errorf("content type %q is not supported, use multipart/form-data or application/x-www-form-urlencoded", ct)
			}
			if err != nil {
				writeError(w, http.StatusBadRequest, "Malformed request: "+err.Error())
				return
			}
			req.form = r.PostForm
		}
		switch pt := req.form.Get(iutewire.FieldPartnerType); {
		case pt == "":
			writeError(w, http.StatusBadRequest, iutewire.FieldPartnerType+": is required")
			return
		case pt != s.opts.PartnerType:
			writeError(w, http.StatusForbidden, "Access denied: partner type "+pt+" is not allowed for this user")
			return
		}
		h(w, req)
	})
}

// problems collects validation messages so one answer lists every bad field, as Iute's pages do.
type problems []string

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, field+": "+fmt.Sprintf(format, args...))
}

func (p *problems) required(form url.Values, field string) string {
	v := strings.TrimSpace(form.Get(field))
	if v == "" {
		p.add(field, "is required")
	}
	return v
}

func (p *problems) matching(form url.Values, field string, re *regexp.Regexp, format string) string {
	v := p.required(form, field)
	if v != "" && !re.MatchString(v) {
		p.add(field, "must have format %s", format)
	}
	return v
}

func (p *problems) date(form url.Values, field, layout, format string) time.Time {
	v := p.required(form, field)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		p.add(field, "must be a date in format %s", format)
	}
	return t
}

func (s *Server) amount(p *problems, form url.Values, field string) decimal.Decimal {
	v := p.required(form, field)
	if v == "" {
		return decimal.Zero
	}
	if !amountRE.MatchString(v) {
		p.add(field, "must be a positive amount with at most 2 decimals")
		return decimal.Zero
	}
	d := decimal.RequireFromString(v)
	if field == iutewire.FieldLoanAmount && (d.LessThan(s.opts.MinAmount) || d.GreaterThan(s.opts.MaxAmount)) {
		p.add(field, "must be between %s and %s", s.opts.MinAmount, s.opts.MaxAmount)
	}
	if d.IsZero() {
		p.add(field, "must be greater than 0")
	}
	return d
}

func (s *Server) duration(p *problems, form url.Values) int {
	v := p.required(form, iutewire.FieldLoanDuration)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > s.opts.MaxDuration {
		p.add(iutewire.FieldLoanDuration, "must be a whole number of months from 1 to %d", s.opts.MaxDuration)
	}
	return n
}

func ref(p *problems, form url.Values, field string) int64 {
	v := p.required(form, field)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.add(field, "must be a loan reference number")
	}
	return n
}

// file checks an uploaded document: present when required, non-empty, jpg or pdf.
func (p *problems) file(req *request, field string, required bool) bool {
	fhs := req.files[field]
	if len(fhs) == 0 || fhs[0].Filename == "" {
		if required {
			p.add(field, "file is required")
		}
		return false
	}
	fh := fhs[0]
	switch strings.ToLower(path.Ext(fh.Filename)) {
	case ".jpg", ".jpeg", ".pdf":
	default:
		p.add(field, "only jpg and pdf files are accepted")
		return false
	}
	if fh.Size == 0 {
		p.add(field, "file is empty")
		return false
	}
	return true
}

// lookup finds a loan for a handler; the caller holds s.mu.
// withLoan answers the request's problems with a 400, or runs fn on loan
// ref under the simulator's lock (a 400 when there is no such loan).
// onLoan runs fn on the loan the request names by field alone.
func (s *Server) onLoan(w http.ResponseWriter, req *request, field string, fn func(l *loan)) {
	var p problems
	r := ref(&p, req.form, field)
	s.withLoan(w, p, r, fn)
}

func (s *Server) withLoan(w http.ResponseWriter, p problems, ref int64, fn func(l *loan)) {
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, p...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.lookup(w, ref); ok {
		fn(l)
	}
}

func (s *Server) lookup(w http.ResponseWriter, ref int64) (*loan, bool) {
	l, ok := s.loans[ref]
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Loan %d not found", ref))
	}
	return l, ok
}

func (s *Server) calculate(w http.ResponseWriter, req *request) {
	var p problems
	amount := s.amount(&p, req.form, iutewire.FieldLoanAmount)
	months := s.duration(&p, req.form)
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, p...)
		return
	}
	plan, err := s.plan(amount, months)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeXML(w, iutewire.LoanCalc{
		FirstRepaymentDate: plan.Periods[0].DueDate.Format(iutewire.DateLayout),
		MonthlyPayment:     iutewire.FormatAmount(plan.Periods[0].Total),
		TotalLoanAmount:    iutewire.FormatAmount(plan.TotalRepayment),
	})
}

func (s *Server) newLoan(w http.ResponseWriter, req *request) {
	var p problems
	f := req.form
	app := Application{
		PIN:              p.required(f, iutewire.FieldPIN),
		FirstName:        p.required(f, iutewire.FieldFirstName),
		LastName:         p.required(f, iutewire.FieldLastName),
		Patronymic:       p.required(f, iutewire.FieldPatronymic),
		BirthDate:        p.date(f, iutewire.FieldBirthDate, iutewire.DateLayout, "dd.MM.yyyy"),
		GSM:              p.matching(f, iutewire.FieldGSM, gsmRE, `0\d{9}`),
		Town:             p.required(f, iutewire.FieldTown),
		LoanAmount:       s.amount(&p, f, iutewire.FieldLoanAmount),
		LoanDuration:     s.duration(&p, f),
		SubmitPerson:     p.required(f, iutewire.FieldSubmitPerson),
		SubmitPostOffice: p.required(f, iutewire.FieldSubmitPostOffice),
		IDCopy:           p.file(req, iutewire.FieldIDCopy, false),
		DataVerification: p.file(req, iutewire.FieldDataVerification, false),
	}
	p.required(f, iutewire.FieldDocumentSerial)
	p.matching(f, iutewire.FieldPhoneHome, homeRE, `0\d{8}`)
	p.required(f, iutewire.FieldAltContactName)
	p.required(f, iutewire.FieldAltContactRel)
	p.matching(f, iutewire.FieldAltContactPhone, gsmRE, `0\d{9}`)
	p.required(f, iutewire.FieldStreet)
	p.required(f, iutewire.FieldHouseNr)
	if _, ok := f[iutewire.FieldApartmentNr]; !ok {
		// Required as a parameter, but Iute's own example leaves it empty (houses have no apartment).
		p.add(iutewire.FieldApartmentNr, "is required")
	}
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, p...)
		return
	}
	plan, err := s.plan(app.LoanAmount, app.LoanDuration)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for _, other := range s.loans {
		if other.app.PIN == app.PIN && other.open(now, s.opts.RejectionCooldown) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Client %s already has loan application %d in status %s", app.PIN, other.ref, other.state))
			return
		}
	}
	l := &loan{ref: s.nextRef, state: StateNew, app: app, submittedAt: now, plan: plan}
	s.nextRef++
	s.loans[l.ref] = l
	switch {
	case age(app.BirthDate, now) < 18:
		s.decideLocked(l, false) // the CRM's auto-rejection
	case s.opts.AutoDecide && s.opts.AutoDecideAfter == 0:
		s.autoDecideLocked(l)
	}
	writeXML(w, iutewire.NewLoan{
		LoanRef:            strconv.FormatInt(l.ref, 10),
		LoanPeriod:         strconv.Itoa(app.LoanDuration),
		FirstRepaymentDate: plan.Periods[0].DueDate.Format(iutewire.DateLayout),
		ClientPIN:          app.PIN,
		ClientName:         app.FirstName + " " + app.LastName,
	})
}

func (s *Server) autoDecideLocked(l *loan) {
	approve := s.opts.Decide == nil || s.opts.Decide(l.app)
	s.decideLocked(l, approve)
}

func age(birth, now time.Time) int {
	years := now.Year() - birth.Year()
	if now.YearDay() < birth.YearDay() {
		years--
	}
	return years
}

func (s *Server) cancel(w http.ResponseWriter, req *request) {
	s.onLoan(w, req, iutewire.FieldLoanRefGet, func(l *loan) {
		if l.state != StateNew && l.state != StateApproved {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Loan %d cannot be cancelled in status %s", l.ref, l.state))
			return
		}
		l.state = StateCancelled
		w.WriteHeader(http.StatusOK)
	})
}

func (s *Server) checkStatus(w http.ResponseWriter, req *request) {
	s.onLoan(w, req, iutewire.FieldLoanRefPost, func(l *loan) {
		if l.state == StateNew && s.opts.AutoDecide {
			l.checks++
			if l.checks > s.opts.AutoDecideAfter {
				s.autoDecideLocked(l)
			}
		}
		var approved string
		switch l.state {
		case StateNew:
			approved = iutewire.ApprovedFalse
		case StateApproved:
			approved = iutewire.ApprovedTrue
		case StateRejected:
			approved = iutewire.ApprovedRejected
		default:
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Loan application %d has moved to status %s", l.ref, l.state))
			return
		}
		writeXML(w, iutewire.LoanStatus{Approved: approved, LoanRef: strconv.FormatInt(l.ref, 10)})
	})
}

func (s *Server) loanInfo(w http.ResponseWriter, req *request) {
	var p problems
	r := ref(&p, req.form, iutewire.FieldLoanRefGet)
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, p...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.loans[r]
	if !ok || (l.state != StateActive && l.state != StateRepaid) {
		writeXML(w, iutewire.LoanResponse{Message: iutewire.InfoNoActiveLoan, Status: iutewire.InfoStatusNoLoan})
		return
	}
	snap := l.snapshot()
	info := &iutewire.LoanInfo{
		LoanRef:          strconv.FormatInt(r, 10),
		LoanPeriod:       strconv.Itoa(l.app.LoanDuration),
		TotalBalance:     iutewire.FormatAmount(snap.TotalBalance),
		Repaid:           iutewire.FormatAmount(snap.Repaid),
		RemainingBalance: iutewire.FormatAmount(snap.Remaining),
		ClientPIN:        l.app.PIN,
		ClientName:       l.app.FirstName + " " + l.app.LastName,
	}
	for _, in := range snap.Installments {
		info.Installments = append(info.Installments, iutewire.Installment{
			Number:   strconv.Itoa(in.Number),
			DueDate:  in.DueDate.Format(iutewire.DateLayout),
			Total:    iutewire.FormatAmount(in.Total),
			ToBePaid: iutewire.FormatAmount(in.ToBePaid),
		})
	}
	writeXML(w, iutewire.LoanResponse{Message: iutewire.InfoSuccess, Status: iutewire.InfoStatusOK, Loan: info})
}

func (s *Server) generateAgreement(w http.ResponseWriter, req *request) {
	var p problems
	r := ref(&p, req.form, iutewire.FieldLoanRefGet)
	lang := p.matching(req.form, iutewire.FieldLang, langRE, "three-letter language code")
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, p...)
		return
	}
	s.mu.Lock()
	l, ok := s.lookup(w, r)
	if !ok {
		s.mu.Unlock()
		return
	}
	switch l.state {
	case StateApproved, StateCashReleaseAllowed, StateActive, StateRepaid:
	default:
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Agreement cannot be generated for loan %d in status %s", r, l.state))
		return
	}
	l.agreements++
	snap := l.snapshot()
	s.mu.Unlock()

	pdf, err := agreementPDF(snap, lang)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Disposition", iutewire.AgreementDisposition(r, lang))
	w.Header().Set("Content-Type", iutewire.ContentTypePDF)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}

func (s *Server) uploadFiles(w http.ResponseWriter, req *request) {
	var p problems
	r := ref(&p, req.form, iutewire.FieldLoanRefPost)
	p.file(req, iutewire.FieldLoanAgreement, true)
	p.file(req, iutewire.FieldBankStatement, true)
	s.withLoan(w, p, r, func(l *loan) {
		if l.state != StateApproved && l.state != StateCashReleaseAllowed {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Files cannot be uploaded for loan %d in status %s", r, l.state))
			return
		}
		l.files = true
		if s.opts.AutoDecide && l.state == StateApproved {
			l.state = StateCashReleaseAllowed
		}
		w.WriteHeader(http.StatusOK)
	})
}

func (s *Server) allowCashRelease(w http.ResponseWriter, req *request) {
	s.onLoan(w, req, iutewire.FieldLoanRefGet, func(l *loan) {
		writeXML(w, iutewire.CashRelease{
			Allowed:         strconv.FormatBool(l.state == StateCashReleaseAllowed),
			LoanStatus:      l.state.crmStatus(),
			LoanRef:         strconv.FormatInt(l.ref, 10),
			LoanAmount:      iutewire.FormatAmount(l.app.LoanAmount),
			ClientPIN:       l.app.PIN,
			ClientFirstName: l.app.FirstName,
			ClientLastName:  l.app.LastName,
		})
	})
}

func (s *Server) confirmCashRelease(w http.ResponseWriter, req *request) {
	s.onLoan(w, req, iutewire.FieldLoanRefGet, func(l *loan) {
		switch l.state {
		case StateCashReleaseAllowed:
			l.state = StateActive
		case StateActive:
			// Already confirmed: a partner retrying a lost answer must not fail.
		default:
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Cash release is not allowed for loan %d in status %s", l.ref, l.state))
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func (s *Server) insertRepayment(w http.ResponseWriter, req *request) {
	var p problems
	r := ref(&p, req.form, iutewire.FieldLoanRefGet)
	date := p.date(req.form, iutewire.FieldRepaymentDate, iutewire.RepaymentDateLayout, "ddMMyyyy")
	amount := s.amount(&p, req.form, iutewire.FieldRepaymentAmount)
	s.withLoan(w, p, r, func(l *loan) {
		if l.state != StateActive {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Repayment cannot be inserted for loan %d in status %s", r, l.state))
			return
		}
		remaining := l.total().Sub(l.repaid())
		if amount.GreaterThan(remaining) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Repayment amount %s exceeds remaining balance %s of loan %d", amount.StringFixed(2), remaining.StringFixed(2), r))
			return
		}
		l.repayments = append(l.repayments, Repayment{Date: date, Amount: amount})
		if amount.Equal(remaining) {
			l.state = StateRepaid
		}
		w.WriteHeader(http.StatusOK)
	})
}
