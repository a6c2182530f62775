package encryption

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

type applicant struct {
	IdentityNumber string `json:"identity_number"`
	BirthDate      string `json:"birth_date"`
}

var john = applicant{IdentityNumber: "I12356789T", BirthDate: "1990-01-01"}

func mustKeys(t *testing.T, spec string) *Keys {
	t.Helper()
	k, err := ParseKeys(spec)
	require.NoError(t, err)
	return k
}

func encode(t *testing.T, keys *Keys, v any) *commonpb.Payload {
	t.Helper()
	p, err := NewConverters(keys).Data.ToPayload(v)
	require.NoError(t, err)
	return p
}

func TestPayloadsAreEncryptedAndDecrypted(t *testing.T) {
	keys := mustKeys(t, NewKeySpec("k1"))
	p := encode(t, keys, john)
	require.Equal(t, Encoding, string(p.GetMetadata()[converter.MetadataEncoding]))
	require.Equal(t, "k1", string(p.GetMetadata()[MetadataKeyID]))
	require.NotContains(t, string(p.GetData()), john.IdentityNumber)
	require.NotContains(t, p.String(), "json/plain", "the inner encoding is hidden too")

	var back applicant
	require.NoError(t, NewConverters(keys).Data.FromPayload(p, &back))
	require.Equal(t, john, back)

	again := encode(t, keys, john)
	require.NotEqual(t, p.GetData(), again.GetData(), "a fresh nonce for every payload")
}

func TestKeyRotation(t *testing.T) {
	oldSpec, newSpec := NewKeySpec("2025"), NewKeySpec("2026")
	before := mustKeys(t, oldSpec)
	rotated := mustKeys(t, newSpec+","+oldSpec)

	written := encode(t, before, john)
	var back applicant
	require.NoError(t, NewConverters(rotated).Data.FromPayload(written, &back), "the old key still decrypts")
	require.Equal(t, john, back)

	fresh := encode(t, rotated, john)
	require.Equal(t, "2026", string(fresh.GetMetadata()[MetadataKeyID]), "the first key encrypts")
	err := NewConverters(before).Data.FromPayload(fresh, &back)
	require.ErrorIs(t, err, ErrUndecryptable, "a process without the new key cannot read what it wrote")

	require.ErrorIs(t, NewConverters(mustKeys(t, newSpec)).Data.FromPayload(written, &back), ErrUndecryptable,
		"once the old key is dropped its payloads are unreadable")
}

func TestTamperedPayloadsAreRefused(t *testing.T) {
	keys := mustKeys(t, NewKeySpec("a")+","+NewKeySpec("b"))
	codec := NewCodec(keys)
	tests := []struct {
		name   string
		change func(p *commonpb.Payload)
	}{
		{"a flipped bit", func(p *commonpb.Payload) { p.Data[len(p.Data)-20] ^= 1 }},
		{"a flipped nonce bit", func(p *commonpb.Payload) { p.Data[0] ^= 1 }},
		{"cut short", func(p *commonpb.Payload) { p.Data = p.Data[:8] }},
		{"relabelled with the other key", func(p *commonpb.Payload) { p.Metadata[MetadataKeyID] = []byte("b") }},
		{"an unknown key", func(p *commonpb.Payload) { p.Metadata[MetadataKeyID] = []byte("z") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := encode(t, keys, john)
			tt.change(p)
			_, err := codec.Decode([]*commonpb.Payload{p})
			require.ErrorIs(t, err, ErrUndecryptable)
		})
	}
}

func TestUnencryptedPayloadsPassThrough(t *testing.T) {
	plain, err := converter.GetDefaultDataConverter().ToPayload(john)
	require.NoError(t, err)
	var back applicant
	require.NoError(t, NewConverters(mustKeys(t, NewKeySpec("k1"))).Data.FromPayload(plain, &back))
	require.Equal(t, john, back)
}

func TestParseKeys(t *testing.T) {
	good := NewKeySpec("k1")
	_, b64, _ := strings.Cut(good, ":")
	tests := []struct {
		spec    string
		wantErr string
	}{
		{good, ""},
		{good + ", " + NewKeySpec("k0"), ""},
		{"", "want id:base64key"},
		{b64, "want id:base64key"},
		{"k 1:" + b64, "want id:base64key"},
		{"k1:" + b64[:20], "32 bytes"},
		{"k1:not base64!", "32 bytes"},
		{good + "," + good, "listed twice"},
	}
	for _, tt := range tests {
		k, err := ParseKeys(tt.spec)
		if tt.wantErr != "" {
			require.ErrorContains(t, err, tt.wantErr, tt.spec)
			if len(tt.spec) > 4 {
				require.NotContains(t, err.Error(), b64[4:], "an error never prints a key")
			}
			continue
		}
		require.NoError(t, err, tt.spec)
		require.Equal(t, "k1", k.PrimaryID())
	}
}

func TestKeyFileIsMadeOnceAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "payload.key")
	first, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	again, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	var back applicant
	require.NoError(t, NewConverters(again).Data.FromPayload(encode(t, first, john), &back), "a restart reads what the last run wrote")
	require.True(t, bytes.Equal(first.Derive("x"), again.Derive("x")))

	require.NoError(t, os.WriteFile(path, []byte("garbage"), 0o600))
	_, err = LoadOrCreateKeyFile(path)
	require.ErrorContains(t, err, path)
}
