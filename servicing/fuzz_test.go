package servicing

import "testing"

// fuzzChoices reads choices from fuzz bytes, as few bytes as each choice needs; once they run out
// every choice is 0.
type fuzzChoices struct {
	b []byte
}

func (c *fuzzChoices) IntN(n int) int {
	v := 0
	for span := 1; span < n && len(c.b) > 0; span <<= 8 {
		v = v<<8 | int(c.b[0])
		c.b = c.b[1:]
	}
	if n <= 1 {
		return 0
	}
	return v % n
}

// FuzzServicing opens an account and runs a sequence of operations chosen by the fuzz input,
// asserting after every step that no cent was lost or invented (Account.Check) and that every
// refusal is a typed *Error.
func FuzzServicing(f *testing.F) {
	f.Add([]byte("loanflow servicing: repay, accrue, settle, waive, refund, write off, defer"))
	f.Add([]byte{3, 1, 0, 0, 2, 5, 0, 9, 1, 1, 0, 0, 0, 3, 2, 1, 0, 0, 7, 7, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 14, 14, 15, 9, 13, 13, 13})
	f.Fuzz(func(t *testing.T, data []byte) {
		steps := min(len(data)/4, 80)
		if err := runSequence(&fuzzChoices{b: data}, steps); err != nil {
			t.Fatal(err)
		}
	})
}
