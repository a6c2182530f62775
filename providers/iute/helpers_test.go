package iute_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/iute"
	"github.com/loanflow/loanflow/providers/iute/sim"
)

// today is the simulator's clock in these tests: the day of Iute's sample answers.
var today = time.Date(2018, 6, 26, 10, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return today }

// env is a client talking to a simulator mounted under the /iute context path, as in Iute's samples.
type env struct {
	client *iute.Client
	sim    *sim.Server
	srv    *httptest.Server
}

func newEnv(t *testing.T, opts sim.Options) *env {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedClock
	}
	s := sim.New(opts)
	mux := http.NewServeMux()
	mux.Handle("/iute/", http.StripPrefix("/iute", s))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := iute.New(iute.Config{BaseURL: srv.URL + "/iute", Username: "partner", Password: "secret", PartnerType: "post"})
	require.NoError(t, err)
	return &env{client: c, sim: s, srv: srv}
}

func (e *env) clientWith(t *testing.T, user, pass, partnerType string) *iute.Client {
	t.Helper()
	c, err := iute.New(iute.Config{BaseURL: e.srv.URL + "/iute", Username: user, Password: pass, PartnerType: partnerType})
	require.NoError(t, err)
	return c
}

func application(pin string) iute.Application {
	return iute.Application{
		PIN: pin, FirstName: "Nelea", LastName: "Iacovet", Patronymic: "Ion",
		BirthDate: time.Date(1997, 8, 31, 0, 0, 0, 0, time.UTC), DocumentSerial: "200000907",
		GSM: "0602160911", PhoneHome: "022160911", AltContactName: "June", AltContactRelation: "sister",
		AltContactPhone: "0987654321", Town: "Chisinau", Street: "Long street", HouseNr: "11", ApartmentNr: "",
		LoanAmount: decimal.RequireFromString("2000"), LoanDuration: 6,
		SubmitPerson: "Mike", SubmitPostOffice: "o.p.6514",
	}
}

func jpeg(name string) iute.File {
	return iute.File{Name: name, ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 scanned document")}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// payOut drives a fresh application to a paid-out loan and returns its ref.
func (e *env) payOut(t *testing.T, pin string) int64 {
	t.Helper()
	c := ctx(t)
	loan, err := e.client.AddLoan(c, application(pin))
	require.NoError(t, err)
	require.NoError(t, e.sim.Approve(loan.LoanRef))
	require.NoError(t, e.client.UploadFiles(c, loan.LoanRef, jpeg("agreement.jpg"), jpeg("statement.jpg")))
	require.NoError(t, e.sim.AuthorizeCashRelease(loan.LoanRef))
	require.NoError(t, e.client.ConfirmCashRelease(c, loan.LoanRef))
	return loan.LoanRef
}
