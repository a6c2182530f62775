package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// verifiedTTL is how long a proven match of password and stored hash saves
// bcrypt. Revocation does not wait for it: the account is read on every
// request and the stored hash is part of the key, so a disabled account,
// a new role or a new password applies at once. It bounds how long a digest
// of a password stays in memory.
const verifiedTTL = 10 * time.Minute

// maxVerified bounds the cache; only successful checks enter it.
const maxVerified = 10000

// verifiedCache remembers which username, password and stored hash matched,
// so bcrypt runs once per credential rather than once per request. Keys are
// an HMAC under a key of this process: the password is never kept, and a
// key from memory cannot be checked against guesses offline.
type verifiedCache struct {
	secret  []byte
	now     func() time.Time
	mu      sync.Mutex
	expires map[[32]byte]time.Time
}

func newVerifiedCache(now func() time.Time) *verifiedCache {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret) // never fails (Go ≥ 1.24)
	return &verifiedCache{secret: secret, now: now, expires: map[[32]byte]time.Time{}}
}

// key binds the three values: a changed hash (a reset, a rotation) or
// another password never finds an entry.
func (c *verifiedCache) key(username, password, hash string) [32]byte {
	m := hmac.New(sha256.New, c.secret)
	for _, v := range []string{username, password, hash} {
		// Length-prefixed, so no two triples share an encoding.
		n := len(v)
		m.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		m.Write([]byte(v))
	}
	var k [32]byte
	m.Sum(k[:0])
	return k
}

func (c *verifiedCache) has(k [32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp, ok := c.expires[k]
	if ok && c.now().After(exp) {
		delete(c.expires, k)
		return false
	}
	return ok
}

func (c *verifiedCache) put(k [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.expires) >= maxVerified {
		for key, exp := range c.expires {
			if now.After(exp) {
				delete(c.expires, key)
			}
		}
		if len(c.expires) >= maxVerified {
			clear(c.expires)
		}
	}
	c.expires[k] = now.Add(verifiedTTL)
}
