package julo_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/julo"
	"github.com/loanflow/loanflow/providers/julo/sim"
)

func TestFaultClassification(t *testing.T) {
	calls := []struct {
		name  string
		write bool
		call  func(*env) error
	}{
		{"register", true, func(e *env) error {
			_, err := e.client.Register(context.Background(), registration(nik, email))
			return err
		}},
		{"pre-register check", true, func(e *env) error { return e.client.PreRegisterCheck(context.Background(), nik, email) }},
	}
	for _, cl := range calls {
		t.Run("5xx/"+cl.name, func(t *testing.T) {
			e := newEnv(t, sim.Options{Faults: sim.Faults{ErrorRate: 1, Seed: 5}})
			seen := map[int]bool{}
			for range 20 {
				pe, ok := providers.AsError(cl.call(e))
				require.True(t, ok)
				require.True(t, pe.Retryable)
				require.Equal(t, julo.CodeServer, pe.Code)
				require.Contains(t, []int{500, 503}, pe.Status)
				require.Equal(t, pe.Status == 500, pe.Ambiguous, "a POST answered 500 may have committed, 503 did not start")
				seen[pe.Status] = true
			}
			require.Len(t, seen, 2)
			require.Zero(t, e.sim.Registrations())
		})
	}

	t.Run("drop after commit", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{DropAfterCommitRate: 1}})
		_, err := e.client.Register(context.Background(), registration(nik, email))
		pe, ok := providers.AsError(err)
		require.True(t, ok)
		require.Equal(t, providers.CodeConnection, pe.Code)
		require.True(t, pe.Retryable)
		require.True(t, pe.Ambiguous)
		require.Equal(t, 1, e.sim.Registrations(), "committed before the answer was dropped")

		e.sim.SetFaults(sim.Faults{})
		requireRefused(t, e.client.PreRegisterCheck(context.Background(), nik, email), 400, julo.CodeRefused, "NIK already registered")
		cust, err := e.client.Register(context.Background(), registration(nik, email))
		require.NoError(t, err, "the identical repeat recovers the application")
		require.Equal(t, int64(2235427695), cust.ApplicationXID)
		require.Equal(t, 1, e.sim.Registrations())
	})

	t.Run("connection refused", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.srv.Close()
		pe, ok := providers.AsError(e.client.SendOTP(context.Background(), 1, phone))
		require.True(t, ok)
		require.Equal(t, providers.CodeConnection, pe.Code)
		require.True(t, pe.Retryable)
		require.False(t, pe.Ambiguous)
	})

	t.Run("timeout", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{Latency: 300 * time.Millisecond}})
		c, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err := e.client.SendOTP(c, 1, phone)
		pe, ok := providers.AsError(err)
		require.True(t, ok)
		require.Equal(t, providers.CodeTimeout, pe.Code)
		require.True(t, pe.Retryable)
		require.True(t, pe.Ambiguous)
		require.True(t, errors.Is(err, context.DeadlineExceeded))
	})
}

// TestNoDuplicatesUnderFaults registers and completes applications through a caller that retries
// everything retryable, against 30 % injected faults of which half drop the answer after committing.
func TestNoDuplicatesUnderFaults(t *testing.T) {
	const customers = 24
	e := newEnv(t, sim.Options{OTPSeed: 11})
	e.sim.SetFaults(sim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 42})
	c := ctx(t)

	var wg sync.WaitGroup
	errs := make(chan error, customers)
	xids := make(chan int64, customers)
	for i := range customers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			xid, err := apply(c, e, fmt.Sprintf("32030201019%05d", i), fmt.Sprintf("c%d@test.com", i))
			if err != nil {
				errs <- fmt.Errorf("customer %d: %w", i, err)
				return
			}
			xids <- xid
		}()
	}
	wg.Wait()
	close(errs)
	close(xids)
	for err := range errs {
		require.NoError(t, err)
	}
	stats := e.sim.FaultStats()
	require.Positive(t, stats.Drops)
	require.Positive(t, stats.Errors)
	require.Equal(t, customers, e.sim.Registrations(), "one application per customer")
	seen := map[int64]bool{}
	for xid := range xids {
		require.False(t, seen[xid], "application %d returned twice", xid)
		seen[xid] = true
		snap, ok := e.sim.Application(xid)
		require.True(t, ok)
		require.True(t, snap.OTPValidated)
		require.NotNil(t, snap.Data)
		require.Equal(t, "Budi Ismail", snap.Data["fullname"])
	}
	require.Len(t, seen, customers)
}

// apply is the retrying partner. Every step is safe to repeat: an ambiguous registration is recovered
// by repeating it identically (a second, different registration would be refused, not duplicated).
func apply(ctx context.Context, e *env, nik, email string) (int64, error) {
	var xid int64
	err := retry(func() error {
		cust, err := e.client.Register(ctx, registration(nik, email))
		if err == nil {
			xid = cust.ApplicationXID
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, typ := range []julo.ImageType{julo.ImageKTP, julo.ImageSelfie} {
		if err := retry(func() error { return e.client.UploadImage(ctx, xid, typ, jpeg) }); err != nil {
			return xid, err
		}
	}
	if err := retry(func() error { return e.client.SendOTP(ctx, xid, phone) }); err != nil {
		return xid, err
	}
	otp, ok := e.sim.LastOTP(xid) // the customer reads the SMS
	if !ok {
		return xid, errors.New("no OTP sent")
	}
	if err := retry(func() error { return e.client.ValidateOTP(ctx, xid, otp) }); err != nil {
		return xid, err
	}
	return xid, retry(func() error {
		_, err := e.client.CompleteApplication(ctx, xid, applicationData(phone))
		return err
	})
}

func retry(f func() error) error {
	var err error
	for range 200 {
		err = f()
		if err == nil || !providers.IsRetryable(err) {
			return err
		}
	}
	return fmt.Errorf("gave up: %w", err)
}
