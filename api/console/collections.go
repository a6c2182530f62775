package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// collectionRow is one overdue loan in the collections queue.
type collectionRow struct {
	Loan    models.Loan
	Partner string
	Scale   int32
}

type collectionsView struct {
	Rows []collectionRow
	pager
}

// collectionsQueue lists the paid-out loans with an installment past due,
// the longest overdue first: the order collectors call in.
func (c *console) collectionsQueue(gc *gin.Context) {
	ctx := gc.Request.Context()
	var v collectionsView
	var offset int
	v.pager, offset = newPager(gc, queuePageSize)
	loans, total, err := c.svc.Collections(ctx, staffOf(gc), queuePageSize, offset)
	if err != nil {
		c.outage(gc, "list collections", err)
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
		v.Rows = append(v.Rows, collectionRow{Loan: l, Partner: names[l.PartnerID], Scale: c.svc.CurrencyDecimals(ctx, l.ProductCode)})
	}
	v.shown(gc, offset, len(v.Rows), total)
	c.render(gc, http.StatusOK, "collections", "Collections", v, "")
}
