package console

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// servicedRow is one loan of a servicing or attention queue, with its
// partner's name and its currency's scale.
type servicedRow struct {
	Loan    models.Loan
	Partner string
	Scale   int32
}

type servicedQueueView struct {
	Rows []servicedRow
	pager
}

// listQueue reads one page of a queue through list and renders it as page.
func (c *console) listQueue(gc *gin.Context, page, title, what string, list func(ctx context.Context, st *models.Staff, limit, offset int) ([]models.Loan, int64, error)) {
	ctx := gc.Request.Context()
	var v servicedQueueView
	var offset int
	v.pager, offset = newPager(gc, queuePageSize)
	loans, total, err := list(ctx, staffOf(gc), queuePageSize, offset)
	if err != nil {
		c.outage(gc, "list "+what, err)
		return
	}
	partners, err := c.store.ListPartners(ctx)
	if err != nil {
		c.outage(gc, "list partners", err)
		return
	}
	names := map[uint]string{}
	for _, p := range partners {
		names[p.ID] = p.Username
	}
	for _, l := range loans {
		v.Rows = append(v.Rows, servicedRow{Loan: l, Partner: names[l.PartnerID], Scale: c.svc.CurrencyDecimals(ctx, l.ProductCode)})
	}
	v.shown(gc, offset, len(v.Rows), total)
	c.render(gc, http.StatusOK, page, title, v, "")
}

// collectionsQueue lists the paid-out loans with an installment past due,
// the longest overdue first: the order collectors call in.
func (c *console) collectionsQueue(gc *gin.Context) {
	c.listQueue(gc, "collections", "Collections", "collections", c.svc.Collections)
}

// attentionQueue lists the loans a provider refused or keeps waiting for
// the operator, with the provider's message.
func (c *console) attentionQueue(gc *gin.Context) {
	c.listQueue(gc, "attention", "Needs attention", "loans needing attention", c.svc.Attention)
}
