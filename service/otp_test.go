package service

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The Update ID of an OTP submitted without an Idempotency-Key is stored in
// clear in the history: trying every code against it must not reveal the
// code without the deployment's key, while every replica with that key maps
// a retry to the same ID.
func TestOTPUpdateIDHidesTheCode(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	a, b := New(Deps{SecretKey: key}), New(Deps{SecretKey: key})
	other := New(Deps{})

	id := a.otpUpdateID(90001, 0, "123456")
	require.Equal(t, id, b.otpUpdateID(90001, 0, "123456"), "replicas agree")
	require.NotEqual(t, id, other.otpUpdateID(90001, 0, "123456"), "another key, another ID")
	require.NotEqual(t, id, a.otpUpdateID(90001, 0, "654321"))
	require.NotEqual(t, id, a.otpUpdateID(90001, 1, "123456"), "a new round checks the code anew")
	require.NotContains(t, id, "123456")

	// What an attacker with the history but not the key can compute.
	sum := sha256.Sum256(fmt.Appendf(nil, "%d:%d:%s", 90001, 0, "123456"))
	require.False(t, strings.HasSuffix(id, hex.EncodeToString(sum[:12])))
}
