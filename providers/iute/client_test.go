package iute_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/providers/iute"
	"github.com/loanflow/loanflow/providers/iute/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

// TestLoanProcess walks the 13 steps of Iute's typical loan process through every client call.
func TestLoanProcess(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := ctx(t)

	calc, err := e.client.Calculate(c, dec("2000"), 6)
	require.NoError(t, err)
	require.Equal(t, "26.07.2018", calc.FirstRepaymentDate.Format(iutewire.DateLayout))
	require.True(t, calc.MonthlyPayment.IsPositive())
	require.True(t, calc.TotalLoanAmount.GreaterThan(dec("2000")), "total %s includes interest", calc.TotalLoanAmount)

	app := application("I80606014N")
	app.IDCopy = &iute.File{Name: "id_doc.jpg", Data: []byte("\xff\xd8\xff\xe0 id")}
	app.DataVerification = &iute.File{Name: "data_ver.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 data")}
	loan, err := e.client.AddLoan(c, app)
	require.NoError(t, err)
	require.Equal(t, int64(90000), loan.LoanRef)
	require.Equal(t, 6, loan.LoanPeriod)
	require.Equal(t, calc.FirstRepaymentDate, loan.FirstRepaymentDate)
	require.Equal(t, "I80606014N", loan.ClientPIN)
	require.Equal(t, "Nelea Iacovet", loan.ClientName)
	snap, ok := e.sim.Loan(loan.LoanRef)
	require.True(t, ok)
	require.True(t, snap.Application.IDCopy)
	require.True(t, snap.Application.DataVerification)
	require.Equal(t, app.BirthDate, snap.Application.BirthDate)

	st, err := e.client.CheckLoanStatus(c, loan.LoanRef)
	require.NoError(t, err)
	require.Equal(t, iute.LoanStatus{LoanRef: loan.LoanRef, Decision: iute.DecisionPending}, *st)

	require.NoError(t, e.sim.Approve(loan.LoanRef))
	st, err = e.client.CheckLoanStatus(c, loan.LoanRef)
	require.NoError(t, err)
	require.Equal(t, iute.DecisionApproved, st.Decision)

	agr, err := e.client.GenerateAgreement(c, loan.LoanRef, "alb")
	require.NoError(t, err)
	require.Equal(t, "specific_agreement_90000_alb.pdf", agr.Filename)
	require.Equal(t, "application/pdf;charset=UTF-8", agr.ContentType)
	require.Equal(t, "%PDF-", string(agr.PDF[:5]))

	cr, err := e.client.AllowCashRelease(c, loan.LoanRef)
	require.NoError(t, err)
	require.False(t, cr.Allowed, "not before the files are checked")
	require.Error(t, e.sim.AuthorizeCashRelease(loan.LoanRef), "the operator needs the files first")

	require.NoError(t, e.client.UploadFiles(c, loan.LoanRef, jpeg("iddoc.jpg"), iute.File{Name: "statement.pdf", Data: []byte("%PDF-1.4 statement")}))
	require.NoError(t, e.sim.AuthorizeCashRelease(loan.LoanRef))
	cr, err = e.client.AllowCashRelease(c, loan.LoanRef)
	require.NoError(t, err)
	require.True(t, cr.LoanAmount.Equal(dec("2000")), "loan amount %s", cr.LoanAmount)
	cr.LoanAmount = dec("0")
	require.Equal(t, iute.CashRelease{
		Allowed: true, LoanStatus: "normal", LoanRef: loan.LoanRef, LoanAmount: dec("0"),
		ClientPIN: "I80606014N", ClientFirstName: "Nelea", ClientLastName: "Iacovet",
	}, *cr)

	_, err = e.client.CheckLoanInfo(c, loan.LoanRef)
	require.True(t, iute.IsNoActiveLoan(err), "no loan info before pay-out: %v", err)

	require.NoError(t, e.client.ConfirmCashRelease(c, loan.LoanRef))
	require.NoError(t, e.client.ConfirmCashRelease(c, loan.LoanRef), "confirming again is harmless")

	info, err := e.client.CheckLoanInfo(c, loan.LoanRef)
	require.NoError(t, err)
	require.Equal(t, loan.LoanRef, info.LoanRef)
	require.Equal(t, 6, info.LoanPeriod)
	require.True(t, info.TotalBalance.Equal(calc.TotalLoanAmount))
	require.True(t, info.Repaid.IsZero())
	require.True(t, info.RemainingBalance.Equal(info.TotalBalance))
	require.Equal(t, "Nelea Iacovet", info.ClientName)
	require.Len(t, info.Installments, 6)
	require.Equal(t, "26.12.2018", info.Installments[5].DueDate.Format(iutewire.DateLayout))

	// Installments are covered in order whatever the date: the first in full, then part of the second.
	first := info.Installments[0].Total
	require.NoError(t, e.client.InsertRepayment(c, loan.LoanRef, time.Date(2018, 5, 22, 0, 0, 0, 0, time.UTC), first.Add(dec("10.50"))))
	info, err = e.client.CheckLoanInfo(c, loan.LoanRef)
	require.NoError(t, err)
	require.True(t, info.Repaid.Equal(first.Add(dec("10.50"))))
	require.True(t, info.Installments[0].ToBePaid.IsZero())
	require.True(t, info.Installments[1].ToBePaid.Equal(info.Installments[1].Total.Sub(dec("10.50"))))
	require.True(t, info.Installments[2].ToBePaid.Equal(info.Installments[2].Total))

	require.NoError(t, e.client.InsertRepayment(c, loan.LoanRef, today, info.RemainingBalance))
	info, err = e.client.CheckLoanInfo(c, loan.LoanRef)
	require.NoError(t, err)
	require.True(t, info.RemainingBalance.IsZero())
	for _, in := range info.Installments {
		require.True(t, in.ToBePaid.IsZero(), "installment %d", in.Number)
	}
	snap, _ = e.sim.Loan(loan.LoanRef)
	require.Equal(t, sim.StateRepaid, snap.State)
	require.Equal(t, 2, e.sim.Repayments(loan.LoanRef))
	require.Equal(t, "22.05.2018", snap.Repayments[0].Date.Format(iutewire.DateLayout))
	require.Equal(t, 1, e.sim.Loans())
}

