package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/loanflow/loanflow/internal/config"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// runStaff is `loanflow staff add`: the way to the first admin of a new
// database, whom the console cannot create because nobody can sign in yet.
func runStaff(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: loanflow staff add --username NAME --role admin|underwriter|operations [--name \"Full Name\"] [--password-stdin]")
	}
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	username := fs.String("username", "", "the sign-in name")
	role := fs.String("role", "", "admin, underwriter or operations")
	name := fs.String("name", "", "the person's name (default: the username)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("staff add: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("staff add: unexpected argument %q", fs.Arg(0))
	}
	st := models.Staff{Username: *username, Name: strings.TrimSpace(*name), Role: lending.Role(*role), Active: true}
	if st.Name == "" {
		st.Name = st.Username
	}
	switch {
	case !models.ValidUsername(st.Username):
		return fmt.Errorf("staff add: --username: %s", models.UsernameRule)
	case !st.Role.Valid():
		return fmt.Errorf("staff add: --role: want one of %v, got %q", lending.Roles, *role)
	}
	password, err := staffPassword(*fromStdin, stdin)
	if err != nil {
		return err
	}
	if st.PasswordHash, err = models.HashPassword(password); err != nil {
		return fmt.Errorf("staff add: hash password: %w", err)
	}

	err = runWithStore(false, func(ctx context.Context, _ config.Config, store *models.Store) error {
		ev := &models.ConsoleEvent{Action: "create_staff", Target: "staff " + st.Username, Outcome: models.OutcomeOK,
			Detail: "role " + string(st.Role) + ", by loanflow staff add"}
		switch err := store.CreateStaff(ctx, &st, ev); {
		case errors.Is(err, models.ErrConflict):
			return fmt.Errorf("staff add: username %q already exists", st.Username)
		case err != nil:
			return fmt.Errorf("staff add: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "staff member %s created with role %s\n", st.Username, st.Role)
	if !*fromStdin {
		// The last line, alone, so a script can take it with tail -1.
		fmt.Fprintf(stdout, "password: %s\n", password)
	}
	return nil
}

// staffPassword generates a one-time password, or reads the chosen one from
// the first line of stdin, which must follow the console's password rules.
func staffPassword(fromStdin bool, stdin io.Reader) (string, error) {
	if !fromStdin {
		return models.GeneratePassword(models.GeneratedPasswordLen), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("staff add: read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if msg := models.PasswordProblem(pw); msg != "" {
		return "", fmt.Errorf("staff add: --password-stdin: %s", msg)
	}
	return pw, nil
}
