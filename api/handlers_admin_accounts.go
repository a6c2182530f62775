package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// The admin API: staff and partners (this file) and products, under
// /backoffice/v1, for admins only. Passwords and secrets appear once, in
// the answer that made them; lists never carry them.

type staffJSON struct {
	Username  string       `json:"username"`
	Name      string       `json:"name"`
	Role      lending.Role `json:"role"`
	Active    bool         `json:"active"`
	CreatedAt string       `json:"created_at"`
}

func newStaffJSON(st *models.Staff) staffJSON {
	return staffJSON{Username: st.Username, Name: st.Name, Role: st.Role, Active: st.Active, CreatedAt: instant(st.CreatedAt)}
}

// staffWithPassword is a staff member with the password just made for them.
type staffWithPassword struct {
	staffJSON
	Password string `json:"password,omitempty"` // empty only in a replay
}

type partnerJSON struct {
	Username       string `json:"username"`
	Name           string `json:"name"`
	PartnerType    string `json:"partner_type"`
	DefaultProduct string `json:"default_product"`
	Active         bool   `json:"active"`
	// RatePerSecond and Burst are the partner's own request limit; null
	// follows the deployment's default.
	RatePerSecond *float64 `json:"rate_per_second"`
	Burst         *int     `json:"burst"`
	CreatedAt     string   `json:"created_at"`
}

func newPartnerJSON(p *models.Partner) partnerJSON {
	j := partnerJSON{Username: p.Username, Name: p.Name, PartnerType: p.PartnerType, DefaultProduct: p.DefaultProductCode,
		Active: p.Active, CreatedAt: instant(p.CreatedAt)}
	if p.RatePerSecond > 0 {
		j.RatePerSecond = &p.RatePerSecond
	}
	if p.RateBurst > 0 {
		j.Burst = &p.RateBurst
	}
	return j
}

// partnerWithSecret is a partner with the API secret just made for it.
type partnerWithSecret struct {
	partnerJSON
	Secret string `json:"secret,omitempty"` // empty only in a replay
}

// requireAdmin admits admins only, before any body is read.
func (h *handlers) requireAdmin(c *gin.Context) {
	if err := service.RequireAdmin(staffOf(c)); err != nil {
		h.respondError(c, err)
		return
	}
	c.Next()
}

func adminOf(c *gin.Context) service.Admin {
	return service.Admin{Staff: staffOf(c), ClientIP: c.ClientIP()}
}

// readBody decodes a JSON object body with decode, answering every bad
// field at once; ok is false when it has answered.
func (h *handlers) readBody(c *gin.Context, optional bool, decode func(body *jsonObject)) bool {
	var errs failure.FieldErrors
	body, err := readJSONObject(c, &errs, optional)
	if err != nil {
		h.respondError(c, err)
		return false
	}
	decode(body)
	body.Done()
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return false
	}
	return true
}

// listStaff is GET /backoffice/v1/staff.
func (h *handlers) listStaff(c *gin.Context) {
	answerList(h, c, "staff", h.svc.ListStaff, newStaffJSON)
}

// createStaff is POST /backoffice/v1/staff {"username","name","role"}: 201
// with the generated password, shown only here.
func (h *handlers) createStaff(c *gin.Context) {
	var n service.NewStaff
	if !h.readBody(c, false, func(b *jsonObject) {
		n = service.NewStaff{Username: strings.TrimSpace(b.String("username")), Name: b.String("name"), Role: lending.Role(b.String("role"))}
	}) {
		return
	}
	h.answerStaff(c, service.ActionCreateStaff, n.Username, n, http.StatusCreated, func(ctx context.Context, a service.Admin) (*models.Staff, string, error) {
		return h.svc.CreateStaff(ctx, a, n)
	})
}

// setStaffActive is POST /backoffice/v1/staff/{username}/disable|enable.
func (h *handlers) setStaffActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !h.readBody(c, true, func(*jsonObject) {}) {
			return
		}
		username, action := c.Param("username"), service.ActionDisableStaff
		if active {
			action = service.ActionEnableStaff
		}
		h.answerStaff(c, action, username, nil, http.StatusOK, func(ctx context.Context, a service.Admin) (*models.Staff, string, error) {
			return noSecret(h.svc.SetStaffActive(ctx, a, username, active))
		})
	}
}

// setStaffRole is POST /backoffice/v1/staff/{username}/role {"role"}.
func (h *handlers) setStaffRole(c *gin.Context) {
	var role lending.Role
	if !h.readBody(c, false, func(b *jsonObject) { role = lending.Role(b.String("role")) }) {
		return
	}
	username := c.Param("username")
	h.answerStaff(c, service.ActionChangeRole, username, role, http.StatusOK, func(ctx context.Context, a service.Admin) (*models.Staff, string, error) {
		return noSecret(h.svc.SetStaffRole(ctx, a, username, role))
	})
}

// resetStaffPassword is POST /backoffice/v1/staff/{username}/reset-password:
// the new password, shown only here.
func (h *handlers) resetStaffPassword(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	username := c.Param("username")
	h.answerStaff(c, service.ActionResetPassword, username, nil, http.StatusOK, func(ctx context.Context, a service.Admin) (*models.Staff, string, error) {
		return h.svc.ResetStaffPassword(ctx, a, username)
	})
}

