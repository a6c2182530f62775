package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// alarm is a timer the main loop set for a moment it waits for.
type alarm struct {
	at     time.Time
	fired  workflow.Future
	cancel workflow.CancelFunc
}

// waitOnAlarm is wait since versionLeanHistory: until cond holds (true) or
// until passes (false), on the pending alarm when it is set for until, or
// on a new one named summary. An alarm set for another moment is
// cancelled, unless the loan has ended: its workflow completes without it.
func (l *loan) waitOnAlarm(ctx workflow.Context, summary string, until time.Time, cond func() bool) (bool, error) {
	if a := l.alarm; a != nil && !a.at.Equal(until) && !l.st.Status.Terminal() {
		a.cancel()
		l.alarm = nil
	}
	if until.IsZero() {
		return true, workflow.Await(ctx, cond)
	}
	if cond() {
		return true, nil
	}
	if l.alarm == nil || !l.alarm.at.Equal(until) {
		tctx, cancel := workflow.WithCancel(ctx)
		l.alarm = &alarm{at: until, cancel: cancel,
			fired: workflow.NewTimerWithOptions(tctx, until.Sub(workflow.Now(ctx)), workflow.TimerOptions{Summary: summary})}
	}
	a := l.alarm
	if err := workflow.Await(ctx, func() bool { return cond() || a.fired.IsReady() }); err != nil {
		return false, err
	}
	if a.fired.IsReady() {
		l.alarm = nil
	}
	if cond() {
		return true, nil
	}
	return false, a.fired.Get(ctx, nil)
}
