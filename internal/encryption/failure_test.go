package encryption

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

// A failure's message is stored encrypted and read back whole by a client
// with the key: a provider's refusal may quote personal data.
func TestFailureMessagesAreEncrypted(t *testing.T) {
	conv := NewConverters(mustKeys(t, NewKeySpec("k1")))
	err := temporal.NewApplicationError("JULO refused NIK 3171234567890123", "Refused")
	f := conv.Failure.ErrorToFailure(err)
	require.NotContains(t, f.String(), "3171234567890123")

	back := conv.Failure.FailureToError(f)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(back, &appErr))
	require.Equal(t, "Refused", appErr.Type())
	require.Contains(t, appErr.Error(), "JULO refused NIK 3171234567890123")
}
