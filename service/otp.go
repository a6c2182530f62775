package service

import (
	"context"
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
// the stored failure forever. The code is hashed because Update IDs are
// shown in the Temporal UI.
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
	sum := sha256.Sum256(fmt.Appendf(nil, "%d:%d:%s", ref, round, code))
	updateID, replayed := fmt.Sprintf("otp-%d-%s", round, hex.EncodeToString(sum[:12])), false
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
