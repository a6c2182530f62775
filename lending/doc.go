// Package lending is loanflow's vocabulary: the loan's statuses and the
// transitions between them, staff roles, document kinds, ledgers and
// lenders, the actions of the audit trail, the actors who take them, the
// product snapshot a loan is priced under and the auto-reject rules.
//
// It is pure (no I/O, no Temporal, no Gin, no database): workflows,
// activities, models, the service and every front end import it, so a rule
// about a status or a role is written here once and read the same way
// everywhere.
package lending
