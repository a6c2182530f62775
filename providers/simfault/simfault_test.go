package simfault_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/simfault"
)

// TestInjectorFailsDropsAndCommits: with half errors and half drops every
// request misbehaves; an error never reaches the handler, a drop does (the
// work is committed) and the client gets no answer.
func TestInjectorFailsDropsAndCommits(t *testing.T) {
	in := simfault.New(simfault.Faults{ErrorRate: 0.5, DropAfterCommitRate: 0.5, Seed: 1})
	var handled atomic.Int64 // the server's goroutines count, the test reads
	h := in.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handled.Add(1); _, _ = io.WriteString(w, "ok") }),
		func(w http.ResponseWriter, status int, msg string) { http.Error(w, msg, status) })
	srv := httptest.NewServer(h)
	defer srv.Close()
	var failed, dropped int
	for range 40 {
		resp, err := http.Get(srv.URL)
		if err != nil {
			dropped++
			continue
		}
		resp.Body.Close()
		require.GreaterOrEqual(t, resp.StatusCode, 500)
		failed++
	}
	st := in.Stats()
	require.Equal(t, simfault.Stats{Errors: failed, Drops: dropped}, st)
	require.Equal(t, int64(dropped), handled.Load(), "dropped requests were processed; failed ones were not")
	require.Positive(t, failed)
	require.Positive(t, dropped)

	in.Set(simfault.Faults{})
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
