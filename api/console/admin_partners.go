package console

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
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

func (c *console) partnersPage(gc *gin.Context) {
	if v, ok := c.partnersView(gc); ok {
		c.render(gc, http.StatusOK, "admin_partners", "Partners", v, "")
	}
}

func partnerSecret(heading, username string) *secretView {
	return &secretView{Heading: heading, Username: username, Secret: models.GeneratePassword(partnerSecretLen),
		Note: "These are the partner's HTTP Basic credentials for the API. Send them over a secure channel. The password is shown only now; rotate it if it is lost."}
}

// createPartner adds a partner with generated API credentials, shown once.
func (c *console) createPartner(gc *gin.Context) {
	st := staffOf(gc)
	ctx := gc.Request.Context()
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
	switch _, err := c.store.GetProduct(ctx, product); {
	case errors.Is(err, models.ErrNotFound):
		errs["default_product"] = "Choose a product."
	case err != nil:
		c.outage(gc, "read product", err)
		return
	}
	target := "partner " + username
	if len(errs) == 0 {
		secret := partnerSecret("Partner "+username+" created", username)
		hash, err := models.HashPassword(secret.Secret)
		if err != nil {
			c.outage(gc, "hash password", err)
			return
		}
		ev := c.event(gc, st.Username, actionCreatePartner, target, models.OutcomeOK, "type "+ptype+", default product "+product)
		err = c.store.CreatePartner(ctx, &models.Partner{
			Username: username, Name: name, PartnerType: ptype, PasswordHash: hash, DefaultProductCode: product, Active: true,
		}, ev)
		switch {
		case err == nil:
			v, ok := c.partnersView(gc)
			if !ok {
				return
			}
			v.Secret = secret
			c.render(gc, http.StatusOK, "admin_partners", "Partners", v, "")
			return
		case errors.Is(err, models.ErrConflict):
			errs["username"] = "This username is taken."
		default:
			c.outage(gc, "create partner", err)
			return
		}
	}
	c.audit(gc, st.Username, actionCreatePartner, target, models.OutcomeRefused, "invalid input")
	v, ok := c.partnersView(gc)
	if !ok {
		return
	}
	v.Errors = errs
	v.Form.Username, v.Form.Name, v.Form.PartnerType, v.Form.Product = username, name, ptype, product
	c.render(gc, http.StatusBadRequest, "admin_partners", "Partners", v, "The partner was not created.")
}

func (c *console) targetPartner(gc *gin.Context, action string) (*models.Partner, bool) {
	id, err := strconv.ParseUint(gc.Param("id"), 10, 32)
	var p *models.Partner
	if err == nil {
		p, err = c.store.PartnerByID(gc.Request.Context(), uint(id))
	}
	switch {
	case err == nil:
		return p, true
	case errors.Is(err, models.ErrNotFound) || errors.As(err, new(*strconv.NumError)):
		c.audit(gc, staffOf(gc).Username, action, "partner #"+gc.Param("id"), models.OutcomeRefused, "no such partner")
		c.notFound(gc, "partner")
	default:
		c.outage(gc, "read partner", err)
	}
	return nil, false
}

// rotatePartner replaces a partner's API password; the old one stops
// working at once (the API may trust a cached check for up to a minute).
func (c *console) rotatePartner(gc *gin.Context) {
	p, ok := c.targetPartner(gc, actionRotatePartner)
	if !ok {
		return
	}
	secret := partnerSecret("New credentials for partner "+p.Username, p.Username)
	hash, err := models.HashPassword(secret.Secret)
	if err != nil {
		c.outage(gc, "hash password", err)
		return
	}
	ev := c.event(gc, staffOf(gc).Username, actionRotatePartner, "partner "+p.Username, models.OutcomeOK, "")
	if err := c.store.SetPartnerPassword(gc.Request.Context(), p.ID, hash, ev); err != nil {
		c.outage(gc, "rotate partner", err)
		return
	}
	v, ok := c.partnersView(gc)
	if !ok {
		return
	}
	v.Secret = secret
	c.render(gc, http.StatusOK, "admin_partners", "Partners", v, "")
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
