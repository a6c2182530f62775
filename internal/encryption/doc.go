// Package encryption keeps personal data out of Temporal in clear: an
// AES-256-GCM payload codec behind the SDK's data and failure converters,
// the keys it uses (LOANFLOW_PAYLOAD_KEYS, rotated by putting a new key
// first), the key file `loanflow dev` makes, and the remote codec endpoint
// through which signed-in staff read encrypted histories in the Temporal UI.
//
// Payloads written before encryption was turned on stay readable: Decode
// passes through any payload that is not binary/encrypted.
package encryption
