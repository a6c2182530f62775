package julo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/julo"
	"github.com/loanflow/loanflow/providers/julo/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

func TestFaultClassification(t *testing.T) {
	providertest.RequireFaultsClassified(t, julo.CodeServer, func(t *testing.T) providertest.Simulated {
		e := newEnv(t, sim.Options{})
		return providertest.Simulated{SetFaults: e.sim.SetFaults, Close: e.srv.Close,
			Write: func(ctx context.Context) error {
				_, err := e.client.Register(ctx, registration(nik, email))
				return err
			},
			Records: e.sim.Registrations}
	})
}

// TestDroppedRegistrationIsRepeated: a registration whose answer was dropped is recovered by repeating
// it identically; a check before it would wrongly report the customer as taken.
func TestDroppedRegistrationIsRepeated(t *testing.T) {
	e := newEnv(t, sim.Options{Faults: sim.Faults{DropAfterCommitRate: 1}})
	_, err := e.client.Register(context.Background(), registration(nik, email))
	require.True(t, providers.IsAmbiguous(err), "%v", err)
	require.Equal(t, 1, e.sim.Registrations(), "committed before the answer was dropped")

	e.sim.SetFaults(sim.Faults{})
	providertest.RequireRefused(t, e.client.PreRegisterCheck(context.Background(), nik, email), 400, julo.CodeRefused, "NIK already registered")
	cust, err := e.client.Register(context.Background(), registration(nik, email))
	require.NoError(t, err, "the identical repeat recovers the application")
	require.Equal(t, int64(2235427695), cust.ApplicationXID)
	require.Equal(t, 1, e.sim.Registrations())
}

// TestNoDuplicatesUnderFaults registers and completes applications through a caller that retries
// everything retryable, against 30 % injected faults of which half drop the answer after committing.
func TestNoDuplicatesUnderFaults(t *testing.T) {
	const customers = 24
	e := newEnv(t, sim.Options{OTPSeed: 11})
	c := ctx(t)
	xids := make([]int64, customers)
	providertest.BookUnderFaults(t, e.sim.SetFaults, 42, customers, func(rt *providertest.Retrier, i int) (err error) {
		xids[i], err = apply(c, rt, e, fmt.Sprintf("32030201019%05d", i), fmt.Sprintf("c%d@test.com", i))
		return err
	})
	stats := e.sim.FaultStats()
	require.Positive(t, stats.Drops)
	require.Positive(t, stats.Errors)
	require.Equal(t, customers, e.sim.Registrations(), "one application per customer")
	seen := map[int64]bool{}
	for _, xid := range xids {
		require.False(t, seen[xid], "application %d returned twice", xid)
		seen[xid] = true
		snap, ok := e.sim.Application(xid)
		require.True(t, ok)
		require.True(t, snap.OTPValidated)
		require.NotNil(t, snap.Data)
		require.Equal(t, "Budi Ismail", snap.Data["fullname"])
	}
}

// apply is the retrying partner, each step retried by rt. Every step is safe to repeat: an ambiguous
// registration is recovered by repeating it identically (a second, different registration would be
// refused, not duplicated).
func apply(ctx context.Context, rt *providertest.Retrier, e *env, nik, email string) (int64, error) {
	var xid int64
	err := rt.Do(nik+" register", func() error {
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
		if err := rt.Do(nik+" image", func() error { return e.client.UploadImage(ctx, xid, typ, jpeg) }); err != nil {
			return xid, err
		}
	}
	if err := rt.Do(nik+" send OTP", func() error { return e.client.SendOTP(ctx, xid, phone) }); err != nil {
		return xid, err
	}
	otp, ok := e.sim.LastOTP(xid) // the customer reads the SMS
	if !ok {
		return xid, errors.New("no OTP sent")
	}
	if err := rt.Do(nik+" validate OTP", func() error { return e.client.ValidateOTP(ctx, xid, otp) }); err != nil {
		return xid, err
	}
	return xid, rt.Do(nik+" complete", func() error {
		_, err := e.client.CompleteApplication(ctx, xid, applicationData(phone))
		return err
	})
}
