package models

import (
	"crypto/rand"
	"regexp"
)

// The rules for the credentials of staff and partners, shared by every way
// of making them: the console's admin pages and `loanflow staff add`.

// usernamePattern is what staff and partner usernames may look like: they
// appear in audit actors ("staff:alice") and in HTTP Basic credentials.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

// UsernameRule says in words what ValidUsername accepts.
const UsernameRule = "3 to 32 characters: lower-case letters, digits, dot, dash, underscore."

// ValidUsername reports whether a staff or partner username follows UsernameRule.
func ValidUsername(username string) bool { return usernamePattern.MatchString(username) }

// Password rules for staff: long enough to resist guessing, short enough
// for bcrypt (which reads only 72 bytes).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 72
)

// PasswordProblem returns what is wrong with a password a person chose, or "".
func PasswordProblem(pw string) string {
	switch {
	case len([]rune(pw)) < MinPasswordLen:
		return "Use at least 12 characters."
	case len(pw) > MaxPasswordLen:
		return "Use at most 72 bytes."
	}
	return ""
}

// GeneratedPasswordLen is the length of a staff password made up for someone.
const GeneratedPasswordLen = 20

// passwordAlphabet avoids look-alikes (0/O, 1/l/I) so a password read off
// the screen is typed right.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword is n characters from crypto/rand.
func GeneratePassword(n int) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		// Rejection sampling keeps every character equally likely.
		if int(buf[0]) >= 256-256%len(passwordAlphabet) {
			continue
		}
		out[i] = passwordAlphabet[int(buf[0])%len(passwordAlphabet)]
		i++
	}
	return string(out)
}
