package webmoney

import "strconv"

// State is a loan's status in the Debt service.
type State int

// States as documented. StateAll is the request filter for every state (the element may also be absent).
const (
	StateAll               State = -1
	StatePlanned           State = 0
	StateTaken             State = 1
	StateRefused           State = 2
	StateCompleted         State = 3
	StateCompletedEarly    State = 4
	StateCompletedByOthers State = 5
	StateTerminatedPaymer  State = 6
	stateMax                     = StateTerminatedPaymer
)

var stateNames = [...]string{
	"planned", "taken", "refused", "completed", "completed_early", "completed_by_others", "terminated_paymer",
}

var stateMeanings = [...]string{
	"planned",
	"taken",
	"refusal",
	"normally completed",
	"completed ahead of schedule",
	"completed at the expense of others",
	"registration in the service has been terminated; obligation issued in Paymer format",
}

// Valid reports whether s is one of the documented states 0–6.
func (s State) Valid() bool { return s >= StatePlanned && s <= stateMax }

// String is a stable snake_case name, suitable for storage.
func (s State) String() string {
	if s == StateAll {
		return "all"
	}
	if !s.Valid() {
		return "state(" + strconv.Itoa(int(s)) + ")"
	}
	return stateNames[s]
}

// Description is the documented meaning.
func (s State) Description() string {
	if !s.Valid() {
		return s.String()
	}
	return stateMeanings[s]
}

// Final reports whether the loan can no longer change: refused, completed in any way, or moved to Paymer.
func (s State) Final() bool { return s >= StateRefused && s <= stateMax }

// ParseState reads a state name written by String.
func ParseState(name string) (State, bool) {
	for i, n := range stateNames {
		if n == name {
			return State(i), true
		}
	}
	return 0, false
}
