package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// otpPattern admits what an SMS code can be; JULO's own example has six
// digits, its document fixes no length.
var otpPattern = regexp.MustCompile(`^[0-9]{4,8}$`)

// SubmitOTP hands the OTP to the loan's workflow, which has JULO check it.
//
// The Update ID makes a retry safe: it is derived from the partner's
// Idempotency-Key, or else from a hash of the code, and in both cases from
// the workflow's OTP round. A retry after a lost answer therefore joins the
// first call (a wrong code is not counted twice), and the same wrong code
// entered again gets the same answer without costing an attempt. The round
// moves on only when a check got no verdict (JULO or the database could not
// be reached), so the same code is then checked anew instead of answering
// the stored failure forever. The code is hashed with the deployment's
// secret key because Update IDs are stored in clear in the history and shown
// in the Temporal UI: a plain hash of a 4 to 8 digit code is undone by
// trying every code.
func (s *Service) SubmitOTP(ctx context.Context, p *models.Partner, ref int64, code, key string) (*models.Loan, error) {
	var errs failure.FieldErrors
	switch {
	case code == "":
		errs.Add("otp", "required")
	case !otpPattern.MatchString(code):
		errs.Add("otp", "must be the 4 to 8 digits of the code JULO texted")
	}
	if key != "" {
		checkKey(key, &errs)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	view, err := s.engine.Query(ctx, ref)
	if err != nil {
		return nil, err
	}
	round := 0
	if view.Julo != nil {
		round = view.Julo.OTPRound
	}
	return s.transition(ctx, ref, workflows.UpdateSubmitOTP, s.otpUpdateID(ref, round, code, key),
		workflows.OTPRequest{Actor: partnerActor(p), OTP: code})
}

func (s *Service) otpUpdateID(ref int64, round int, code, key string) string {
	if key != "" {
		return fmt.Sprintf("otp-%d-%s", round, key)
	}
	m := hmac.New(sha256.New, s.secretKey)
	m.Write(fmt.Appendf(nil, "%d:%d:%s", ref, round, code))
	return fmt.Sprintf("otp-%d-%s", round, hex.EncodeToString(m.Sum(nil)[:12]))
}
