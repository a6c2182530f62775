package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
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
	CreatedAt      string `json:"created_at"`
}

func newPartnerJSON(p *models.Partner) partnerJSON {
	return partnerJSON{Username: p.Username, Name: p.Name, PartnerType: p.PartnerType, DefaultProduct: p.DefaultProductCode,
		Active: p.Active, CreatedAt: instant(p.CreatedAt)}
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
	list, err := h.svc.ListStaff(c.Request.Context(), adminOf(c))
	if err != nil {
		h.respondError(c, err)
		return
	}
	out := make([]staffJSON, len(list))
	for i := range list {
		out[i] = newStaffJSON(&list[i])
	}
	c.JSON(http.StatusOK, gin.H{"staff": out})
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
	var st *models.Staff
	var password string
	replayed, ok := h.adminOnce(c, service.ActionCreateStaff, n.Username, n, func(ctx context.Context) (err error) {
		st, password, err = h.svc.CreateStaff(ctx, adminOf(c), n)
		return err
	})
	if !ok || replayed && !h.staffNow(c, n.Username, &st) {
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusCreated), staffWithPassword{newStaffJSON(st), password})
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
		var st *models.Staff
		replayed, ok := h.adminOnce(c, action, username, nil, func(ctx context.Context) (err error) {
			st, err = h.svc.SetStaffActive(ctx, adminOf(c), username, active)
			return err
		})
		if !ok || replayed && !h.staffNow(c, username, &st) {
			return
		}
		c.JSON(replayStatus(c, replayed, http.StatusOK), newStaffJSON(st))
	}
}

// setStaffRole is POST /backoffice/v1/staff/{username}/role {"role"}.
func (h *handlers) setStaffRole(c *gin.Context) {
	var role lending.Role
	if !h.readBody(c, false, func(b *jsonObject) { role = lending.Role(b.String("role")) }) {
		return
	}
	username := c.Param("username")
	var st *models.Staff
	replayed, ok := h.adminOnce(c, service.ActionChangeRole, username, role, func(ctx context.Context) (err error) {
		st, err = h.svc.SetStaffRole(ctx, adminOf(c), username, role)
		return err
	})
	if !ok || replayed && !h.staffNow(c, username, &st) {
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusOK), newStaffJSON(st))
}

// resetStaffPassword is POST /backoffice/v1/staff/{username}/reset-password:
// the new password, shown only here.
func (h *handlers) resetStaffPassword(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	username := c.Param("username")
	var st *models.Staff
	var password string
	replayed, ok := h.adminOnce(c, service.ActionResetPassword, username, nil, func(ctx context.Context) (err error) {
		st, password, err = h.svc.ResetStaffPassword(ctx, adminOf(c), username)
		return err
	})
	if !ok || replayed && !h.staffNow(c, username, &st) {
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusOK), staffWithPassword{newStaffJSON(st), password})
}

// listPartners is GET /backoffice/v1/partners.
func (h *handlers) listPartners(c *gin.Context) {
	list, err := h.svc.ListPartners(c.Request.Context(), adminOf(c))
	if err != nil {
		h.respondError(c, err)
		return
	}
	out := make([]partnerJSON, len(list))
	for i := range list {
		out[i] = newPartnerJSON(&list[i])
	}
	c.JSON(http.StatusOK, gin.H{"partners": out})
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
	var p *models.Partner
	var secret string
	replayed, ok := h.adminOnce(c, service.ActionCreatePartner, n.Username, n, func(ctx context.Context) (err error) {
		p, secret, err = h.svc.CreatePartner(ctx, adminOf(c), n)
		return err
	})
	if !ok || replayed && !h.partnerNow(c, n.Username, &p) {
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusCreated), partnerWithSecret{newPartnerJSON(p), secret})
}

// rotatePartner is POST /backoffice/v1/partners/{username}/rotate: the new
// secret, shown only here; the old one is refused from now on.
func (h *handlers) rotatePartner(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	username := c.Param("username")
	var p *models.Partner
	var secret string
	replayed, ok := h.adminOnce(c, service.ActionRotatePartner, username, nil, func(ctx context.Context) (err error) {
		p, secret, err = h.svc.RotatePartner(ctx, adminOf(c), username)
		return err
	})
	if !ok || replayed && !h.partnerNow(c, username, &p) {
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusOK), partnerWithSecret{newPartnerJSON(p), secret})
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
		var p *models.Partner
		replayed, ok := h.adminOnce(c, action, username, nil, func(ctx context.Context) (err error) {
			p, err = h.svc.SetPartnerActive(ctx, adminOf(c), username, active)
			return err
		})
		if !ok || replayed && !h.partnerNow(c, username, &p) {
			return
		}
		c.JSON(replayStatus(c, replayed, http.StatusOK), newPartnerJSON(p))
	}
}

// adminOnce runs change under the request's Idempotency-Key (see
// service.AdminOnce). ok is false when it has answered an error; replayed
// when an earlier request with the key made the change: the caller then
// answers the account as it now is, through replayStatus.
func (h *handlers) adminOnce(c *gin.Context, action, target string, request any, change func(ctx context.Context) error) (replayed, ok bool) {
	replayed, err := h.svc.AdminOnce(c.Request.Context(), adminOf(c), c.GetHeader(idempotencyHeader), action, target, request, change)
	if err != nil {
		h.respondError(c, err)
		return false, false
	}
	return replayed, true
}

// staffNow reads the staff member a replayed request acted on into st.
func (h *handlers) staffNow(c *gin.Context, username string, st **models.Staff) bool {
	var err error
	if *st, err = h.svc.StaffMember(c.Request.Context(), adminOf(c), username); err != nil {
		h.respondError(c, err)
		return false
	}
	return true
}

// partnerNow reads the partner a replayed request acted on into p.
func (h *handlers) partnerNow(c *gin.Context, username string, p **models.Partner) bool {
	var err error
	if *p, err = h.svc.PartnerAccount(c.Request.Context(), adminOf(c), username); err != nil {
		h.respondError(c, err)
		return false
	}
	return true
}
