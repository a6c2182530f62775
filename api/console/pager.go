package console

import (
	"strconv"

	"github.com/gin-gonic/gin"
)

// pager is where a paged listing stands: its page, the rows shown of how
// many, and the links to the pages either side (empty at either end).
// Listing views embed it; the "pager" template block renders its links.
type pager struct {
	Total   int64
	Page    int
	First   int
	Last    int
	PrevURL string
	NextURL string
}

// newPager is the page ?page= asks for, the first when it is missing or
// out of range, of size rows.
func newPager(gc *gin.Context, size int) (pager, int) {
	p := pager{Page: 1}
	if n, err := strconv.Atoi(gc.Query("page")); err == nil && n > 1 && n < 1_000_000 {
		p.Page = n
	}
	return p, (p.Page - 1) * size
}

// shown records that rows rows were read at offset of total, and links the
// pages around, keeping the request's other parameters.
func (p *pager) shown(gc *gin.Context, offset, rows int, total int64) {
	p.Total = total
	if rows > 0 {
		p.First, p.Last = offset+1, offset+rows
	}
	pageURL := func(n int) string {
		q := gc.Request.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return gc.Request.URL.Path + "?" + q.Encode()
	}
	if p.Page > 1 {
		p.PrevURL = pageURL(p.Page - 1)
	}
	if int64(offset+rows) < total {
		p.NextURL = pageURL(p.Page + 1)
	}
}
