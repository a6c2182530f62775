package julo

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/loanflow/loanflow/providers"
)

// SendOTP has JULO text an OTP to the customer's mobile phone. The OTP expires; while it is valid a
// resend repeats the same code.
func (c *Client) SendOTP(ctx context.Context, applicationXID int64, phone string) error {
	return c.do(ctx, call{op: "send_otp", method: http.MethodPost,
		path: "/application/otp/" + strconv.FormatInt(applicationXID, 10),
		body: map[string]string{"phone": phone}}, nil)
}

// ValidateOTP checks the OTP the customer received. A refusal carries CodeOTPExpired,
// CodeOTPAttemptsExceeded or CodeOTPNotRequested (a new OTP is needed) or CodeOTPInvalid (the customer
// may try again). JULO documents no messages; the codes are read from the words of its refusal.
func (c *Client) ValidateOTP(ctx context.Context, applicationXID int64, token string) error {
	err := c.do(ctx, call{op: "validate_otp", method: http.MethodPost,
		path: "/application/otp/validate/" + strconv.FormatInt(applicationXID, 10),
		body: map[string]string{"otp_token": token}}, nil)
	if pe, ok := providers.AsError(err); ok && pe.Code == CodeRefused {
		msg := strings.ToLower(pe.Message)
		switch {
		case strings.Contains(msg, "expired"):
			pe.Code = CodeOTPExpired
		case strings.Contains(msg, "not been requested"):
			pe.Code = CodeOTPNotRequested
		case strings.Contains(msg, "too many"):
			pe.Code = CodeOTPAttemptsExceeded
		case strings.Contains(msg, "otp"):
			pe.Code = CodeOTPInvalid
		}
	}
	return err
}
