package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// partnerSecretLen is the length of a generated partner API password.
const partnerSecretLen = 32

// partnerTypePattern: Iute's partner_type is a short lower-case word.
var partnerTypePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

type partnersView struct {
	Partners []models.Partner
	Products []models.Product
	Form     struct{ Username, Name, PartnerType, Product string }
	Errors   map[string]string
	Secret   *secretView
}

func (c *console) partnersView(gc *gin.Context) (*partnersView, bool) {
	ctx := gc.Request.Context()
	partners, err := c.store.ListPartners(ctx)
	if err != nil {
		c.outage(gc, "list partners", err)
		return nil, false
	}
	products, err := c.store.ListProducts(ctx)
	if err != nil {
		c.outage(gc, "list products", err)
		return nil, false
	}
	v := &partnersView{Partners: partners, Products: products, Errors: map[string]string{}}
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
	username := strings.TrimSpace(form.Get("username"))
	name := strings.TrimSpace(form.Get("name"))
	ptype := strings.TrimSpace(form.Get("partner_type"))
	product := form.Get("default_product")
	errs := map[string]string{}
	if !models.ValidUsername(username) {
		errs["username"] = models.UsernameRule
	}
	if name == "" || len([]rune(name)) > 100 {
		errs["name"] = "Give the partner's name (up to 100 characters)."
	}
	if !partnerTypePattern.MatchString(ptype) {
		errs["partner_type"] = "A short lower-case word, such as post or retail."
	}
	switch _, err := c.store.GetProduct(gc.Request.Context(), product); {
	case errors.Is(err, models.ErrNotFound):
		errs["default_product"] = "Choose a product."
	case err != nil:
		c.outage(gc, "read product", err)
		return
	}
	c.createAccount(gc, newAccount{
		action: actionCreatePartner, target: "partner " + username, detail: "type " + ptype + ", default product " + product,
		kind: "partner", errs: errs, passwordLen: partnerSecretLen,
		create: func(ctx context.Context, hash string, ev *models.ConsoleEvent) error {
			return c.store.CreatePartner(ctx, &models.Partner{
				Username: username, Name: name, PartnerType: ptype, PasswordHash: hash, DefaultProductCode: product, Active: true,
			}, ev)
		},
		created: func(password string) { c.showPartnerSecret(gc, "Partner "+username+" created", username, password) },
		refused: func(errs map[string]string) {
			c.showPartners(gc, http.StatusBadRequest, func(v *partnersView) {
				v.Errors = errs
				v.Form.Username, v.Form.Name, v.Form.PartnerType, v.Form.Product = username, name, ptype, product
			}, "The partner was not created.")
		},
	})
}

func (c *console) targetPartner(gc *gin.Context, action string) (*models.Partner, bool) {
	return targetOf(c, gc, action, "partner", "partner", c.store.PartnerByID)
}

// rotatePartner replaces a partner's API password; the old one stops
// working at once (the API may trust a cached check for up to a minute).
func (c *console) rotatePartner(gc *gin.Context) {
	p, ok := c.targetPartner(gc, actionRotatePartner)
	if !ok {
		return
	}
	password, hash, ok := c.newPassword(gc, partnerSecretLen)
	if !ok {
		return
	}
	ev := c.event(gc, staffOf(gc).Username, actionRotatePartner, "partner "+p.Username, models.OutcomeOK, "")
	if err := c.store.SetPartnerPassword(gc.Request.Context(), p.ID, hash, ev); err != nil {
		c.outage(gc, "rotate partner", err)
		return
	}
	c.showPartnerSecret(gc, "New credentials for partner "+p.Username, p.Username, password)
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
		ev := c.event(gc, staffOf(gc).Username, action, "partner "+p.Username, models.OutcomeOK, "")
		if err := c.store.SetPartnerActive(gc.Request.Context(), p.ID, active, ev); err != nil {
			c.outage(gc, "set partner active", err)
			return
		}
		c.redirectWithFlash(gc, Prefix+"/admin/partners", fmt.Sprintf("Partner %s is %s.", p.Username, verb))
	}
}
