package service

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxTextLen bounds every free-text field of an application.
const maxTextLen = 255

// textProblem says what is wrong with a free-text value, "" when nothing
// is: the one rule for every name, address, reason and file name a caller
// sends. Bidirectional controls are refused because they make a stored
// name read otherwise than it is ("‮fdp.exe" shows as "exe.pdf") to the
// staff who check it.
func textProblem(value string, required bool, maxLen int) string {
	switch {
	case required && strings.TrimSpace(value) == "":
		return "required"
	case !utf8.ValidString(value):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(value) > maxLen:
		return fmt.Sprintf("must be at most %d characters", maxLen)
	case strings.ContainsFunc(value, isControl):
		return "must not contain control characters"
	case strings.ContainsFunc(value, isBidiControl):
		return "must not contain bidirectional control characters"
	}
	return ""
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// isBidiControl: the marks and embeddings, overrides and isolates of the
// Unicode bidirectional algorithm.
func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
