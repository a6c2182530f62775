package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/models"
)

// PartnerSecretLen is the length of a generated partner API password.
const PartnerSecretLen = 32

// partnerTypePattern: Iute's partner_type is a short lower-case word.
var partnerTypePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// NewPartner is a partner to create.
type NewPartner struct {
	Username, Name, PartnerType, DefaultProduct string
}

// ListPartners lists partners by username.
func (s *Service) ListPartners(ctx context.Context, by Admin) ([]models.Partner, error) {
	return adminList(ctx, by, s.store.ListPartners)
}

// CreatePartner adds a partner with generated API credentials; the secret
// is returned once, only its hash is kept. A taken username is a conflict
// naming it, so a retried creation never makes a second partner.
func (s *Service) CreatePartner(ctx context.Context, by Admin, n NewPartner) (*models.Partner, string, error) {
	if err := requireAdmin(by); err != nil {
		return nil, "", err
	}
	n.Username, n.Name, n.PartnerType = strings.TrimSpace(n.Username), strings.TrimSpace(n.Name), strings.TrimSpace(n.PartnerType)
	target := "partner " + n.Username
	var errs failure.FieldErrors
	if !models.ValidUsername(n.Username) {
		errs.Add("username", "%s", models.UsernameRule)
	}
	checkName(n.Name, "give the partner's name (up to 100 characters)", &errs)
	if !partnerTypePattern.MatchString(n.PartnerType) {
		errs.Add("partner_type", "a short lower-case word, such as post or retail")
	}
	switch _, err := s.store.GetProduct(ctx, n.DefaultProduct); {
	case errors.Is(err, models.ErrNotFound):
		errs.Add("default_product", "choose a product")
	case err != nil:
		return nil, "", failure.Unavailable(err)
	}
	if len(errs) > 0 {
		return nil, "", s.refusedInput(ctx, by, ActionCreatePartner, target, errs)
	}
	password, hash, err := newSecret(PartnerSecretLen)
	if err != nil {
		return nil, "", err
	}
	p := &models.Partner{Username: n.Username, Name: n.Name, PartnerType: n.PartnerType, PasswordHash: hash,
		DefaultProductCode: n.DefaultProduct, Active: true}
	ev := s.adminEvent(by, ActionCreatePartner, target, models.OutcomeOK, "type "+n.PartnerType+", default product "+n.DefaultProduct)
	if err := s.created(ctx, by, ActionCreatePartner, target, s.store.CreatePartner(ctx, p, ev), "username", "this username is taken"); err != nil {
		return nil, "", err
	}
	return p, password, nil
}

// partnerTarget reads the partner an admin acts on.
func (s *Service) partnerTarget(ctx context.Context, by Admin, action, username string) (*models.Partner, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	p, err := s.store.PartnerByUsername(ctx, username)
	if err := s.found(ctx, by, action, "partner "+username, "partner", err); err != nil {
		return nil, err
	}
	return p, nil
}

// RotatePartner replaces a partner's API secret, returned once; the old
// one is refused from the next request on.
func (s *Service) RotatePartner(ctx context.Context, by Admin, username string) (*models.Partner, string, error) {
	p, err := s.partnerTarget(ctx, by, ActionRotatePartner, username)
	if err != nil {
		return nil, "", err
	}
	password, hash, err := newSecret(PartnerSecretLen)
	if err != nil {
		return nil, "", err
	}
	ev := s.adminEvent(by, ActionRotatePartner, "partner "+p.Username, models.OutcomeOK, "")
	if err := s.store.SetPartnerPassword(ctx, p.ID, hash, ev); err != nil {
		return nil, "", writeFailed(err, "partner", "")
	}
	p.PasswordHash = hash
	return p, password, nil
}

// SetPartnerActive enables or disables a partner's API access, from its
// next request on.
func (s *Service) SetPartnerActive(ctx context.Context, by Admin, username string, active bool) (*models.Partner, error) {
	action := ActionDisablePartner
	if active {
		action = ActionEnablePartner
	}
	p, err := s.partnerTarget(ctx, by, action, username)
	if err != nil {
		return nil, err
	}
	ev := s.adminEvent(by, action, "partner "+p.Username, models.OutcomeOK, "")
	if err := s.store.SetPartnerActive(ctx, p.ID, active, ev); err != nil {
		return nil, writeFailed(err, "partner", "")
	}
	p.Active = active
	return p, nil
}

// Bounds of a partner's own request limit: beyond them a typo, not a
// policy.
const (
	MaxPartnerRate  = 10000
	MaxPartnerBurst = 100000
)

// SetPartnerRateLimit sets the partner's own request limit on the partner
// APIs; a zero field follows the deployment's default. It applies from the
// partner's next request, with a full bucket.
func (s *Service) SetPartnerRateLimit(ctx context.Context, by Admin, username string, l ratelimit.Limit) (*models.Partner, error) {
	p, err := s.partnerTarget(ctx, by, ActionPartnerLimit, username)
	if err != nil {
		return nil, err
	}
	target := "partner " + p.Username
	var errs failure.FieldErrors
	if math.IsNaN(l.Rate) || l.Rate < 0 || l.Rate > MaxPartnerRate {
		errs.Add("rate_per_second", "requests per second from 0 (the default) to %d", MaxPartnerRate)
	}
	if l.Burst < 0 || l.Burst > MaxPartnerBurst {
		errs.Add("burst", "a whole number of requests from 0 (the default) to %d", MaxPartnerBurst)
	}
	if len(errs) > 0 {
		return nil, s.refusedInput(ctx, by, ActionPartnerLimit, target, errs)
	}
	eff := l.Or(s.DefaultPartnerLimit())
	detail := fmt.Sprintf("rate %s, burst %s (in effect: %g/s, burst %d)",
		ownOrDefault(l.Rate != 0, fmt.Sprintf("%g/s", l.Rate)), ownOrDefault(l.Burst != 0, fmt.Sprint(l.Burst)), eff.Rate, eff.Burst)
	ev := s.adminEvent(by, ActionPartnerLimit, target, models.OutcomeOK, detail)
	if err := s.store.SetPartnerRateLimit(ctx, p.ID, l.Rate, l.Burst, ev); err != nil {
		return nil, writeFailed(err, "partner", "")
	}
	p.RatePerSecond, p.RateBurst = l.Rate, l.Burst
	return p, nil
}

func ownOrDefault(own bool, v string) string {
	if own {
		return v
	}
	return "default"
}
