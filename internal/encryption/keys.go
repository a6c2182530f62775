package encryption

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// keyIDPattern keeps key ids short and printable: they travel in every
// payload's metadata and in the configuration.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// Keys are the payload keys: the first encrypts, every one decrypts, so a
// key is rotated by putting a new one first and dropping the old one once no
// open workflow's history needs it.
type Keys struct {
	primary string
	byID    map[string][]byte
}

// ParseKeys reads LOANFLOW_PAYLOAD_KEYS: "id:base64key,id:base64key,…" with
// standard base64 of 32 random bytes per key.
func ParseKeys(spec string) (*Keys, error) {
	k := &Keys{byID: map[string][]byte{}}
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		id, b64, ok := strings.Cut(item, ":")
		if !ok || !keyIDPattern.MatchString(id) {
			return nil, fmt.Errorf("payload key %d: want id:base64key with an id of letters, digits, dot, dash or underscore", i+1)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(key) != KeySize {
			return nil, fmt.Errorf("payload key %q: want the standard base64 of %d bytes", id, KeySize)
		}
		if _, dup := k.byID[id]; dup {
			return nil, fmt.Errorf("payload key %q is listed twice", id)
		}
		k.byID[id] = key
		if i == 0 {
			k.primary = id
		}
	}
	return k, nil
}

// PrimaryID is the id of the key that encrypts.
func (k *Keys) PrimaryID() string { return k.primary }

// Derive is a secret for another purpose than payloads, bound to the primary
// key and label (HMAC-SHA256), so one configured secret serves both and a
// leak of the derived one reveals nothing of the key.
func (k *Keys) Derive(label string) []byte {
	_, byID := k.DeriveEach(label)
	return byID[k.primary]
}

// DeriveEach is Derive under every key, by key id, and the primary key's
// id: what a secret sealed at rest needs to stay readable across a key
// rotation (sealed under the primary, opened under the key it names).
func (k *Keys) DeriveEach(label string) (primary string, byID map[string][]byte) {
	byID = make(map[string][]byte, len(k.byID))
	for id, key := range k.byID {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("loanflow " + label))
		byID[id] = m.Sum(nil)
	}
	return k.primary, byID
}

// NewKeySpec is a fresh key in the form ParseKeys reads, with the given id.
func NewKeySpec(id string) string {
	key := make([]byte, KeySize)
	_, _ = rand.Read(key) // never fails (Go ≥ 1.24)
	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

// LoadOrCreateKeyFile reads the key spec kept in path, writing a new key
// there first when the file does not exist. The file is readable by its
// owner alone: it opens every history of the data dir it belongs to.
func LoadOrCreateKeyFile(path string) (*Keys, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		spec := NewKeySpec("dev1")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create payload key file: %w", err)
		}
		_, err = f.WriteString(spec + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("write payload key file: %w", err)
		}
		return ParseKeys(spec)
	}
	if err != nil {
		return nil, fmt.Errorf("read payload key file: %w", err)
	}
	keys, err := ParseKeys(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("payload key file %s: %w", path, err)
	}
	return keys, nil
}
