package service

import (
	"context"
	"errors"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// The admin use cases: staff, partners and products, for the console's
// admin pages and the admin JSON API alike. Each change is audited as a
// models.ConsoleEvent written in the change's own transaction; a refusal
// is audited on its own.

// Audited admin action names (models.ConsoleEvent.Action).
const (
	ActionCreateStaff    = "create_staff"
	ActionDisableStaff   = "disable_staff"
	ActionEnableStaff    = "enable_staff"
	ActionResetPassword  = "reset_staff_password"
	ActionChangeRole     = "change_staff_role"
	ActionCreatePartner  = "create_partner"
	ActionRotatePartner  = "rotate_partner_credentials"
	ActionDisablePartner = "disable_partner"
	ActionEnablePartner  = "enable_partner"
	ActionPartnerLimit   = "set_partner_rate_limit"
	ActionCreateProduct  = "create_product"
	ActionUpdateProduct  = "update_product"
)

// Admin is an admin making a change and the address it comes from, for the
// audit log.
type Admin struct {
	Staff    *models.Staff
	ClientIP string
}

// maxAccountNameLen bounds the name of a staff member, a partner or a
// product.
const maxAccountNameLen = 100

// requireAdmin refuses anyone but an admin.
func requireAdmin(by Admin) error { return requireRole(by.Staff, lending.RoleAdmin) }

// adminEvent is the audit entry of an admin's action.
func (s *Service) adminEvent(by Admin, action, target, outcome, detail string) *models.ConsoleEvent {
	return &models.ConsoleEvent{
		At: s.now(), Actor: by.Staff.Username, ClientIP: by.ClientIP,
		Action: action, Target: clip(target, 200), Outcome: outcome, Detail: clip(detail, 1000),
	}
}

// refused audits a refused admin action and answers err. A failure to
// record is logged: the admin must learn the refusal either way.
func (s *Service) refused(ctx context.Context, by Admin, action, target, detail string, err error) error {
	ev := s.adminEvent(by, action, target, models.OutcomeRefused, detail)
	if rerr := s.store.RecordConsoleEvent(context.WithoutCancel(ctx), ev); rerr != nil {
		s.log.ErrorContext(ctx, "admin audit write failed", "action", action, "actor", by.Staff.Username, "target", target, "error", rerr)
	}
	return err
}

// refusedInput audits input refused for its fields.
func (s *Service) refusedInput(ctx context.Context, by Admin, action, target string, errs failure.FieldErrors) error {
	return s.refused(ctx, by, action, target, "invalid input", errs.Err())
}

// adminList is what list reads, for admins only.
func adminList[T any](ctx context.Context, by Admin, list func(context.Context) ([]T, error)) ([]T, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	out, err := list(ctx)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return out, nil
}

// created answers the store's creation of target by its key field: a
// taken key is refused and audited as a 409 naming it with message, so a
// retried creation never makes a second one.
func (s *Service) created(ctx context.Context, by Admin, action, target string, err error, field, message string) error {
	if err == nil {
		return nil
	}
	err = writeFailed(err, field, message)
	if failure.KindOf(err) == failure.KindConflict {
		return s.refused(ctx, by, action, target, field+" taken", err)
	}
	return err
}

// found answers the read of what an admin action acts on: a missing one is
// refused and audited as a 404 saying there is no such what.
func (s *Service) found(ctx context.Context, by Admin, action, target, what string, err error) error {
	switch {
	case errors.Is(err, models.ErrNotFound):
		return s.refused(ctx, by, action, target, "no such "+what, failure.NotFound("no such "+what))
	case err != nil:
		return failure.Unavailable(err)
	}
	return nil
}

// newSecret is a generated password of n characters and its hash, hashed
// as every staff password and partner secret is (models.HashPassword).
// Only the hash is stored; the password is shown once.
func newSecret(n int) (password, hash string, err error) {
	password = models.GeneratePassword(n)
	hash, err = models.HashPassword(password)
	if err != nil {
		return "", "", failure.Unavailable(err)
	}
	return password, hash, nil
}

// writeFailed answers a unique-constraint refusal as a 409 naming field,
// a row gone since it was read as a 404, and any other failure as an
// outage.
func writeFailed(err error, field, message string) error {
	if errors.Is(err, models.ErrConflict) {
		return &failure.Error{Kind: failure.KindConflict, Detail: field + " is taken",
			Fields: failure.FieldErrors{{Field: field, Message: message}}}
	}
	if errors.Is(err, models.ErrNotFound) {
		return failure.NotFound("no such " + field)
	}
	return failure.Unavailable(err)
}

// checkName flags the name of an account or product that is empty, too
// long or not plain text, with message.
func checkName(name, message string, errs *failure.FieldErrors) {
	if textProblem(name, true, maxAccountNameLen) != "" {
		errs.Add("name", "%s", message)
	}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// RequireAdmin refuses anyone but an admin: the admin API checks it before
// reading a request's body, so others learn nothing from its validation.
func RequireAdmin(st *models.Staff) error { return requireAdmin(Admin{Staff: st}) }
