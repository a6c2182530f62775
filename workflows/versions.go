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
)
