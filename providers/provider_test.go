package providers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatusErrorClassifies(t *testing.T) {
	tests := []struct {
		status    int
		write     bool
		retryable bool
		ambiguous bool
	}{
		{400, true, false, false},
		{401, false, true, false},
		{403, true, false, false},
		{404, false, false, false},
		{408, true, true, false},
		{429, true, true, false},
		{500, false, true, false},
		{500, true, true, true},
		{502, true, true, true},
		{503, true, true, false},
		{504, true, true, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d write=%v", tt.status, tt.write), func(t *testing.T) {
			e := StatusError("p", "Op", tt.status, "", "", tt.write)
			require.Equal(t, tt.retryable, e.Retryable)
			require.Equal(t, tt.ambiguous, e.Ambiguous)
			require.Equal(t, tt.retryable, IsRetryable(fmt.Errorf("wrapped: %w", e)))
			require.Equal(t, tt.ambiguous, IsAmbiguous(fmt.Errorf("wrapped: %w", e)))
			require.Equal(t, tt.status == 404, IsNotFound(fmt.Errorf("wrapped: %w", e)))
			require.Equal(t, tt.status == 401, IsOperator(fmt.Errorf("wrapped: %w", e)), "only a 401 is the operator's everywhere")
			require.NotEmpty(t, e.Message, "the status text stands in for a missing message")
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestTransportErrorClassifies(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		sent      bool
		write     bool
		code      string
		retryable bool
		ambiguous bool
	}{
		{"refused before sending", errors.New("connect: connection refused"), false, true, CodeConnection, true, false},
		{"cut after sending a write", io.ErrUnexpectedEOF, true, true, CodeConnection, true, true},
		{"cut after sending a read", io.ErrUnexpectedEOF, true, false, CodeConnection, true, false},
		{"deadline after sending", fmt.Errorf("post: %w", context.DeadlineExceeded), true, true, CodeTimeout, true, true},
		{"net timeout", timeoutErr{}, true, true, CodeTimeout, true, true},
		{"caller cancelled", fmt.Errorf("post: %w", context.Canceled), true, true, CodeCanceled, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := TransportError("p", "Op", tt.err, tt.sent, tt.write)
			require.Equal(t, tt.code, e.Code)
			require.Equal(t, tt.retryable, e.Retryable)
			require.Equal(t, tt.ambiguous, e.Ambiguous)
			require.ErrorIs(t, e, tt.err)
			require.Zero(t, e.Status)
		})
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Provider: "fineract", Op: "MakeRepayment", Status: 403, Code: "error.msg.x", Message: "Loan is closed"}
	require.Equal(t, "fineract MakeRepayment: HTTP 403 error.msg.x: Loan is closed", e.Error())
	e = &Error{Provider: "mambu", Op: "Repay", Code: CodeTimeout, Message: "deadline", Retryable: true, Ambiguous: true}
	require.Equal(t, "mambu Repay: timeout: deadline (may have been committed)", e.Error())
	require.False(t, IsRetryable(errors.New("plain")), "only provider errors are classified")
}

func TestMaskJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"flat", `{"firstname":"Petra","externalId":"c-1","principal":100}`, `{"externalId":"c-1","firstname":"***","principal":100}`},
		{"nested and in arrays", `{"client":{"firstName":"T","mobilePhone1":"2111"},"items":[{"email_address":"a@b"}]}`,
			`{"client":{"firstName":"***","mobilePhone1":"***"},"items":[{"email_address":"***"}]}`},
		{"numbers keep their digits", `{"amount":100000.000000001}`, `{"amount":100000.000000001}`},
		{"null stays null", `{"lastname":null}`, `{"lastname":null}`},
		{"not JSON", `<html>`, `<6 bytes, not JSON>`},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, MaskJSON([]byte(tt.in)))
		})
	}
}
