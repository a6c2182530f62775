package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/auth"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// Context keys of the authenticated principal.
const (
	ctxPartner = "loanflow.partner"
	ctxStaff   = "loanflow.staff"
)

// requirePartner is the /v1 middleware.
func (h *handlers) requirePartner(c *gin.Context) {
	basicAuth(h, c, ctxPartner, h.svc.AuthenticatePartner)
}

// limitPartner is the /v1 middleware after requirePartner: one request
// from the authenticated partner's token bucket (service.AdmitPartner).
// Every answer carries the RateLimit headers; over the limit the request is
// answered 429 before any handler runs, so it reads no body and changes
// nothing.
func (h *handlers) limitPartner(c *gin.Context) {
	d := h.svc.AdmitPartner(partnerOf(c))
	d.SetHeaders(c.Writer.Header())
	if !d.Allowed {
		writeProblem(c, http.StatusTooManyRequests, "rate-limited", fmt.Sprintf(
			"more than %d requests at once or %g per second; retry after the seconds in Retry-After", d.Limit.Burst, d.Limit.Rate), nil)
		return
	}
	c.Next()
}

// requireStaff is the /backoffice/v1 middleware; roles are checked by the
// Service per action.
func (h *handlers) requireStaff(c *gin.Context) {
	basicAuth(h, c, ctxStaff, h.svc.AuthenticateStaff)
}

// basicAuth admits a request whose HTTP Basic credentials check, keeping
// the account under key for the handlers.
func basicAuth[T any](h *handlers, c *gin.Context, key string, check func(ctx context.Context, user, password, ip string) (T, error)) {
	user, pw, ok := c.Request.BasicAuth()
	if !ok {
		h.unauthorized(c, auth.ErrBadCredentials)
		return
	}
	account, err := check(c.Request.Context(), user, pw, c.ClientIP())
	if err != nil {
		h.unauthorized(c, err)
		return
	}
	c.Set(key, account)
	c.Next()
}

func (h *handlers) unauthorized(c *gin.Context, err error) {
	switch failure.KindOf(err) {
	case failure.KindUnauthorized:
		c.Header("WWW-Authenticate", `Basic realm="loanflow"`)
	case failure.KindTooManyRequests:
		c.Header("Retry-After", strconv.Itoa(int(auth.FailureWindow/time.Second)))
	}
	h.respondError(c, err)
}

func partnerOf(c *gin.Context) *models.Partner { return c.MustGet(ctxPartner).(*models.Partner) }

func staffOf(c *gin.Context) *models.Staff { return c.MustGet(ctxStaff).(*models.Staff) }
