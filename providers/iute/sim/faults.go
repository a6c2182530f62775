package sim

import "github.com/loanflow/loanflow/providers/simfault"

// Faults makes the simulator misbehave like a real remote system; rates are
// shares of requests in [0,1] (see package simfault).
type Faults = simfault.Faults

// FaultStats counts the faults injected so far.
type FaultStats = simfault.Stats
