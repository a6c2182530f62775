package api

import (
	"net/http"

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
	Password string `json:"password"`
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
	Secret string `json:"secret"`
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
		n = service.NewStaff{Username: b.String("username"), Name: b.String("name"), Role: lending.Role(b.String("role"))}
	}) {
		return
	}
	st, password, err := h.svc.CreateStaff(c.Request.Context(), adminOf(c), n)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, staffWithPassword{newStaffJSON(st), password})
}

// setStaffActive is POST /backoffice/v1/staff/{username}/disable|enable.
func (h *handlers) setStaffActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !h.readBody(c, true, func(*jsonObject) {}) {
			return
		}
		st, err := h.svc.SetStaffActive(c.Request.Context(), adminOf(c), c.Param("username"), active)
		if err != nil {
			h.respondError(c, err)
			return
		}
		c.JSON(http.StatusOK, newStaffJSON(st))
	}
}

// setStaffRole is POST /backoffice/v1/staff/{username}/role {"role"}.
func (h *handlers) setStaffRole(c *gin.Context) {
	var role lending.Role
	if !h.readBody(c, false, func(b *jsonObject) { role = lending.Role(b.String("role")) }) {
		return
	}
	st, err := h.svc.SetStaffRole(c.Request.Context(), adminOf(c), c.Param("username"), role)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, newStaffJSON(st))
}

// resetStaffPassword is POST /backoffice/v1/staff/{username}/reset-password:
// the new password, shown only here.
func (h *handlers) resetStaffPassword(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	st, password, err := h.svc.ResetStaffPassword(c.Request.Context(), adminOf(c), c.Param("username"))
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, staffWithPassword{newStaffJSON(st), password})
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
		n = service.NewPartner{Username: b.String("username"), Name: b.String("name"),
			PartnerType: b.String("partner_type"), DefaultProduct: b.String("default_product")}
	}) {
		return
	}
	p, secret, err := h.svc.CreatePartner(c.Request.Context(), adminOf(c), n)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, partnerWithSecret{newPartnerJSON(p), secret})
}

// rotatePartner is POST /backoffice/v1/partners/{username}/rotate: the new
// secret, shown only here; the old one is refused from now on.
func (h *handlers) rotatePartner(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	p, secret, err := h.svc.RotatePartner(c.Request.Context(), adminOf(c), c.Param("username"))
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, partnerWithSecret{newPartnerJSON(p), secret})
}

// setPartnerActive is POST /backoffice/v1/partners/{username}/disable|enable.
func (h *handlers) setPartnerActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !h.readBody(c, true, func(*jsonObject) {}) {
			return
		}
		p, err := h.svc.SetPartnerActive(c.Request.Context(), adminOf(c), c.Param("username"), active)
		if err != nil {
			h.respondError(c, err)
			return
		}
		c.JSON(http.StatusOK, newPartnerJSON(p))
	}
}
