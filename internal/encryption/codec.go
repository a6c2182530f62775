package encryption

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Metadata of an encrypted payload.
const (
	// Encoding is the encoding of an encrypted payload; Temporal's tools
	// show such a payload as opaque until a codec decodes it.
	Encoding = "binary/encrypted"
	// MetadataKeyID names the key that encrypted the payload.
	MetadataKeyID = "encryption-key-id"
)

// ErrUndecryptable is a payload whose key is unknown or whose bytes were
// changed after encryption.
var ErrUndecryptable = errors.New("payload cannot be decrypted")

// Codec encrypts each whole payload (its metadata too: the encoding and the
// type name can say what it holds) with AES-256-GCM under the primary key.
// The key id is bound into the authentication tag, so a payload relabelled
// with another key id is refused like a tampered one.
type Codec struct {
	keys *Keys
}

var _ converter.PayloadCodec = (*Codec)(nil)

// NewCodec is the codec over keys.
func NewCodec(keys *Keys) *Codec { return &Codec{keys: keys} }

func (c *Codec) aead(id string) (cipher.AEAD, error) {
	key, ok := c.keys.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: unknown key id %q", ErrUndecryptable, id)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Encode encrypts every payload.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id := c.keys.primary
	gcm, err := c.aead(id)
	if err != nil {
		return nil, err
	}
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encrypt payload: %w", err)
		}
		nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(plain)+gcm.Overhead())
		_, _ = rand.Read(nonce)
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(Encoding),
				MetadataKeyID:              []byte(id),
			},
			Data: gcm.Seal(nonce, nonce, plain, []byte(id)),
		}
	}
	return out, nil
}

// Decode decrypts the encrypted payloads and passes the others through:
// histories written before encryption was turned on stay readable.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		gcm, err := c.aead(id)
		if err != nil {
			return nil, err
		}
		data := p.GetData()
		if len(data) < gcm.NonceSize() {
			return nil, fmt.Errorf("%w: too short", ErrUndecryptable)
		}
		plain, err := gcm.Open(nil, data[:gcm.NonceSize()], data[gcm.NonceSize():], []byte(id))
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: authentication failed", ErrUndecryptable, id)
		}
		var decoded commonpb.Payload
		if err := proto.Unmarshal(plain, &decoded); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUndecryptable, err)
		}
		out[i] = &decoded
	}
	return out, nil
}