func TestCancelAndDecisions(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := ctx(t)

	cancelled, err := e.client.AddLoan(c, application("C1"))
	require.NoError(t, err)
	require.NoError(t, e.client.CancelLoan(c, cancelled.LoanRef))
	st, err := e.client.CheckLoanStatus(c, cancelled.LoanRef)
	require.NoError(t, err)
	require.Equal(t, iute.DecisionMovedOn, st.Decision)
	require.Contains(t, st.Message, "CANCELLED")

	rejected, err := e.client.AddLoan(c, application("R1"))
	require.NoError(t, err)
	require.NoError(t, e.sim.Reject(rejected.LoanRef))
	st, err = e.client.CheckLoanStatus(c, rejected.LoanRef)
	require.NoError(t, err)
	require.Equal(t, iute.DecisionRejected, st.Decision)
	require.Error(t, e.sim.Approve(rejected.LoanRef), "a decided application is not decided again")

	minor := application("M1")
	minor.BirthDate = today.AddDate(-17, 0, 0)
	auto, err := e.client.AddLoan(c, minor)
	require.NoError(t, err)
	st, err = e.client.CheckLoanStatus(c, auto.LoanRef)
	require.NoError(t, err)
	require.Equal(t, iute.DecisionRejected, st.Decision, "the CRM auto-rejects applicants under 18")

	approved, err := e.client.AddLoan(c, application("A1"))
	require.NoError(t, err)
	require.NoError(t, e.sim.Approve(approved.LoanRef))
	require.NoError(t, e.client.CancelLoan(c, approved.LoanRef), "an APPROVED application may still be withdrawn")
}

func TestAutoDecide(t *testing.T) {
	e := newEnv(t, sim.Options{
		AutoDecide: true, AutoDecideAfter: 2,
		Decide: func(a sim.Application) bool { return a.LoanAmount.LessThanOrEqual(dec("5000")) },
	})
	c := ctx(t)
	small, err := e.client.AddLoan(c, application("S1"))
	require.NoError(t, err)
	big := application("B1")
	big.LoanAmount = dec("9000")
	large, err := e.client.AddLoan(c, big)
	require.NoError(t, err)

	for i, want := range []iute.Decision{iute.DecisionPending, iute.DecisionPending, iute.DecisionApproved} {
		st, err := e.client.CheckLoanStatus(c, small.LoanRef)
		require.NoError(t, err)
		require.Equal(t, want, st.Decision, "check %d", i+1)
	}
	for range 3 {
		_, err := e.client.CheckLoanStatus(c, large.LoanRef)
		require.NoError(t, err)
	}
	st, err := e.client.CheckLoanStatus(c, large.LoanRef)
	require.NoError(t, err)
	require.Equal(t, iute.DecisionRejected, st.Decision)

	require.NoError(t, e.client.UploadFiles(c, small.LoanRef, jpeg("a.jpg"), jpeg("b.jpg")))
	cr, err := e.client.AllowCashRelease(c, small.LoanRef)
	require.NoError(t, err)
	require.True(t, cr.Allowed, "the auto operator authorizes as soon as files arrive")
}

