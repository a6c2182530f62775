package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

const auditPageSize = 100

type auditView struct {
	Filter   struct{ Actor, Action, Outcome, Target string }
	Events   []models.ConsoleEvent
	Total    int64
	Page     int
	PrevURL  string
	NextURL  string
	Actions  []string
	Outcomes []string
}

var auditActions = []string{
	actionSignIn, actionSignOut, actionCSRF, actionApprove, actionReject, actionRejectDocuments,
	actionAuthorizeRelease, actionChangePassword, actionCreateStaff, actionDisableStaff, actionEnableStaff,
	actionResetPassword, actionChangeRole, actionCreatePartner, actionRotatePartner, actionDisablePartner,
	actionEnablePartner, actionUpdateProduct,
}

var auditOutcomes = []string{models.OutcomeOK, models.OutcomeDenied, models.OutcomeRefused, models.OutcomeFailed, models.OutcomeRateLimited}

// auditPage lists the console audit log, newest first.
func (c *console) auditPage(gc *gin.Context) {
	v := auditView{Page: 1, Actions: auditActions, Outcomes: auditOutcomes}
	v.Filter.Actor, v.Filter.Action = gc.Query("actor"), gc.Query("action")
	v.Filter.Outcome, v.Filter.Target = gc.Query("outcome"), gc.Query("target")
	if p, err := strconv.Atoi(gc.Query("page")); err == nil && p > 1 && p < 1_000_000 {
		v.Page = p
	}
	f := models.ConsoleEventFilter{
		Actor: v.Filter.Actor, Action: v.Filter.Action, Outcome: v.Filter.Outcome, Target: v.Filter.Target,
		Limit: auditPageSize, Offset: (v.Page - 1) * auditPageSize,
	}
	var err error
	v.Events, v.Total, err = c.store.ListConsoleEvents(gc.Request.Context(), f)
	if err != nil {
		c.outage(gc, "list console events", err)
		return
	}
	pageURL := func(p int) string {
		q := gc.Request.URL.Query()
		q.Set("page", strconv.Itoa(p))
		return gc.Request.URL.Path + "?" + q.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = pageURL(v.Page - 1)
	}
	if int64(f.Offset+len(v.Events)) < v.Total {
		v.NextURL = pageURL(v.Page + 1)
	}
	c.render(gc, http.StatusOK, "admin_audit", "Audit log", v, "")
}
