package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/auth"
	"github.com/loanflow/loanflow/internal/testkit/testdb"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// runCommand runs the loanflow command line in this process.
func runCommand(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestStaffAdd creates the first staff of a migrated, empty database on
// each dialect and signs them in with the password the command printed.
func TestStaffAdd(t *testing.T) {
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			t.Setenv("LOANFLOW_DATABASE_URL", dsn)
			t.Setenv("LOANFLOW_TEMPORAL_ADDRESS", "")
			code, _, stderr := runCommand(t, "", "migrate")
			require.Equal(t, 0, code, stderr)

			code, stdout, stderr := runCommand(t, "", "staff", "add", "--username", "ops.admin", "--role", "admin", "--name", "Olga Admin")
			require.Equal(t, 0, code, stderr)
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			password, ok := strings.CutPrefix(lines[len(lines)-1], "password: ")
			require.True(t, ok, "last line %q", lines[len(lines)-1])
			require.Len(t, password, models.GeneratedPasswordLen)

			code, stdout, stderr = runCommand(t, "chosen-password-1\n", "staff", "add", "--username", "uw1", "--role", "underwriter", "--password-stdin")
			require.Equal(t, 0, code, stderr)
			require.NotContains(t, stdout, "chosen-password-1")

			store, err := models.Open(dsn)
			require.NoError(t, err)
			defer store.Close()
			a := auth.New(store, auth.Options{})
			ctx := context.Background()
			admin, err := a.Staff(ctx, "ops.admin", password, "127.0.0.1")
			require.NoError(t, err)
			require.Equal(t, lending.RoleAdmin, admin.Role)
			require.Equal(t, "Olga Admin", admin.Name)
			uw, err := a.Staff(ctx, "uw1", "chosen-password-1", "127.0.0.1")
			require.NoError(t, err)
			require.Equal(t, lending.RoleUnderwriter, uw.Role)

			events, _, err := store.ListConsoleEvents(ctx, models.ConsoleEventFilter{Action: "create_staff"})
			require.NoError(t, err)
			require.Len(t, events, 2)

			code, _, stderr = runCommand(t, "", "staff", "add", "--username", "ops.admin", "--role", "operations")
			require.Equal(t, 1, code)
			require.Contains(t, stderr, `username \"ops.admin\" already exists`)
			again, err := store.StaffByUsername(ctx, "ops.admin")
			require.NoError(t, err)
			require.Equal(t, lending.RoleAdmin, again.Role, "the existing member is left as it was")
		})
	}
}

func TestStaffAddRefusesBadInput(t *testing.T) {
	t.Setenv("LOANFLOW_DATABASE_URL", testdb.DSN(t, "sqlite"))
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no subcommand", "", []string{"staff"}, "usage: loanflow staff add"},
		{"bad username", "", []string{"staff", "add", "--username", "A B", "--role", "admin"}, "--username"},
		{"no username", "", []string{"staff", "add", "--role", "admin"}, "--username"},
		{"unknown role", "", []string{"staff", "add", "--username", "root", "--role", "root"}, "--role"},
		{"short password", "short\n", []string{"staff", "add", "--username", "alice", "--role", "admin", "--password-stdin"}, "at least 12 characters"},
		{"unknown flag", "", []string{"staff", "add", "--username", "alice", "--role", "admin", "--sudo"}, "sudo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCommand(t, tt.stdin, tt.args...)
			require.Equal(t, 1, code)
			require.Contains(t, stderr, tt.want)
			require.NotContains(t, stdout, "password:")
		})
	}
}
