package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// secretPrefix marks a Standard Webhooks signing secret.
const secretPrefix = "whsec_"

// NewSecret is a fresh signing secret: "whsec_" and the base64 of 32
// random bytes, the form the Standard Webhooks libraries read.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (Go ≥ 1.24)
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Secrets seals signing secrets for the database and opens them to sign.
// They must be read back to sign, so they cannot be hashed; sealed, a copy
// of the database alone does not let anyone forge our webhooks. A sealed
// secret names its key, so it stays readable after the deployment's keys
// rotate, as long as its key is still listed.
type Secrets struct {
	primary string
	byID    map[string]cipher.AEAD
}

// NewSecrets seals with keys[primary] and opens with any of keys, each 32
// bytes (encryption.Keys.DeriveEach gives them).
func NewSecrets(primary string, keys map[string][]byte) (*Secrets, error) {
	s := &Secrets{primary: primary, byID: map[string]cipher.AEAD{}}
	for id, key := range keys {
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("webhook secrets key %q: %w", id, err)
		}
		if s.byID[id], err = cipher.NewGCM(block); err != nil {
			return nil, err
		}
	}
	if _, ok := s.byID[primary]; !ok {
		return nil, fmt.Errorf("webhook secrets: no key %q", primary)
	}
	return s, nil
}

// NewProcessSecrets seals with a key drawn for this process: for tests and
// tools whose secrets never outlive it.
func NewProcessSecrets() *Secrets {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s, _ := NewSecrets("process", map[string][]byte{"process": key}) // a 32-byte key is always accepted
	return s
}

// Seal is secret as the database keeps it: "v1:<key id>:<base64 of nonce
// and ciphertext>", the key id bound into the tag.
func (s *Secrets) Seal(secret string) string {
	aead := s.byID[s.primary]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(secret)+aead.Overhead())
	_, _ = rand.Read(nonce)
	return "v1:" + s.primary + ":" + base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(secret), []byte(s.primary)))
}

// ErrUnsealable: the sealed secret's key is not listed, or it was altered.
var ErrUnsealable = errors.New("webhook: the signing secret cannot be opened with this deployment's keys")

// Open is the secret sealed; "" opens to "".
func (s *Secrets) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return "", ErrUnsealable
	}
	aead, ok := s.byID[parts[1]]
	if !ok {
		return "", ErrUnsealable
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", ErrUnsealable
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(parts[1]))
	if err != nil {
		return "", ErrUnsealable
	}
	return string(plain), nil
}
