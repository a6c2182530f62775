package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// partnerSecretLen is the length of a generated partner API password.
const partnerSecretLen = service.PartnerSecretLen

type partnersView struct {
	Partners []models.Partner
	Products []models.Product
	Form     struct{ Username, Name, PartnerType, Product string }
	Errors   map[string]string
	Secret   *secretView
	// DefaultLimit is the request limit of a partner without its own;
	// LimitForm and LimitErrors are the rate limit form's.
	DefaultLimit ratelimit.Limit
	LimitForm    struct{ Username, Rate, Burst string }
	LimitErrors  map[string]string
}

func (c *console) partnersView(gc *gin.Context) (*partnersView, bool) {
	ctx := gc.Request.Context()
	partners, err := c.svc.ListPartners(ctx, adminOf(gc))
	if err != nil {
		c.adminFailed(gc, err, "partners")
		return nil, false
	}
	products, err := c.svc.ListProducts(ctx, adminOf(gc))
	if err != nil {
		c.adminFailed(gc, err, "products")
		return nil, false
	}
	v := &partnersView{Partners: partners, Products: products, Errors: map[string]string{},
		DefaultLimit: c.svc.DefaultPartnerLimit(), LimitErrors: map[string]string{}}
	v.Form.PartnerType = "post"
	return v, true
}

// showPartners renders the page as fill leaves it.
func (c *console) showPartners(gc *gin.Context, status int, fill func(*partnersView), errMsg string) {
	showAccounts(c, gc, "admin_partners", "Partners", c.partnersView, status, fill, errMsg)
}

func (c *console) partnersPage(gc *gin.Context) {
	c.showPartners(gc, http.StatusOK, func(*partnersView) {}, "")
}

// showPartnerSecret renders the partners page with a partner's new API password.
func (c *console) showPartnerSecret(gc *gin.Context, heading, username, password string) {
	c.showPartners(gc, http.StatusOK, func(v *partnersView) {
		v.Secret = &secretView{Heading: heading, Username: username, Secret: password,
			Note: "These are the partner's HTTP Basic credentials for the API. Send them over a secure channel. The password is shown only now; rotate it if it is lost."}
	}, "")
}

// createPartner adds a partner with generated API credentials, shown once.
func (c *console) createPartner(gc *gin.Context) {
	form := gc.Request.PostForm
	n := service.NewPartner{
		Username: strings.TrimSpace(form.Get("username")), Name: strings.TrimSpace(form.Get("name")),
		PartnerType: strings.TrimSpace(form.Get("partner_type")), DefaultProduct: form.Get("default_product"),
	}
	p, secret, err := c.svc.CreatePartner(gc.Request.Context(), adminOf(gc), n)
	if err == nil {
		c.showPartnerSecret(gc, "Partner "+p.Username+" created", p.Username, secret)
		return
	}
	errs, ok := fieldErrors(err, nil)
	if !ok {
		c.adminFailed(gc, err, "partner")
		return
	}
	c.showPartners(gc, http.StatusBadRequest, func(v *partnersView) {
		v.Errors = errs
		v.Form.Username, v.Form.Name, v.Form.PartnerType, v.Form.Product = n.Username, n.Name, n.PartnerType, n.DefaultProduct
	}, "The partner was not created.")
}

func (c *console) targetPartner(gc *gin.Context, action string) (*models.Partner, bool) {
	return targetOf(c, gc, action, "partner", "partner", c.store.PartnerByID)
}

// rotatePartner replaces a partner's API password; the old one stops
// working from the partner's next request.
func (c *console) rotatePartner(gc *gin.Context) {
	p, ok := c.targetPartner(gc, actionRotatePartner)
	if !ok {
		return
	}
	_, secret, err := c.svc.RotatePartner(gc.Request.Context(), adminOf(gc), p.Username)
	if err != nil {
		c.adminFailed(gc, err, "partner")
		return
	}
	c.showPartnerSecret(gc, "New credentials for partner "+p.Username, p.Username, secret)
}

func (c *console) setPartnerActive(active bool) gin.HandlerFunc {
	action, verb := actionDisablePartner, "disabled: its API calls are refused"
	if active {
		action, verb = actionEnablePartner, "enabled"
	}
	return func(gc *gin.Context) {
		p, ok := c.targetPartner(gc, action)
		if !ok {
			return
		}
		if _, err := c.svc.SetPartnerActive(gc.Request.Context(), adminOf(gc), p.Username, active); err != nil {
			c.adminFailed(gc, err, "partner")
			return
		}
		c.redirectWithFlash(gc, Prefix+"/admin/partners", fmt.Sprintf("Partner %s is %s.", p.Username, verb))
	}
}

// setPartnerRateLimit sets a partner's own request limit from the page's
// rate limit form; an empty field follows the deployment's default.
func (c *console) setPartnerRateLimit(gc *gin.Context) {
	form := gc.Request.PostForm
	username, rate, burst := form.Get("username"), strings.TrimSpace(form.Get("rate_per_second")), strings.TrimSpace(form.Get("burst"))
	errs := map[string]string{}
	var l ratelimit.Limit
	if rate != "" {
		r, err := strconv.ParseFloat(rate, 64)
		if err != nil {
			errs["rate_per_second"] = "Requests per second, such as 5 or 0.5; empty for the default."
		}
		l.Rate = r
	}
	if burst != "" {
		b, err := strconv.Atoi(burst)
		if err != nil {
			errs["burst"] = "A whole number of requests; empty for the default."
		}
		l.Burst = b
	}
	if len(errs) == 0 {
		p, err := c.svc.SetPartnerRateLimit(gc.Request.Context(), adminOf(gc), username, l)
		if err == nil {
			eff := l.Or(c.svc.DefaultPartnerLimit())
			c.redirectWithFlash(gc, Prefix+"/admin/partners", fmt.Sprintf(
				"Rate limit of partner %s: %g per second, burst %d, from its next request.", p.Username, eff.Rate, eff.Burst))
			return
		}
		var ok bool
		if errs, ok = fieldErrors(err, nil); !ok {
			c.adminFailed(gc, err, "partner")
			return
		}
	}
	c.showPartners(gc, http.StatusBadRequest, func(v *partnersView) {
		v.LimitErrors = errs
		v.LimitForm.Username, v.LimitForm.Rate, v.LimitForm.Burst = username, rate, burst
	}, "The rate limit was not changed.")
}
