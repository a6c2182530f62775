package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
)

// submitOTP is POST /v1/loans/{ref}/otp {"otp": "123456"}: the code JULO
// texted the customer of a JULO loan. It answers the loan; a wrong code is a
// 400 whose detail says how many attempts are left, an OTP at the wrong
// moment (not texted yet, already verified, not a JULO loan) a 409.
func (h *handlers) submitOTP(c *gin.Context) {
	ref, ok := h.loanRef(c)
	if !ok {
		return
	}
	var errs failure.FieldErrors
	body, err := readJSONObject(c, &errs, false)
	if err != nil {
		h.respondError(c, err)
		return
	}
	code := body.String("otp")
	body.Done()
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	loan, err := h.svc.SubmitOTP(c.Request.Context(), partnerOf(c), ref, code, c.GetHeader(idempotencyHeader))
	if err != nil {
		h.respondError(c, err)
		return
	}
	h.respondLoan(c, http.StatusOK, loan)
}
