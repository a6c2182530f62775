package console

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// event builds a console audit entry for the request.
func (c *console) event(gc *gin.Context, actor, action, target, outcome, detail string) *models.ConsoleEvent {
	return &models.ConsoleEvent{
		At: c.now(), Actor: actor, ClientIP: gc.ClientIP(),
		Action: action, Target: truncate(target, 200), Outcome: outcome, Detail: truncate(detail, 1000),
	}
}

// audit records an event on its own. A failure to record is logged: the
// action it describes has already happened (or been refused) and the
// person acting must learn its outcome either way.
func (c *console) audit(gc *gin.Context, actor, action, target, outcome, detail string) {
	ev := c.event(gc, actor, action, target, outcome, detail)
	if err := c.store.RecordConsoleEvent(context.WithoutCancel(gc.Request.Context()), ev); err != nil {
		c.log.Error("console audit write failed", "action", action, "actor", actor, "target", target, "outcome", outcome, "error", err)
	}
}
