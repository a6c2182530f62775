package lending

import "strings"

// Actor is who took an action, as the audit trail records it:
// "partner:<username>", "staff:<username>", "lender:<lender>" or "system"
// (timers and rules).
type Actor string

// System signs transitions made by timers and rules.
const System Actor = "system"

// PartnerActor is the actor of a partner's request.
func PartnerActor(username string) Actor { return Actor("partner:" + username) }

// StaffActor is the actor of a staff member's request.
func StaffActor(username string) Actor { return Actor("staff:" + username) }

// LenderActor is the actor of an external lender's decision.
func LenderActor(l Lender) Actor { return Actor("lender:" + string(l)) }

// Name is the actor without its kind: the username of a partner or staff
// member, the lender's name, or "system".
func (a Actor) Name() string {
	if _, name, ok := strings.Cut(string(a), ":"); ok {
		return name
	}
	return string(a)
}