// listPartners is GET /backoffice/v1/partners.
func (h *handlers) listPartners(c *gin.Context) {
	answerList(h, c, "partners", h.svc.ListPartners, newPartnerJSON)
}

// createPartner is POST /backoffice/v1/partners
// {"username","name","partner_type","default_product"}: 201 with the
// generated API secret, shown only here.
func (h *handlers) createPartner(c *gin.Context) {
	var n service.NewPartner
	if !h.readBody(c, false, func(b *jsonObject) {
		n = service.NewPartner{Username: strings.TrimSpace(b.String("username")), Name: b.String("name"),
			PartnerType: b.String("partner_type"), DefaultProduct: b.String("default_product")}
	}) {
		return
	}
	h.answerPartner(c, service.ActionCreatePartner, n.Username, n, http.StatusCreated, func(ctx context.Context, a service.Admin) (*models.Partner, string, error) {
		return h.svc.CreatePartner(ctx, a, n)
	})
}

// rotatePartner is POST /backoffice/v1/partners/{username}/rotate: the new
// secret, shown only here; the old one is refused from now on.
func (h *handlers) rotatePartner(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	username := c.Param("username")
	h.answerPartner(c, service.ActionRotatePartner, username, nil, http.StatusOK, func(ctx context.Context, a service.Admin) (*models.Partner, string, error) {
		return h.svc.RotatePartner(ctx, a, username)
	})
}

// setPartnerActive is POST /backoffice/v1/partners/{username}/disable|enable.
func (h *handlers) setPartnerActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !h.readBody(c, true, func(*jsonObject) {}) {
			return
		}
		username, action := c.Param("username"), service.ActionDisablePartner
		if active {
			action = service.ActionEnablePartner
		}
		h.answerPartner(c, action, username, nil, http.StatusOK, func(ctx context.Context, a service.Admin) (*models.Partner, string, error) {
			return noSecret(h.svc.SetPartnerActive(ctx, a, username, active))
		})
	}
}

// setPartnerRateLimit is POST /backoffice/v1/partners/{username}/rate-limit
// {"rate_per_second","burst"}: the partner's own limit, from its next
// request; a field absent, null or 0 follows the deployment's default.
func (h *handlers) setPartnerRateLimit(c *gin.Context) {
	var l ratelimit.Limit
	if !h.readBody(c, false, func(b *jsonObject) {
		if b.raw("rate_per_second") != nil {
			l.Rate = b.Decimal("rate_per_second").InexactFloat64()
		}
		if b.raw("burst") != nil {
			l.Burst = b.Int("burst")
		}
	}) {
		return
	}
	username := c.Param("username")
	h.answerPartner(c, service.ActionPartnerLimit, username, l, http.StatusOK, func(ctx context.Context, a service.Admin) (*models.Partner, string, error) {
		return noSecret(h.svc.SetPartnerRateLimit(ctx, a, username, l))
	})
}

// answerList answers an admin list under key: what list reads, each as
// show shows it.
func answerList[M, J any](h *handlers, c *gin.Context, key string, list func(context.Context, service.Admin) ([]M, error), show func(*M) J) {
	items, err := list(c.Request.Context(), adminOf(c))
	if err != nil {
		h.respondError(c, err)
		return
	}
	out := make([]J, len(items))
	for i := range items {
		out[i] = show(&items[i])
	}
	c.JSON(http.StatusOK, gin.H{key: out})
}

// answerStaff answers a change to the staff member username (see
// answerOnce), with the password it made if any.
func (h *handlers) answerStaff(c *gin.Context, action, username string, request any, status int, change func(context.Context, service.Admin) (*models.Staff, string, error)) {
	answerOnce(h, c, action, username, request, status, change, h.svc.StaffMember, func(st *models.Staff, password string) staffWithPassword {
		return staffWithPassword{newStaffJSON(st), password}
	})
}

// answerPartner answers a change to the partner username (see answerOnce),
// with the API secret it made if any.
func (h *handlers) answerPartner(c *gin.Context, action, username string, request any, status int, change func(context.Context, service.Admin) (*models.Partner, string, error)) {
	answerOnce(h, c, action, username, request, status, change, h.svc.PartnerAccount, func(p *models.Partner, secret string) partnerWithSecret {
		return partnerWithSecret{newPartnerJSON(p), secret}
	})
}

// answerOnce runs change under the request's Idempotency-Key (see
// service.AdminOnce) and answers with status what it acted on, as answer
// shows it with the secret it made. A replay does not run change again: it
// answers target as now reads it, marked through replayStatus, and without
// the secret, which is never kept.
func answerOnce[M, J any](h *handlers, c *gin.Context, action, target string, request any, status int,
	change func(context.Context, service.Admin) (*M, string, error),
	now func(context.Context, service.Admin, string) (*M, error),
	answer func(m *M, secret string) J,
) {
	by := adminOf(c)
	var m *M
	var secret string
	replayed, err := h.svc.AdminOnce(c.Request.Context(), by, c.GetHeader(idempotencyHeader), action, target, request, func(ctx context.Context) (err error) {
		m, secret, err = change(ctx, by)
		return err
	})
	if err == nil && replayed {
		m, err = now(c.Request.Context(), by, target)
	}
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(replayStatus(c, replayed, status), answer(m, secret))
}

// noSecret is the result of a change that makes no secret.
func noSecret[M any](m *M, err error) (*M, string, error) { return m, "", err }
