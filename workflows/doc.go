// Package workflows holds LoanWorkflow, the durable state machine of one
// loan from submission to closure, WebMoneyReconcileWorkflow, and the names
// of their Updates, Query and search attributes. Workflow code is
// deterministic: every side effect runs in an activity.
//
// # Changing the workflow
//
// Loans live for years, and a worker replays a loan's stored history
// through the code it runs now whenever it picks the loan up. So every
// change to workflow code is one of three kinds:
//
//   - Invisible to history: it does not change which commands the code
//     issues, in what order, for any history already stored (a renamed local
//     variable, a new Query, a new Update nobody has sent yet, a rule applied
//     only when a new Update arrives, metadata such as summaries). Ship it.
//   - Visible from a point on: it issues other commands (another activity,
//     a timer more or less, an activity's options, a different order) where
//     a stored history already went the old way. Guard the new code with
//     workflow.GetVersion and a change ID declared in versions.go: a loan
//     that passed the point before the change replays the old branch. Keep
//     the old branch until no open loan can reach it (the Temporal UI's list
//     query on the change's marker tells), then remove it in its own change.
//   - A new shape of the whole workflow (new input, a different state
//     machine) that no GetVersion can carry: deploy it as a new worker
//     deployment version (Temporal worker versioning) or a new workflow type,
//     and let running loans finish on the old one.
//
// Every path through the workflow has a recorded history in testdata/
// (listed in replay_test.go); TestReplayStoredHistories replays each through
// the current code and fails on a change of the second kind made without
// GetVersion. A new path gets a history recorded by the end-to-end tests;
// a stored history is never re-recorded, because loans started before a
// change still run on it.
package workflows
