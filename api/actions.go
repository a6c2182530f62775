package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/service"
)

// idempotencyHeader carries the caller's idempotency key; replayedHeader
// tells a caller its request repeated an earlier one's key and got the
// first answer again.
const (
	idempotencyHeader = "Idempotency-Key"
	replayedHeader    = "Idempotent-Replayed"
)

// call is an action decoded from its request, ready to run.
type call func(ctx context.Context, ref int64, key string) (service.Outcome, error)

// loanAction serves a POST that acts on the loan in the path: the JSON body
// (which may be empty when optional) is decoded by decode, every bad field
// is answered at once, and the action's outcome is the loan.
func (h *handlers) loanAction(optional bool, decode func(c *gin.Context, body *jsonObject) call) gin.HandlerFunc {
	return func(c *gin.Context) {
		ref, ok := h.loanRef(c)
		if !ok {
			return
		}
		var errs failure.FieldErrors
		body, err := readJSONObject(c, &errs, optional)
		if err != nil {
			h.respondError(c, err)
			return
		}
		run := decode(c, body)
		body.Done()
		if err := errs.Err(); err != nil {
			h.respondError(c, err)
			return
		}
		out, err := run(c.Request.Context(), ref, c.GetHeader(idempotencyHeader))
		if err != nil {
			h.respondError(c, err)
			return
		}
		h.respondOutcome(c, http.StatusOK, out)
	}
}

// respondOutcome answers the loan an action left, marked when it was a
// replay.
func (h *handlers) respondOutcome(c *gin.Context, status int, out service.Outcome) {
	h.respondLoan(c, replayStatus(c, out.Replayed, status), out.Loan)
}

// replayStatus marks the answer to a replayed request and gives its
// status: a replayed creation created nothing, so it answers 200, not 201.
func replayStatus(c *gin.Context, replayed bool, status int) int {
	if !replayed {
		return status
	}
	c.Header(replayedHeader, "true")
	if status == http.StatusCreated {
		return http.StatusOK
	}
	return status
}
