package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

const auditPageSize = 100

type auditView struct {
	Filter struct{ Actor, Action, Outcome, Target string }
	Rows   []models.ConsoleEvent
	pager
	Actions  []string
	Outcomes []string
}

var auditActions = []string{
	actionSignIn, actionSignOut, actionCSRF, actionApprove, actionReject, actionRejectDocuments,
	actionAuthorizeRelease, actionRetryProvider, actionChangePassword, actionCreateStaff, actionDisableStaff, actionEnableStaff,
	actionResetPassword, actionChangeRole, actionCreatePartner, actionRotatePartner, actionDisablePartner,
	actionEnablePartner, actionPartnerLimit, actionCreateProduct, actionUpdateProduct,
	actionEditWebhook, actionRedeliverWebhook,
}

var auditOutcomes = []string{models.OutcomeOK, models.OutcomeDenied, models.OutcomeRefused, models.OutcomeFailed, models.OutcomeRateLimited}

// auditPage lists the console audit log, newest first.
func (c *console) auditPage(gc *gin.Context) {
	v := auditView{Actions: auditActions, Outcomes: auditOutcomes}
	v.Filter.Actor, v.Filter.Action = gc.Query("actor"), gc.Query("action")
	v.Filter.Outcome, v.Filter.Target = gc.Query("outcome"), gc.Query("target")
	var offset int
	v.pager, offset = newPager(gc, auditPageSize)
	f := models.ConsoleEventFilter{
		Actor: v.Filter.Actor, Action: v.Filter.Action, Outcome: v.Filter.Outcome, Target: v.Filter.Target,
		Limit: auditPageSize, Offset: offset,
	}
	events, total, err := c.store.ListConsoleEvents(gc.Request.Context(), f)
	if err != nil {
		c.outage(gc, "list console events", err)
		return
	}
	v.Rows = events
	v.shown(gc, offset, len(events), total)
	c.render(gc, http.StatusOK, "admin_audit", "Audit log", v, "")
}
