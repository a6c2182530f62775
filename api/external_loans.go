package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// listExternalLoans is GET /backoffice/v1/external-loans: a page of the
// loans reconciliation feeds report (the WebMoney Debt service's issued
// loans), newest issued first. Filters: source, state (a code or a name,
// repeated or comma separated), from and to (days of issue, both included),
// page and page_size as on the other lists. Every staff role may read them.
func (h *handlers) listExternalLoans(c *gin.Context) {
	f, page, errs := readExternalLoanQuery(c)
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	loans, total, err := h.svc.ExternalLoans(c.Request.Context(), staffOf(c), f)
	if err != nil {
		h.respondError(c, err)
		return
	}
	items := make([]externalLoanJSON, len(loans))
	for i := range loans {
		items[i] = newExternalLoanJSON(&loans[i])
	}
	c.JSON(http.StatusOK, pageJSON[externalLoanJSON]{Items: items, Page: page, PageSize: f.Limit, Total: total})
}

// getExternalLoan is GET /backoffice/v1/external-loans/:source/:id: one
// external loan with its state changes.
func (h *handlers) getExternalLoan(c *gin.Context) {
	loan, events, err := h.svc.ExternalLoan(c.Request.Context(), staffOf(c), c.Param("source"), c.Param("id"))
	if err != nil {
		h.respondError(c, err)
		return
	}
	out := externalLoanDetailJSON{externalLoanJSON: newExternalLoanJSON(loan), Events: make([]externalLoanEventJSON, len(events))}
	for i, ev := range events {
		out.Events[i] = externalLoanEventJSON{
			FromState: ev.FromState, FromStateName: ev.FromStateName, ToState: ev.ToState,
			ToStateName: ev.ToStateName, ChangedAt: instant(ev.ChangedAt), At: instant(ev.At),
		}
	}
	c.JSON(http.StatusOK, out)
}

// readExternalLoanQuery decodes the list's query parameters, collecting
// every bad one.
func readExternalLoanQuery(c *gin.Context) (models.ExternalLoanFilter, int, failure.FieldErrors) {
	var errs failure.FieldErrors
	var f models.ExternalLoanFilter
	page, pageSize := readPage(c, &errs)
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	if v := c.Query("source"); v != "" {
		if slices.Contains(service.ExternalSources, v) {
			f.Source = v
		} else {
			errs.Add("source", "unknown source %q (known: %s)", v, strings.Join(service.ExternalSources, ", "))
		}
	}
	f.States = readEach(c, &errs, "state", service.ParseExternalState, "unknown state %q: a code 0 to 6 or a name such as taken")
	f.IssuedFrom, f.IssuedTo = readDays(c, &errs)
	return f, page, errs
}

type externalLoanJSON struct {
	Source             string `json:"source"`
	ExternalID         string `json:"external_id"`
	State              int    `json:"state"`
	StateName          string `json:"state_name"`
	StateDescription   string `json:"state_description"`
	StateChangedAt     string `json:"state_changed_at"`
	LenderID           string `json:"lender_id"`
	BorrowerID         string `json:"borrower_id"`
	SourceAccount      string `json:"source_account"`
	DestinationAccount string `json:"destination_account"`
	RepaymentAccount   string `json:"repayment_account"`
	TransferID         string `json:"transfer_id"`
	ContractID         string `json:"contract_id"`
	Amount             string `json:"amount"`
	AmountToRepay      string `json:"amount_to_repay"`
	AmountOutstanding  string `json:"amount_outstanding"`
	IssuedAt           string `json:"issued_at"`
	DueAt              string `json:"due_at"`
	ReturnPeriod       int    `json:"return_period"`
	FirstSeenAt        string `json:"first_seen_at"`
	UpdatedAt          string `json:"updated_at"`
}

func newExternalLoanJSON(l *models.ExternalLoan) externalLoanJSON {
	return externalLoanJSON{
		Source: l.Source, ExternalID: l.ExternalID,
		State: l.State, StateName: l.StateName, StateDescription: service.ExternalStateDescription(l.State),
		StateChangedAt: instant(l.StateChangedAt),
		LenderID:       l.LenderID, BorrowerID: l.BorrowerID,
		SourceAccount: l.SourceAccount, DestinationAccount: l.DestinationAccount, RepaymentAccount: l.RepaymentAccount,
		TransferID: l.TransferID, ContractID: l.ContractID,
		Amount:            money(l.Amount, service.ExternalLoanScale),
		AmountToRepay:     money(l.AmountToRepay, service.ExternalLoanScale),
		AmountOutstanding: money(l.AmountOutstanding, service.ExternalLoanScale),
		IssuedAt:          instant(l.IssuedAt), DueAt: instant(l.DueAt), ReturnPeriod: l.ReturnPeriod,
		FirstSeenAt: instant(l.FirstSeenAt), UpdatedAt: instant(l.UpdatedAt),
	}
}

type externalLoanEventJSON struct {
	FromState     int    `json:"from_state"`
	FromStateName string `json:"from_state_name"`
	ToState       int    `json:"to_state"`
	ToStateName   string `json:"to_state_name"`
	ChangedAt     string `json:"changed_at"`
	At            string `json:"at"`
}

type externalLoanDetailJSON struct {
	externalLoanJSON
	Events []externalLoanEventJSON `json:"events"`
}

// importJSON answers an import started.
type importJSON struct {
	Source     string `json:"source"`
	WorkflowID string `json:"workflow_id"`
}

// importExternalLoans is POST /backoffice/v1/external-loans/import, for
// operations: 202 once the WebMoney import runs, its workflow ID to follow
// in the Temporal UI. The body is empty or {}; an Idempotency-Key makes a
// retry join the same import (Idempotent-Replayed).
func (h *handlers) importExternalLoans(c *gin.Context) {
	var errs failure.FieldErrors
	body, err := readJSONObject(c, &errs, true)
	if err != nil {
		h.respondError(c, err)
		return
	}
	body.Done()
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	id, replayed, err := h.svc.ImportExternalLoans(c.Request.Context(), staffOf(c), c.GetHeader(idempotencyHeader))
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusAccepted), importJSON{Source: service.ExternalSources[0], WorkflowID: id})
}
