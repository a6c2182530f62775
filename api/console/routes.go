package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// Prefix is where the console is mounted; its JSON sibling lives at
// Prefix + "/v1".
const Prefix = "/backoffice"

// Audited action names (models.ConsoleEvent.Action).
const (
	actionSignIn           = "sign_in"
	actionSignOut          = "sign_out"
	actionCSRF             = "csrf_rejected"
	actionApprove          = "approve"
	actionReject           = "reject"
	actionRejectDocuments  = "reject_documents"
	actionAuthorizeRelease = "authorize_cash_release"
	actionRetryProvider    = "retry_provider"
	actionChangePassword   = "change_own_password"
	actionCreateStaff      = service.ActionCreateStaff
	actionDisableStaff     = service.ActionDisableStaff
	actionEnableStaff      = service.ActionEnableStaff
	actionResetPassword    = service.ActionResetPassword
	actionChangeRole       = service.ActionChangeRole
	actionCreatePartner    = service.ActionCreatePartner
	actionRotatePartner    = service.ActionRotatePartner
	actionDisablePartner   = service.ActionDisablePartner
	actionEnablePartner    = service.ActionEnablePartner
	actionPartnerLimit     = service.ActionPartnerLimit
	actionCreateProduct    = service.ActionCreateProduct
	actionUpdateProduct    = service.ActionUpdateProduct
	actionEditWebhook      = service.ActionEditWebhook
	actionRedeliverWebhook = service.ActionRedeliverWebhook
	actionRefund           = "refund"
	actionWaive            = "waive"
	actionWriteOff         = "write_off"
	actionReschedule       = "reschedule"
)

// Role sets allowed on each group of pages.
var (
	loanReaders = readers(lending.Roles)
	admins      = []lending.Role{lending.RoleAdmin}
	everyone    = lending.Roles
)

func (c *console) routes(r *gin.Engine) {
	r.GET(Prefix+"/static/:file", c.static)

	pub := r.Group(Prefix, c.headers)
	pub.GET("/login", c.loginPage)
	pub.POST("/login", c.signIn)

	// authenticate, then (for POST) the CSRF check, then the role check.
	in := r.Group(Prefix, c.headers, c.authenticate, c.checkCSRF)
	home := c.allow("", everyone...)
	in.GET("", home, c.home)
	in.GET("/", home, c.home)
	in.POST("/logout", c.allow(actionSignOut, everyone...), c.signOut)
	in.GET("/account/password", home, c.passwordPage)
	in.POST("/account/password", c.allow(actionChangePassword, everyone...), c.changePassword)

	read := c.allow("", loanReaders...)
	in.GET("/loans", read, c.decisionQueue)
	in.GET("/documents", read, c.documentQueue)
	in.GET("/collections", read, c.collectionsQueue)
	in.GET("/attention", read, c.attentionQueue)
	in.GET("/loans/:ref", read, c.loanPage)
	in.GET("/loans/:ref/payoff", read, c.payoffPage)
	in.GET("/loans/:ref/documents/:id", read, c.document)
	in.POST("/loans/:ref/approve", c.allow(actionApprove, lending.RoleUnderwriter), c.approve)
	in.POST("/loans/:ref/reject", c.allow(actionReject, lending.RoleUnderwriter), c.reject)
	in.POST("/loans/:ref/documents/reject", c.allow(actionRejectDocuments, lending.RoleOperations), c.rejectDocuments)
	in.POST("/loans/:ref/cash-release/authorize", c.allow(actionAuthorizeRelease, lending.RoleOperations), c.authorizeRelease)
	in.POST("/loans/:ref/provider/retry", c.allow(actionRetryProvider, lending.RoleOperations), c.retryProvider)
	in.POST("/loans/:ref/refunds", c.allow(actionRefund, lending.RoleOperations), c.refund)
	in.POST("/loans/:ref/waivers", c.allow(actionWaive, lending.RoleOperations), c.waive)
	in.POST("/loans/:ref/write-off", c.allow(actionWriteOff, lending.RoleOperations), c.writeOff)
	in.POST("/loans/:ref/reschedule", c.allow(actionReschedule, lending.RoleUnderwriter), c.reschedule)

	admin := c.allow("", admins...)
	in.GET("/admin/staff", admin, c.staffPage)
	in.POST("/admin/staff", c.allow(actionCreateStaff, admins...), c.createStaff)
	in.POST("/admin/staff/:id/disable", c.allow(actionDisableStaff, admins...), c.setStaffActive(false))
	in.POST("/admin/staff/:id/enable", c.allow(actionEnableStaff, admins...), c.setStaffActive(true))
	in.POST("/admin/staff/:id/reset-password", c.allow(actionResetPassword, admins...), c.resetStaffPassword)
	in.POST("/admin/staff/:id/role", c.allow(actionChangeRole, admins...), c.changeStaffRole)
	in.GET("/admin/partners", admin, c.partnersPage)
	in.POST("/admin/partners", c.allow(actionCreatePartner, admins...), c.createPartner)
	in.POST("/admin/partners/:id/rotate", c.allow(actionRotatePartner, admins...), c.rotatePartner)
	in.POST("/admin/partners/:id/disable", c.allow(actionDisablePartner, admins...), c.setPartnerActive(false))
	in.POST("/admin/partners/:id/enable", c.allow(actionEnablePartner, admins...), c.setPartnerActive(true))
	in.POST("/admin/partners/rate-limit", c.allow(actionPartnerLimit, admins...), c.setPartnerRateLimit)
	in.GET("/admin/products", admin, c.productsPage)
	in.POST("/admin/products", c.allow(actionCreateProduct, admins...), c.createProduct)
	in.GET("/admin/products/:code", admin, c.productPage)
	in.POST("/admin/products/:code", c.allow(actionUpdateProduct, admins...), c.updateProduct)
	in.GET("/admin/webhooks", admin, c.webhooksPage)
	in.POST("/admin/webhooks/:username", c.allow(actionEditWebhook, admins...), c.editWebhook)
	in.GET("/admin/webhooks/deliveries", admin, c.deliveriesPage)
	in.GET("/admin/webhooks/deliveries/:id", admin, c.deliveryPage)
	in.POST("/admin/webhooks/deliveries/:id/redeliver", c.allow(actionRedeliverWebhook, admins...), c.redeliverWebhook)
	in.GET("/admin/audit", admin, c.auditPage)
}

// homeURL is each role's daily page.
func homeURL(st *models.Staff) string {
	switch st.Role {
	case lending.RoleOperations:
		return Prefix + "/documents"
	case lending.RoleAdmin:
		return Prefix + "/admin/staff"
	}
	return Prefix + "/loans"
}

// home sends each role to its daily page.
func (c *console) home(gc *gin.Context) {
	gc.Redirect(http.StatusSeeOther, homeURL(staffOf(gc)))
}

// headers sets what every console page answers with: no caching (pages
// carry personal data), no framing, no sniffing, and a CSP that admits only
// the console's own stylesheet, script and documents.
func (c *console) headers(gc *gin.Context) {
	h := gc.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "+
		"frame-src 'self'; object-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	gc.Next()
}

// readers are the roles that may read loans (lending.Role.ReadsLoans).
func readers(roles []lending.Role) []lending.Role {
	var out []lending.Role
	for _, r := range roles {
		if r.ReadsLoans() {
			out = append(out, r)
		}
	}
	return out
}
