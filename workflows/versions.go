package workflows

// Change IDs of workflow.GetVersion: each names one change of the workflow
// code that running loans must not see in the middle of their history (see
// the package documentation). A loan started before the change replays
// the old branch; one that reaches the change point afterwards takes the
// new one. Never rename or remove one while a loan may still hold it.
const (
	// versionRefusalKeepsOutboxBusy: a refused posting keeps its outbox
	// busy until the refusal is recorded, so the refusal of a loan's last
	// posting is not lost when the loan ends.
	versionRefusalKeepsOutboxBusy = "refusal-keeps-outbox-busy"
	// versionServicing: a paid-out loan's money is a servicing.Account
	// (payoff, penalties, prepayment strategies, waivers, refunds,
	// write-off, payment holidays), opened at the pay-out. A loan paid out
	// before it keeps its installments until the first Update it handles
	// after the change, which moves it onto an account built from them
	// (change ID "servicing/<update ID>": a per-Update ID, because a
	// version decided while replaying an older history holds for the rest
	// of the run).
	versionServicing = "servicing"
	// versionEndedDuringAccrual: a serviced loan that an Update ended
	// (closed by its last repayment) while the daily accrual ran leaves the
	// servicing loop at once; before, it waited for a change that could no
	// longer come, and its workflow never completed.
	versionEndedDuringAccrual = "ended-during-accrual"
	// versionLeanHistory: a loan's history holds about 40 % fewer events.
	//   - The loan's own database work (screening, its transitions,
	//     repayments, pay-out and account snapshots) runs in local
	//     activities: a marker instead of three events and a workflow task
	//     more for each.
	//   - The main loop keeps one timer pending and reuses it while it
	//     waits for the same moment; a timer no wait needs any more is
	//     cancelled (one event) rather than left to fire into nothing (a
	//     timer event and a workflow task): every repayment made before its
	//     due date used to leave one behind.
	versionLeanHistory = "lean-history"
	// versionPayoutAwaitsBooking: a loan routed to a ledger has its cash
	// release authorized (by operations or by its lender) only once the
	// ledger holds it. Before, a refused booking let the money go out
	// unbooked. A loan that had its release authorized before the booking
	// replays as it ran.
	versionPayoutAwaitsBooking = "payout-awaits-booking"
	// versionPerLoanWebhooks (WebhookDeliveryWorkflow, not the loan's): a
	// partner's events are ordered per loan, not per partner, and several
	// loans' are sent at once, so one event its endpoint refuses holds up
	// only its own loan's later events. A run started before keeps its
	// one-at-a-time loop.
	versionPerLoanWebhooks = "per-loan-webhooks"
)
