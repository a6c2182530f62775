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
func (s *Service) SubmitOTP(ctx context.Context, p *models.Partner, ref int64, code, key string) (Outcome, error) {
	var errs failure.FieldErrors
	switch {
	case code == "":
		errs.Add("otp", "required")
	case !otpPattern.MatchString(code):
		errs.Add("otp", "must be the 4 to 8 digits of the code JULO texted")
	}
	if err := errs.Err(); err != nil {
		return Outcome{}, err
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return Outcome{}, err
	}
	view, err := s.engine.Query(ctx, ref)
	if err != nil {
		return Outcome{}, err
	}
	round := 0
	if view.Julo != nil {
		round = view.Julo.OTPRound
	}
	actor := partnerActor(p)
	updateID, replayed := s.otpUpdateID(ref, round, code), false
	if key != "" {
		// The claim holds a hash of the code: the code itself is the
		// customer's, and one-time.
		codeHash := sha256.Sum256([]byte(code))
		if _, replayed, err = s.claim(ctx, keyed{actor: actor, action: workflows.UpdateSubmitOTP, ref: ref, key: key, request: hex.EncodeToString(codeHash[:])}, nil); err != nil {
			return Outcome{}, err
		}
		updateID = keyedUpdateID(fmt.Sprintf("%s-%d", workflows.UpdateSubmitOTP, round), actor, key)
	}
	loan, err := s.transition(ctx, ref, workflows.UpdateSubmitOTP, updateID, workflows.OTPRequest{Actor: actor, OTP: code})
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Loan: loan, Replayed: replayed}, nil
}

// otpUpdateID is the Update ID of a code submitted without an
// Idempotency-Key: the same for the same code in the same round on every
// replica that shares the secret key, and no help in guessing the code.
func (s *Service) otpUpdateID(ref int64, round int, code string) string {
	m := hmac.New(sha256.New, s.secretKey)
	m.Write(fmt.Appendf(nil, "%d:%d:%s", ref, round, code))
	return fmt.Sprintf("otp-%d-%s", round, hex.EncodeToString(m.Sum(nil)[:12]))
}
