package providertest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/simfault"
)

// Simulated is a client of a fresh simulator, for RequireFaultsClassified.
type Simulated struct {
	SetFaults func(simfault.Faults)
	// Read is a call that changes nothing and Write one that creates a record; a client without one
	// of them leaves it nil.
	Read, Write func(context.Context) error
	// Records counts the records the simulator holds (nil without Write).
	Records func() int
	// Close stops the simulator's server.
	Close func()
}

// RequireFaultsClassified checks a client against the faults its simulator injects: a 5xx is worth a
// retry and, on a write, may have been committed unless it was a 503; a dropped answer or a timeout
// leaves a write ambiguous, and it was committed; a refused connection sent nothing. serverCode is
// the client's code for the simulator's 5xx answer; start serves a fresh simulator to a client.
func RequireFaultsClassified(t *testing.T, serverCode string, start func(t *testing.T) Simulated) {
	tests := []struct {
		name      string
		faults    simfault.Faults
		timeout   time.Duration
		want      Failure
		committed bool
	}{
		{name: "5xx", faults: simfault.Faults{ErrorRate: 1}, want: Failure{Code: serverCode, Retryable: true}},
		{name: "dropped answer", faults: simfault.Faults{DropAfterCommitRate: 1},
			want: Failure{Code: providers.CodeConnection, Retryable: true}, committed: true},
		{name: "timeout", faults: simfault.Faults{Latency: 300 * time.Millisecond}, timeout: 50 * time.Millisecond,
			want: Failure{Code: providers.CodeTimeout, Retryable: true}, committed: true},
	}
	probe := start(t)
	var kinds []bool // whether each call checked is the write
	if probe.Read != nil {
		kinds = append(kinds, false)
	}
	if probe.Write != nil {
		kinds = append(kinds, true)
	}
	for _, tt := range tests {
		for _, write := range kinds {
			name := tt.name + " on a read"
			if write {
				name = tt.name + " on a write"
			}
			t.Run(name, func(t *testing.T) {
				s := start(t)
				call := s.Read
				if write {
					call = s.Write
				}
				s.SetFaults(tt.faults)
				ctx := context.Background()
				if tt.timeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.timeout)
					defer cancel()
				}
				err := call(ctx)
				got, want := FailureOf(t, err), tt.want
				if want.Code == serverCode {
					require.Contains(t, []int{http.StatusInternalServerError, http.StatusServiceUnavailable}, got.Status)
					want.Status = got.Status
				}
				// Only a 503 says the request was not started.
				want.Ambiguous = write && want.Status != http.StatusServiceUnavailable
				require.Equal(t, want, got, "%v", err)
				if tt.timeout > 0 {
					require.ErrorIs(t, err, context.DeadlineExceeded)
				}
				if !write {
					return
				}
				s.SetFaults(simfault.Faults{})
				n := 0
				if tt.committed {
					n = 1
				}
				// A timed-out request is committed when the server's latency ends: poll until it lands.
				require.Eventually(t, func() bool { return s.Records() == n }, 5*time.Second, 10*time.Millisecond)
			})
		}
	}

	t.Run("connection refused", func(t *testing.T) {
		probe.Close()
		call := probe.Write
		if call == nil {
			call = probe.Read
		}
		err := call(context.Background())
		require.Equal(t, Failure{Code: providers.CodeConnection, Retryable: true}, FailureOf(t, err),
			"a request that never left cannot have been committed")
		require.False(t, errors.Is(err, context.DeadlineExceeded))
	})
}
