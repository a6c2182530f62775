package service

import (
	"context"
	"strings"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// NewStaff is a back-office user to create.
type NewStaff struct {
	Username, Name string
	Role           lending.Role
}

// ListStaff lists back-office users by username.
func (s *Service) ListStaff(ctx context.Context, by Admin) ([]models.Staff, error) {
	return adminList(ctx, by, s.store.ListStaff)
}

// CreateStaff adds a back-office user with a generated password, returned
// once: only its hash is kept. A taken username is a conflict naming it,
// so a retried creation never makes a second account.
func (s *Service) CreateStaff(ctx context.Context, by Admin, n NewStaff) (*models.Staff, string, error) {
	if err := requireAdmin(by); err != nil {
		return nil, "", err
	}
	n.Username, n.Name = strings.TrimSpace(n.Username), strings.TrimSpace(n.Name)
	target := "staff " + n.Username
	var errs failure.FieldErrors
	if !models.ValidUsername(n.Username) {
		errs.Add("username", "%s", models.UsernameRule)
	}
	checkName(n.Name, "give the person's name (up to 100 characters)", &errs)
	if !n.Role.Valid() {
		errs.Add("role", "choose a role")
	}
	if len(errs) > 0 {
		return nil, "", s.refusedInput(ctx, by, ActionCreateStaff, target, errs)
	}
	password, hash, err := newSecret(models.GeneratedPasswordLen)
	if err != nil {
		return nil, "", err
	}
	st := &models.Staff{Username: n.Username, Name: n.Name, Role: n.Role, PasswordHash: hash, Active: true}
	ev := s.adminEvent(by, ActionCreateStaff, target, models.OutcomeOK, "role "+string(n.Role))
	if err := s.created(ctx, by, ActionCreateStaff, target, s.store.CreateStaff(ctx, st, ev), "username", "this username is taken"); err != nil {
		return nil, "", err
	}
	return st, password, nil
}

// staffTarget reads the staff member an admin acts on. Admins may not act
// on their own account (what says how), so that no one locks themselves
// out.
func (s *Service) staffTarget(ctx context.Context, by Admin, action, username, what string) (*models.Staff, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	target := "staff " + username
	st, err := s.store.StaffByUsername(ctx, username)
	if err := s.found(ctx, by, action, target, "staff member", err); err != nil {
		return nil, err
	}
	if what != "" && st.ID == by.Staff.ID {
		return nil, s.refused(ctx, by, action, target, "own account", failure.Conflict(
			"you cannot "+what+" your own account: ask another admin, so that no one locks themselves out"))
	}
	return st, nil
}

// SetStaffActive enables or disables a back-office user. Disabling ends
// their console sessions and refuses their credentials from the next
// request on.
func (s *Service) SetStaffActive(ctx context.Context, by Admin, username string, active bool) (*models.Staff, error) {
	action, what := ActionDisableStaff, "disable"
	if active {
		action, what = ActionEnableStaff, ""
	}
	st, err := s.staffTarget(ctx, by, action, username, what)
	if err != nil {
		return nil, err
	}
	ev := s.adminEvent(by, action, "staff "+st.Username, models.OutcomeOK, "")
	if err := s.store.SetStaffActive(ctx, st.ID, active, ev); err != nil {
		return nil, writeFailed(err, "staff member", "")
	}
	st.Active = active
	return st, nil
}

// SetStaffRole moves a back-office user to another role, applied from
// their next request. The workflow keeps segregation of duties by person,
// not role: an underwriter who approved a loan and later moves to
// operations still cannot authorize its release.
func (s *Service) SetStaffRole(ctx context.Context, by Admin, username string, role lending.Role) (*models.Staff, error) {
	st, err := s.staffTarget(ctx, by, ActionChangeRole, username, "change the role of")
	if err != nil {
		return nil, err
	}
	target := "staff " + st.Username
	if !role.Valid() {
		var errs failure.FieldErrors
		errs.Add("role", "choose underwriter, operations or admin")
		return nil, s.refused(ctx, by, ActionChangeRole, target, "unknown role", errs.Err())
	}
	ev := s.adminEvent(by, ActionChangeRole, target, models.OutcomeOK, string(st.Role)+" → "+string(role))
	if err := s.store.SetStaffRole(ctx, st.ID, role, ev); err != nil {
		return nil, writeFailed(err, "staff member", "")
	}
	st.Role = role
	return st, nil
}

// ResetStaffPassword gives a back-office user a new generated password,
// returned once, and ends their sessions.
func (s *Service) ResetStaffPassword(ctx context.Context, by Admin, username string) (*models.Staff, string, error) {
	st, err := s.staffTarget(ctx, by, ActionResetPassword, username, "reset the password of")
	if err != nil {
		return nil, "", err
	}
	password, hash, err := newSecret(models.GeneratedPasswordLen)
	if err != nil {
		return nil, "", err
	}
	ev := s.adminEvent(by, ActionResetPassword, "staff "+st.Username, models.OutcomeOK, "sessions ended")
	if err := s.store.SetStaffPassword(ctx, st.ID, hash, "", ev); err != nil {
		return nil, "", writeFailed(err, "staff member", "")
	}
	return st, password, nil
}
