package iutefacade

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/models"
)

// partnerCall is one authenticated request from a partner: the partner,
// its parameters and the errors found in them so far.
type partnerCall struct {
	c       *gin.Context
	partner *models.Partner
	errs    failure.FieldErrors
	params  params
}

// serve authenticates the partner, takes the request from its rate
// limit, reads the parameters, checks partner_type and hands over to the
// interface. Credentials and the limit are checked before the body is
// read, so an unknown or over-limit caller cannot make us buffer files.
func (h *handlers) serve(c *gin.Context, ep endpoint) {
	// Iute clients are servers. A browser sent here by another site (an
	// <img> on a GET interface that cancels or repays) says cross-site, and
	// must not ride on credentials it has cached.
	if c.GetHeader("Sec-Fetch-Site") == "cross-site" {
		h.writeError(c, http.StatusForbidden, "Requests from other sites are refused.", nil)
		return
	}
	user, pw, hasAuth := c.Request.BasicAuth()
	if !hasAuth {
		h.writeError(c, http.StatusForbidden, msgNoCredentials, nil)
		return
	}
	p, err := h.svc.AuthenticatePartner(c.Request.Context(), user, pw, c.ClientIP())
	if err != nil {
		h.fail(c, err, nil)
		return
	}
	// The partner's bucket is /v1's: the façade is no way around its limit.
	// A refused request is answered before its body is read.
	d := h.svc.AdmitPartner(p)
	d.SetHeaders(c.Writer.Header())
	if !d.Allowed {
		h.writeError(c, http.StatusTooManyRequests, msgRateLimited, nil)
		return
	}
	f, err := readForm(c, ep.Files)
	if err != nil {
		h.fail(c, err, nil)
		return
	}
	k := &partnerCall{c: c, partner: p}
	k.params = params{form: f, errs: &k.errs}
	// A missing partner_type is reported with the other missing fields;
	// a wrong one is an authentication failure.
	if pt, _ := f.value(iutewire.FieldPartnerType); pt == "" {
		k.errs.Add(iutewire.FieldPartnerType, errRequired)
	} else if !strings.EqualFold(pt, p.PartnerType) {
		h.writeError(c, http.StatusForbidden, msgWrongPartnerType, nil)
		return
	}
	ep.handle(h, k)
}

// invalid answers the field errors collected so far; false when there are
// none and the handler may go on.
// readLoan answers what read makes of the partner's loan the request names under field; bad
// parameters or a failed read are answered here, and ok is false.
func readLoan[T any](h *handlers, k *partnerCall, field string, read func(context.Context, *models.Partner, int64) (T, error)) (out T, ok bool) {
	ref := k.params.loanRef(field)
	if h.invalid(k) {
		return out, false
	}
	out, err := read(k.c.Request.Context(), k.partner, ref)
	if err != nil {
		h.fail(k.c, err, nil)
		return out, false
	}
	return out, true
}

func (h *handlers) invalid(k *partnerCall) bool {
	if err := k.errs.Err(); err != nil {
		h.fail(k.c, err, nil)
		return true
	}
	return false
}

// ok answers an empty 200, for the interfaces without response content.
func ok(c *gin.Context) {
	c.Status(http.StatusOK)
	c.Writer.WriteHeaderNow()
}
