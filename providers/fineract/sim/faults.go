package sim

import "github.com/loanflow/loanflow/providers/simfault"

// Faults makes the simulator misbehave like a real remote system: ErrorRate
// of the calls fail with a 5xx before anything is done, DropAfterCommitRate
// are processed and then lose their answer, Latency delays every call, Seed
// makes the sequence reproducible (see package simfault).
type Faults = simfault.Faults

// SetFaults replaces the injected faults and reseeds the generator.
func (s *Server) SetFaults(f Faults) { s.faults.Set(f) }
