package sim

import (
	"math/rand"
	"net/http"
	"time"
)

// Faults describes injected failures. ErrorRate is the share of requests answered 500 before anything
// is done; DropAfterCommitRate the share that are fully processed and then lose their answer, the
// connection being closed without a response. The two shares are drawn from one roll, so their sum is
// the total fault rate. Latency delays every request. Seed makes the sequence of faults reproducible.
type Faults struct {
	ErrorRate           float64
	Latency             time.Duration
	DropAfterCommitRate float64
	Seed                int64
}

type fault int

const (
	faultNone fault = iota
	faultError
	faultDrop
)

// roll draws the fault for one request; the caller holds s.mu, which also guards the generator.
func (s *Server) roll() fault {
	if s.faults.ErrorRate <= 0 && s.faults.DropAfterCommitRate <= 0 {
		return faultNone
	}
	r := s.rng.Float64()
	switch {
	case r < s.faults.ErrorRate:
		return faultError
	case r < s.faults.ErrorRate+s.faults.DropAfterCommitRate:
		return faultDrop
	}
	return faultNone
}

// SetFaults replaces the injected faults and reseeds the generator.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.rng = rand.New(rand.NewSource(f.Seed))
}

// dropConnection closes the client's connection without an answer, as a crash or a network cut after
// the commit would. Without a hijackable connection (HTTP/2) the handler aborts, which resets the stream.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