// TestRefusals checks each documented error shape reaches the caller as a non-retryable
// *providers.Error carrying Iute's message.
func TestRefusals(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := ctx(t)
	active := e.payOut(t, "P1")
	fresh, err := e.client.AddLoan(c, application("P2"))
	require.NoError(t, err)

	badApp := application("P3")
	badApp.GSM = "12345"
	badApp.AltContactPhone = "0"
	badFile := application("P4")
	badFile.IDCopy = &iute.File{Name: "id.png", Data: []byte("png")}

	cases := []providertest.Refusal{
		{Name: "wrong password", Call: func() error {
			_, err := e.clientWith(t, "partner", "wrong", "post").Calculate(c, dec("1000"), 6)
			return err
		}, Status: http.StatusForbidden, Code: iute.CodeForbidden, Message: "invalid username or password", Operator: true},
		{Name: "foreign partner type", Call: func() error {
			_, err := e.clientWith(t, "partner", "secret", "bank").Calculate(c, dec("1000"), 6)
			return err
		}, Status: http.StatusForbidden, Code: iute.CodeForbidden, Message: "partner type bank", Operator: true},
		{Name: "calc amount out of range", Call: func() error {
			_, err := e.client.Calculate(c, dec("50"), 6)
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "loan_amount: must be between 100 and 50000"},
		{Name: "calc three decimals", Call: func() error {
			_, err := e.client.Calculate(c, dec("1000.555"), 6)
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "at most 2 decimals"},
		{Name: "calc duration", Call: func() error {
			_, err := e.client.Calculate(c, dec("1000"), 0)
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "loan_duration"},
		{Name: "add loan lists every bad field", Call: func() error {
			_, err := e.client.AddLoan(c, badApp)
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: `gsm: must have format 0\d{9}; alt_contact_phone: must have format 0\d{9}`},
		{Name: "add loan file type", Call: func() error {
			_, err := e.client.AddLoan(c, badFile)
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "id_copy: only jpg and pdf files are accepted"},
		{Name: "add loan for a person with an open application", Call: func() error {
			_, err := e.client.AddLoan(c, application("P2"))
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeDuplicate, Message: "Client P2 already has loan application 90001 in status NEW"},
		{Name: "cancel a paid-out loan", Call: func() error {
			return e.client.CancelLoan(c, active)
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "cannot be cancelled in status ACTIVE"},
		{Name: "cancel unknown", Call: func() error {
			return e.client.CancelLoan(c, 1)
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "Loan 1 not found"},
		{Name: "agreement before approval", Call: func() error {
			_, err := e.client.GenerateAgreement(c, fresh.LoanRef, "rom")
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "Agreement cannot be generated for loan 90001 in status NEW"},
		{Name: "agreement language", Call: func() error {
			_, err := e.client.GenerateAgreement(c, active, "ro")
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "lang: must have format three-letter language code"},
		{Name: "upload before approval", Call: func() error {
			return e.client.UploadFiles(c, fresh.LoanRef, jpeg("a.jpg"), jpeg("b.jpg"))
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "Files cannot be uploaded for loan 90001 in status NEW"},
		{Name: "upload empty statement", Call: func() error {
			return e.client.UploadFiles(c, fresh.LoanRef, jpeg("a.jpg"), iute.File{Name: "b.jpg"})
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "bank_statement: file is empty"},
		{Name: "allow cash release unknown", Call: func() error {
			_, err := e.client.AllowCashRelease(c, 7)
			return err
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "Loan 7 not found"},
		{Name: "confirm before authorization", Call: func() error {
			return e.client.ConfirmCashRelease(c, fresh.LoanRef)
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "Cash release is not allowed for loan 90001 in status NEW"},
		{Name: "repayment before pay-out", Call: func() error {
			return e.client.InsertRepayment(c, fresh.LoanRef, today, dec("10"))
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "Repayment cannot be inserted for loan 90001 in status NEW"},
		{Name: "repayment above the balance", Call: func() error {
			return e.client.InsertRepayment(c, active, today, dec("999999"))
		}, Status: http.StatusBadRequest, Code: iute.CodeBadRequest, Message: "exceeds remaining balance"},
	}
	providertest.RequireRefusals(t, cases)

	ref, ok := iute.ExistingLoanRef(cases[7].Call())
	require.True(t, ok)
	require.Equal(t, fresh.LoanRef, ref)
	_, ok = iute.ExistingLoanRef(cases[0].Call())
	require.False(t, ok)
	require.Equal(t, 2, e.sim.Loans(), "no refused application was created")
	require.Zero(t, e.sim.Repayments(active))
}

func TestNewValidatesConfig(t *testing.T) {
	providertest.RequireConfigsRefused(t, func(c iute.Config) error { _, err := iute.New(c); return err },
		iute.Config{BaseURL: "", Username: "u", PartnerType: "post"},
		iute.Config{BaseURL: "crm.iute.md", Username: "u", PartnerType: "post"},
		iute.Config{BaseURL: "https://crm.iute.md", PartnerType: "post"},
		iute.Config{BaseURL: "https://crm.iute.md", Username: "u"},
	)
}
