package sim_test

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/webmoney/sim"
)

func sign(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func post(t *testing.T, s http.Handler, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, sim.DefaultPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/xml")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestWireFormat(t *testing.T) {
	msk := time.FixedZone("MSK", 3*60*60)
	s := sim.New(sim.Options{Now: func() time.Time { return time.Date(2024, 1, 15, 0, 0, 0, 0, msk) }})
	_, err := s.AddCredit(sim.Credit{
		ID: 77, OwnerWMID: "000000000001", DestWMID: "123456789012", PurseSrc: "Z000000000001",
		PurseDest: "Z123456789012", PurseRet: "Z123456789012", Created: time.Date(2024, 1, 10, 8, 0, 0, 0, msk),
		Amount: decimal.RequireFromString("100"), AmountRet: decimal.RequireFromString("110.5"),
		ReturnDate: time.Date(2024, 2, 10, 8, 0, 0, 0, msk), ReturnPeriod: 31, State: sim.StateTaken,
		WMTranID: "555", ContractID: "K-9",
	})
	require.NoError(t, err)

	// No <state> element: every state; an upper-case signature is accepted.
	sig := strings.ToUpper(sign("000000000001:2024-01-01T00:00:00:2024-01-31T23:59:59:apipass"))
	status, body := post(t, s, `<service.request><wmid>000000000001</wmid><from>2024-01-01T00:00:00</from><to>2024-01-31T23:59:59</to><sign>`+sig+`</sign></service.request>`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<service.response><credits cnt="1"><credit id="77"><ownerwmid>000000000001</ownerwmid><destwmid>123456789012</destwmid><pursesrc>Z000000000001</pursesrc><pursedest>Z123456789012</pursedest><purseret>Z123456789012</purseret><datecrt>2024-01-10T08:00:00</datecrt><dateupd>2024-01-10T08:00:00</dateupd><amount>100.00</amount><amount_ret>110.50</amount_ret><amount_ret_rest>110.50</amount_ret_rest><ret_date>2024-02-10T08:00:00</ret_date><ret_per>31</ret_per><state>1</state><wmtranid>555</wmtranid><contractid>K-9</contractid></credit></credits><retval>0</retval><retdesc></retdesc></service.response>`, body)

	// The signature covers the dates as sent: a different window needs its own signature.
	status, body = post(t, s, `<service.request><wmid>000000000001</wmid><from>2024-01-02T00:00:00</from><to>2024-01-31T23:59:59</to><state>-1</state><sign>`+sig+`</sign></service.request>`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<service.response><retval>-2</retval><retdesc>invalid signature</retdesc></service.response>`, body)

	for _, bad := range []struct{ body, retdesc string }{
		{`not xml`, "request is not a service.request document"},
		{`<service.request><wmid>1</wmid></service.request>`, "wmid must be 12 digits"},
		{`<service.request><wmid>000000000001</wmid><from>01.01.2024</from><to>2024-01-31T23:59:59</to></service.request>`, "from and to must be dates in format yyyy-MM-ddTHH:mm:ss"},
		{`<service.request><wmid>000000000001</wmid><from>2024-01-01T00:00:00</from><to>2024-01-31T23:59:59</to><state>7</state></service.request>`, "state must be -1 or 0..6"},
	} {
		status, body = post(t, s, bad.body)
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, body, "<retval>-1</retval><retdesc>"+bad.retdesc)
	}

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, sim.DefaultPath, nil))
	require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	require.Equal(t, 1, s.Requests())
}

func TestControl(t *testing.T) {
	s := sim.New(sim.Options{})
	_, err := s.AddCredit(sim.Credit{OwnerWMID: "000000000001", State: 9})
	require.Error(t, err)
	id, err := s.AddCredit(sim.Credit{OwnerWMID: "000000000001", AmountRet: decimal.NewFromInt(5), State: sim.StateTaken})
	require.NoError(t, err)
	_, err = s.AddCredit(sim.Credit{ID: id, OwnerWMID: "000000000001"})
	require.Error(t, err, "ids are unique")
	require.Error(t, s.SetState(id, 8))
	require.Error(t, s.SetState(999, sim.StateRefused))
	require.Error(t, s.Repay(id, decimal.NewFromInt(6)), "more than is owed")
	require.NoError(t, s.SetState(id, sim.StateCompletedByOthers))
	require.Equal(t, sim.StateCompletedByOthers, s.Credits()[0].State)
}
