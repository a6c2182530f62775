package models

import (
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword bcrypt-hashes a password for PasswordHash columns.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// dummyHash stands in for the hash of an unknown user, so that checking a
// password costs one bcrypt comparison whether or not the user exists and
// the response time does not tell which usernames are real.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("loanflow: no such user"), bcrypt.DefaultCost)
	if err != nil {
		panic(err) // only fails on a password over 72 bytes
	}
	return h
})

// CheckPassword reports whether password matches a bcrypt hash. An empty
// hash (pass "" for an unknown user) matches nothing but still costs a
// full comparison.
func CheckPassword(hash, password string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
