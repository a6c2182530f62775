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
	// versionLocalPersist: the loan's own writes to the database (its
	// transitions, repayments, pay-out and account snapshots) run as local
	// activities: a marker in the history instead of three events and a
	// workflow task more for each, so a whole loan's history holds about
	// half the events it did.
	versionLocalPersist = "local-persist"
)
