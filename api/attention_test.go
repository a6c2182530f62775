package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// TestProvidersNeedingAttention: the back office lists the loans a provider
// refused or keeps waiting; operations retry a refused step and resolve a
// lender step whose answer was lost, each through its workflow Update; the
// partner is told a loan's release waits for its ledger's booking.
func TestProvidersNeedingAttention(t *testing.T) {
	e := newEnv(t)
	refused := e.insertProductLoan("demo", lending.StatusDocumentsSubmitted, "2000.00", "mambu")
	waiting := e.insertLoan("demo", lending.StatusSubmitted, "1500.00")
	clean := e.insertLoan("other", lending.StatusSubmitted, "1000.00")
	set := func(ref int64, cols map[string]any) {
		require.NoError(t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", ref).Updates(cols).Error)
	}
	set(refused.Ref, map[string]any{"provider_error": "mambu refused book: PARAMS_INCONSISTENT_WITH_PRODUCT_RULES (184)"})
	set(waiting.Ref, map[string]any{"provider_waiting": "julo answered HTTP 401 Invalid partner credentials"})

	res := e.get(operations, "/backoffice/v1/attention")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	page := res.json(t)
	require.EqualValues(t, 2, page["total"])
	items := page["items"].([]any)
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	require.EqualValues(t, refused.Ref, first["ref"])
	require.Equal(t, "mambu refused book: PARAMS_INCONSISTENT_WITH_PRODUCT_RULES (184)", first["provider_error"])
	require.EqualValues(t, waiting.Ref, second["ref"])
	require.Equal(t, "julo answered HTTP 401 Invalid partner credentials", second["provider_waiting"])
	require.NotEqual(t, clean.Ref, int64(second["ref"].(float64)))
	e.get(operations, "/backoffice/v1/attention?page_size=0").problem(t, http.StatusBadRequest)

	release := e.get(demo, fmt.Sprintf("/v1/loans/%d/cash-release", refused.Ref))
	require.Equal(t, http.StatusOK, release.Code, release.Body.String())
	require.Equal(t, map[string]any{"allowed": false, "status": "DOCUMENTS_SUBMITTED", "waiting_for": "ledger_booking"}, release.json(t))

	retry := fmt.Sprintf("/backoffice/v1/loans/%d/provider/retry", refused.Ref)
	e.post(underwriter, retry, nil, nil).problem(t, http.StatusForbidden)
	e.engine.NextStatus = lending.StatusDocumentsSubmitted
	require.Equal(t, http.StatusOK, e.post(operations, retry, nil, key("r1")).Code)
	require.Equal(t, testkit.UpdateCall{Ref: refused.Ref, Name: workflows.UpdateRetryProvider, ID: "retry-provider/staff:operations/r1",
		Arg: workflows.DecisionRequest{Actor: "staff:operations"}}, e.engine.LastUpdate(t))

	resolve := fmt.Sprintf("/backoffice/v1/loans/%d/lender/resolve", waiting.Ref)
	p := e.post(operations, resolve, map[string]any{"phone_verified": "yes"}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, "phone_verified", p.Errors[0].Field)
	e.post(operations, resolve, map[string]any{"application_xid": "2235427695", "nik": "x"}, nil).problem(t, http.StatusBadRequest)
	e.engine.NextStatus = lending.StatusSubmitted
	require.Equal(t, http.StatusOK, e.post(operations, resolve, map[string]any{"application_xid": "2235427695"}, key("link")).Code)
	require.Equal(t, testkit.UpdateCall{Ref: waiting.Ref, Name: workflows.UpdateResolveLender, ID: "resolve-lender/staff:operations/link",
		Arg: workflows.LenderResolution{Actor: "staff:operations", ApplicationXID: "2235427695"}}, e.engine.LastUpdate(t))
}
