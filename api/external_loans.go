package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/webmoney"
)

// externalSources are the feeds external loans come from; the state names
// a filter accepts are theirs.
var externalSources = map[string]bool{webmoney.Provider: true}

// externalLoanScale: the WebMoney Debt service states amounts to the cent.
const externalLoanScale = 2

var errExternalLoanNotFound = &Error{Kind: KindNotFound, Detail: "no such external loan"}

// ExternalLoans is the back office's view of the loans reconciliation feeds
// report (the WebMoney Debt service's issued loans), read from store:
//
//	GET /backoffice/v1/external-loans               a page of them, newest issued first
//	GET /backoffice/v1/external-loans/:source/:id   one, with its state changes
//
// Every staff role may read them, with the /backoffice/v1 HTTP Basic
// credentials.
func ExternalLoans(store *models.Store) Extension {
	return func(r *gin.Engine, svc *Service) {
		h := &handlers{svc: svc, auth: newAuthenticator(svc.store, svc.failures), log: svc.log}
		x := &externalLoanHandlers{handlers: h, store: store}
		bo := r.Group("/backoffice/v1", h.requireStaff)
		bo.GET("/external-loans", x.list)
		bo.GET("/external-loans/:source/:id", x.get)
	}
}

type externalLoanHandlers struct {
	*handlers
	store *models.Store
}

// list answers a page of external loans. Filters: source, state (a code or
// a name, repeated or comma separated), from and to (days of issue, both
// included), page and page_size as on the other lists.
func (x *externalLoanHandlers) list(c *gin.Context) {
	f, page, errs := readExternalLoanQuery(c)
	if err := errs.Err(); err != nil {
		x.respondError(c, err)
		return
	}
	loans, total, err := x.store.ListExternalLoans(c.Request.Context(), f)
	if err != nil {
		x.respondError(c, unavailable(err))
		return
	}
	items := make([]externalLoanJSON, len(loans))
	for i := range loans {
		items[i] = newExternalLoanJSON(&loans[i])
	}
	c.JSON(http.StatusOK, pageJSON[externalLoanJSON]{Items: items, Page: page, PageSize: f.Limit, Total: total})
}

func (x *externalLoanHandlers) get(c *gin.Context) {
	ctx := c.Request.Context()
	source, id := c.Param("source"), c.Param("id")
	if !externalSources[source] {
		x.respondError(c, errExternalLoanNotFound)
		return
	}
	loan, err := x.store.GetExternalLoan(ctx, source, id)
	if err == nil {
		var events []models.ExternalLoanEvent
		events, err = x.store.ExternalLoanEvents(ctx, source, id)
		if err == nil {
			out := externalLoanDetailJSON{externalLoanJSON: newExternalLoanJSON(loan), Events: make([]externalLoanEventJSON, len(events))}
			for i, ev := range events {
				out.Events[i] = externalLoanEventJSON{
					FromState: ev.FromState, FromStateName: ev.FromStateName, ToState: ev.ToState,
					ToStateName: ev.ToStateName, ChangedAt: instant(ev.ChangedAt), At: instant(ev.At),
				}
			}
			c.JSON(http.StatusOK, out)
			return
		}
	}
	if errors.Is(err, models.ErrNotFound) {
		x.respondError(c, errExternalLoanNotFound)
		return
	}
	x.respondError(c, unavailable(err))
}

// readExternalLoanQuery decodes the list's query parameters, collecting
// every bad one.
func readExternalLoanQuery(c *gin.Context) (models.ExternalLoanFilter, int, FieldErrors) {
	var errs FieldErrors
	f := models.ExternalLoanFilter{Limit: models.DefaultListLimit}
	page := 1
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			errs.Add("page", "must be a positive integer")
		} else {
			page = n
		}
	}
	if v := c.Query("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > models.MaxListLimit {
			errs.Add("page_size", "must be an integer from 1 to %d", models.MaxListLimit)
		} else {
			f.Limit = n
		}
	}
	f.Offset = (page - 1) * f.Limit
	if v := c.Query("source"); v != "" {
		if externalSources[v] {
			f.Source = v
		} else {
			errs.Add("source", "unknown source %q (known: %s)", v, webmoney.Provider)
		}
	}
	for _, v := range c.QueryArray("state") {
		for _, s := range strings.Split(v, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			st, ok := parseExternalState(s)
			if !ok {
				errs.Add("state", "unknown state %q: a code 0 to 6 or a name such as taken", s)
				continue
			}
			f.States = append(f.States, int(st))
		}
	}
	if v := c.Query("from"); v != "" {
		if t, ok := parseDate(v); ok {
			f.IssuedFrom = &t
		} else {
			errs.Add("from", "must be a date YYYY-MM-DD")
		}
	}
	if v := c.Query("to"); v != "" {
		if t, ok := parseDate(v); ok {
			end := t.AddDate(0, 0, 1) // "to" names a day and includes it
			f.IssuedTo = &end
		} else {
			errs.Add("to", "must be a date YYYY-MM-DD")
		}
	}
	if from, to := f.IssuedFrom, f.IssuedTo; from != nil && to != nil && !from.Before(*to) {
		errs.Add("to", "must not be before from")
	}
	return f, page, errs
}

// parseExternalState reads a WebMoney state as its documented code or as
// the name the API answers in state_name.
func parseExternalState(s string) (webmoney.State, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		st := webmoney.State(n)
		return st, st.Valid()
	}
	return webmoney.ParseState(strings.ToLower(s))
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
		State: l.State, StateName: l.StateName, StateDescription: webmoney.State(l.State).Description(),
		StateChangedAt: instant(l.StateChangedAt),
		LenderID:       l.LenderID, BorrowerID: l.BorrowerID,
		SourceAccount: l.SourceAccount, DestinationAccount: l.DestinationAccount, RepaymentAccount: l.RepaymentAccount,
		TransferID: l.TransferID, ContractID: l.ContractID,
		Amount:            money(l.Amount, externalLoanScale),
		AmountToRepay:     money(l.AmountToRepay, externalLoanScale),
		AmountOutstanding: money(l.AmountOutstanding, externalLoanScale),
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
