package models

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/loanflow/loanflow/lending"
)

// subscribe gives the partner an endpoint wanting types.
func subscribe(t *testing.T, s *Store, p *Partner, types ...lending.EventType) {
	t.Helper()
	_, _, err := s.PutWebhookEndpoint(context.Background(),
		WebhookEndpoint{PartnerID: p.ID, URL: "https://hooks.example.com/" + p.Username, Events: JoinEventTypes(types), Secret: "sealed-1"},
		time.Now())
	require.NoError(t, err)
}

// outboxOf lists the partner's events oldest first, with their payloads.
func outboxOf(t *testing.T, s *Store, p *Partner) ([]WebhookEvent, []WebhookPayload) {
	t.Helper()
	evs, _, err := s.WebhookEvents(context.Background(), WebhookEventFilter{PartnerID: p.ID, Limit: 100})
	require.NoError(t, err)
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	out := make([]WebhookPayload, len(evs))
	for i, ev := range evs {
		require.NoError(t, json.Unmarshal([]byte(ev.Payload), &out[i]))
		require.Equal(t, ev.Type, out[i].Type)
		require.Equal(t, WebhookPending, ev.Status)
		require.True(t, strings.HasPrefix(ev.MessageID, "msg_"), ev.MessageID)
		require.WithinDuration(t, ev.CreatedAt.Add(WebhookDeliveryWindow), ev.DeliverUntil, time.Second)
	}
	return evs, out
}

func typesOf(ps []WebhookPayload) []lending.EventType {
	return keys(ps, func(p WebhookPayload) lending.EventType { return p.Type })
}

func TestWebhookEventsAreWrittenWithTheirTransition(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "hooked")
		quiet := createPartner(t, s, "quiet")
		subscribe(t, s, p, lending.EventStatusChanged, lending.EventDocumentRejected)
		l := createLoan(t, s, p, "2000000000020", "40000")
		ql := createLoan(t, s, quiet, "2000000000021", "1000")
		at := time.Date(2026, time.March, 2, 10, 30, 0, 0, time.UTC)

		steps := []Transition{
			{Ref: l.Ref, Seq: 1, Actor: "staff:uw", Action: lending.ActionApprove, From: lending.StatusSubmitted, To: lending.StatusApproved, ReasonCodes: []string{"A1"}, At: at},
			{Ref: l.Ref, Seq: 2, Actor: "partner:hooked", Action: lending.ActionUploadDocument, From: lending.StatusApproved, To: lending.StatusApproved, At: at.Add(time.Minute)},
			{Ref: l.Ref, Seq: 3, Actor: "partner:hooked", Action: lending.ActionSubmitDocuments, From: lending.StatusApproved, To: lending.StatusDocumentsSubmitted, At: at.Add(time.Hour)},
			{Ref: l.Ref, Seq: 4, Actor: "staff:ops", Action: lending.ActionRejectDocuments, From: lending.StatusDocumentsSubmitted, To: lending.StatusApproved, Reason: "blurry", At: at.Add(2 * time.Hour), RejectDocuments: true},
			{Ref: ql.Ref, Seq: 1, Actor: "staff:uw", Action: lending.ActionApprove, From: lending.StatusSubmitted, To: lending.StatusApproved, At: at},
		}
		for _, tr := range steps {
			applied, err := s.ApplyTransition(ctx, tr)
			require.NoError(t, err)
			require.True(t, applied)
		}
		// A retried activity writes no second event.
		applied, err := s.ApplyTransition(ctx, steps[0])
		require.NoError(t, err)
		require.False(t, applied)

		evs, ps := outboxOf(t, s, p)
		// An upload that leaves the status as it is, is no status change.
		require.Equal(t, []lending.EventType{lending.EventStatusChanged, lending.EventStatusChanged, lending.EventStatusChanged, lending.EventDocumentRejected}, typesOf(ps))
		for _, ev := range evs {
			require.Equal(t, l.Ref, ev.LoanRef)
		}
		approved := ps[0].Data
		require.Equal(t, lending.StatusSubmitted, approved.From)
		require.Equal(t, lending.StatusApproved, approved.To)
		require.Equal(t, lending.StatusApproved, approved.Status)
		require.Equal(t, lending.ActionApprove, approved.Action)
		require.Equal(t, []string{"A1"}, approved.ReasonCodes)
		require.True(t, ps[0].Timestamp.Equal(at), "timestamp %s", ps[0].Timestamp)
		require.Equal(t, "40000.00", approved.Amount, "at the currency's scale")
		require.Equal(t, "blurry", ps[3].Data.Reason)
		require.Equal(t, lending.StatusApproved, ps[3].Data.Status)

		// The payload tells the loan, never the applicant: no identity
		// code, name or phone, and money as strings.
		for _, ev := range evs {
			require.NotContains(t, ev.Payload, "2000000000020")
			require.NotContains(t, ev.Payload, "first_name")
			require.NotContains(t, ev.Payload, "phone")
			require.Contains(t, ev.Payload, `"amount":"40000.00"`)
		}

		none, _, err := s.WebhookEvents(ctx, WebhookEventFilter{PartnerID: quiet.ID})
		require.NoError(t, err)
		require.Empty(t, none, "a partner without an endpoint hears nothing")
	})
}

func TestWebhookEventsOfServicingTellMoneyThenDelinquencyThenStatus(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "serviced")
		subscribe(t, s, p, lending.EventTypes...)
		l := activeLoan(t, s, p)
		_, ps := outboxOf(t, s, p)
		require.Equal(t, []lending.EventType{lending.EventStatusChanged}, typesOf(ps), "the pay-out activates the loan")
		require.Equal(t, lending.StatusActive, ps[0].Data.To)

		money := func(repaid string, dpd int, bucket string) LoanMoney {
			return LoanMoney{Repaid: dec(repaid), TotalRepayable: dec("1061.22"), PenaltiesDue: decimal.Zero, Overpaid: decimal.Zero,
				WrittenOff: decimal.Zero, Recovered: decimal.Zero, DaysPastDue: dpd, DelinquencyBucket: bucket}
		}
		at := time.Date(2026, time.May, 20, 9, 0, 0, 0, time.UTC)
		steps := []Servicing{
			// Overdue: into arrears, bucket 1-30.
			{Ref: l.Ref, Seq: 1, Money: money("0", 5, "1-30"), Installments: testSchedule(),
				Transition: &Transition{Ref: l.Ref, Seq: 6, Actor: "system", Action: lending.ActionArrears, From: lending.StatusActive, To: lending.StatusInArrears, At: at}},
			// Still 1-30 a day later: no second loan.overdue.
			{Ref: l.Ref, Seq: 2, Money: money("0", 6, "1-30"), Installments: testSchedule()},
			// Worse: 31-60.
			{Ref: l.Ref, Seq: 3, Money: money("0", 31, "31-60"), Installments: testSchedule()},
			// A part payment: money, then better, still overdue.
			{Ref: l.Ref, Seq: 4, Money: money("100", 12, "1-30"), Installments: testSchedule(),
				Transactions: []Transaction{{Key: "r1", Kind: lending.TxRepayment, Amount: dec("100"), Overpayment: decimal.Zero, ValueDate: date(2026, time.June, 20), CreatedAt: at.Add(time.Hour)}}},
			// Paid off early at the quote: the money, the status, settled.
			{Ref: l.Ref, Seq: 5, Money: money("1061.22", 0, "current"), Installments: testSchedule(),
				Transactions: []Transaction{{Key: "s1", Kind: lending.TxSettlement, Amount: dec("961.22"), Overpayment: decimal.Zero, ValueDate: date(2026, time.June, 21), CreatedAt: at.Add(2 * time.Hour)}},
				Transition:   &Transition{Ref: l.Ref, Seq: 7, Actor: "partner:serviced", Action: lending.ActionSettle, From: lending.StatusInArrears, To: lending.StatusClosed, At: at.Add(2 * time.Hour)}},
		}
		for _, sv := range steps {
			require.NoError(t, s.ApplyServicing(ctx, sv))
		}
		// A retried step, and a late retry of an older one, write nothing.
		require.NoError(t, s.ApplyServicing(ctx, steps[4]))
		require.NoError(t, s.ApplyServicing(ctx, steps[2]))

		_, ps = outboxOf(t, s, p)
		require.Equal(t, []lending.EventType{
			lending.EventStatusChanged,                       // activated
			lending.EventOverdue, lending.EventStatusChanged, // step 1
			lending.EventOverdue,                                 // step 3
			lending.EventRepaymentRecorded, lending.EventOverdue, // step 4
			lending.EventRepaymentRecorded, lending.EventStatusChanged, lending.EventSettled, // step 5
		}, typesOf(ps))

		first := ps[1].Data
		require.Equal(t, 5, *first.DaysPastDue)
		require.Equal(t, "1-30", first.DelinquencyBucket)
		require.Equal(t, "", first.PreviousBucket)
		require.Equal(t, "31-60", ps[3].Data.DelinquencyBucket)
		require.Equal(t, "1-30", ps[3].Data.PreviousBucket)
		require.Equal(t, "31-60", ps[5].Data.PreviousBucket)

		pay := ps[4].Data.Payment
		require.Equal(t, lending.TxRepayment, pay.Kind)
		require.Equal(t, "100.00", pay.Amount)
		require.Equal(t, "2026-06-20", pay.ValueDate)
		require.Equal(t, "r1", pay.Reference)
		require.Equal(t, "100.00", ps[4].Data.Repaid, "the event tells the loan as its step left it")

		require.Equal(t, lending.TxSettlement, ps[6].Data.Payment.Kind)
		require.Equal(t, lending.StatusClosed, ps[7].Data.To)
		settled := ps[8].Data
		require.Equal(t, lending.StatusClosed, settled.Status)
		require.Equal(t, lending.ActionSettle, settled.Action)
		require.Equal(t, "1061.22", settled.Repaid)
	})
}

func TestWebhookSettledIsTheDebtPaidInFull(t *testing.T) {
	for _, tc := range []struct {
		from, to lending.Status
		action   lending.Action
		want     bool
	}{
		{lending.StatusInArrears, lending.StatusClosed, lending.ActionSettle, true},
		{lending.StatusActive, lending.StatusClosed, lending.ActionClose, true},
		{lending.StatusActive, lending.StatusOverpaid, lending.ActionOverpay, true},
		{lending.StatusWrittenOff, lending.StatusClosed, lending.ActionRecover, true},
		{lending.StatusOverpaid, lending.StatusClosed, lending.ActionRefund, false},
		{lending.StatusInArrears, lending.StatusWrittenOff, lending.ActionWriteOff, false},
		{lending.StatusInArrears, lending.StatusActive, lending.ActionCure, false},
	} {
		require.Equal(t, tc.want, settles(Transition{From: tc.from, To: tc.to, Action: tc.action}), "%s → %s", tc.from, tc.to)
	}
}

func TestWebhookEventsFollowTheSubscription(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "picky")
		subscribe(t, s, p, lending.EventRepaymentRecorded)
		l := activeLoan(t, s, p)
		applied, err := s.ApplyRepayment(ctx, Repayment{
			Tx:   Transaction{LoanRef: l.Ref, Key: "r1", Amount: dec("10"), Overpayment: decimal.Zero, ValueDate: date(2026, time.April, 1)},
			Paid: map[int]decimal.Decimal{1: dec("10")}, Repaid: dec("10"),
		})
		require.NoError(t, err)
		require.True(t, applied)
		_, ps := outboxOf(t, s, p)
		require.Equal(t, []lending.EventType{lending.EventRepaymentRecorded}, typesOf(ps), "no status change: not subscribed")
		require.Equal(t, "10.00", ps[0].Data.Repaid)
	})
}

func TestWebhookEndpointLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "lifecycle")
		now := time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)

		ep, created, err := s.PutWebhookEndpoint(ctx, WebhookEndpoint{PartnerID: p.ID, URL: "https://a.example/h", Events: "loan.settled", Secret: "sealed-1"}, now)
		require.NoError(t, err)
		require.True(t, created)
		require.Equal(t, "sealed-1", ep.Secret)

		// An update changes the URL, the events and the exception, never
		// the secret.
		ep, created, err = s.PutWebhookEndpoint(ctx, WebhookEndpoint{PartnerID: p.ID, URL: "https://b.example/h", Events: "loan.overdue", Secret: "sealed-other", AllowPrivate: true}, now.Add(time.Hour))
		require.NoError(t, err)
		require.False(t, created)
		require.Equal(t, "https://b.example/h", ep.URL)
		require.Equal(t, []lending.EventType{lending.EventOverdue}, ep.EventTypes())
		require.Equal(t, "sealed-1", ep.Secret)
		require.True(t, ep.AllowPrivate)

		// A rotation keeps the old secret signing for a while; repeated
		// with its key it changes nothing.
		until := now.Add(24 * time.Hour)
		ep, rotated, err := s.RotateWebhookSecret(ctx, p.ID, "sealed-2", "k1", until, now)
		require.NoError(t, err)
		require.True(t, rotated)
		require.Equal(t, "sealed-2", ep.Secret)
		require.Equal(t, "sealed-1", ep.PreviousSecret)
		require.True(t, ep.PreviousSecretUntil.Equal(until))
		ep, rotated, err = s.RotateWebhookSecret(ctx, p.ID, "sealed-3", "k1", until.Add(time.Hour), now.Add(time.Minute))
		require.NoError(t, err)
		require.False(t, rotated)
		require.Equal(t, "sealed-2", ep.Secret)
		ep, rotated, err = s.RotateWebhookSecret(ctx, p.ID, "sealed-3", "k2", until, now)
		require.NoError(t, err)
		require.True(t, rotated)
		require.Equal(t, "sealed-3", ep.Secret)
		require.Equal(t, "sealed-2", ep.PreviousSecret)
		_, _, err = s.RotateWebhookSecret(ctx, 424242, "x", "k", until, now)
		require.ErrorIs(t, err, ErrNotFound)

		// Attempts: one row per attempt number, even when retried; a 2xx
		// delivers.
		subscribe(t, s, p, lending.EventStatusChanged)
		l := createLoan(t, s, p, "2000000000030", "500")
		_, err = s.ApplyTransition(ctx, Transition{Ref: l.Ref, Seq: 1, Action: lending.ActionApprove, From: lending.StatusSubmitted, To: lending.StatusApproved})
		require.NoError(t, err)
		_, err = s.ApplyTransition(ctx, Transition{Ref: l.Ref, Seq: 2, Action: lending.ActionCancel, From: lending.StatusApproved, To: lending.StatusCancelled})
		require.NoError(t, err)
		pending, err := s.PendingWebhookEvents(ctx, p.ID, 10)
		require.NoError(t, err)
		require.Len(t, pending, 2)
		require.Less(t, pending[0].ID, pending[1].ID, "oldest first")
		who, ok, err := s.LoanHasPendingWebhooks(ctx, l.Ref)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, p.ID, who)
		partners, err := s.PartnersWithPendingWebhooks(ctx)
		require.NoError(t, err)
		require.Equal(t, []uint{p.ID}, partners)

		first := pending[0]
		require.NoError(t, s.RecordWebhookAttempt(ctx, WebhookAttempt{EventID: first.ID, Attempt: 1, At: now, StatusCode: 503, Response: "busy"}, false))
		require.NoError(t, s.RecordWebhookAttempt(ctx, WebhookAttempt{EventID: first.ID, Attempt: 1, At: now, StatusCode: 503, Response: "busy"}, false))
		require.NoError(t, s.RecordWebhookAttempt(ctx, WebhookAttempt{EventID: first.ID, Attempt: 2, At: now.Add(time.Second), StatusCode: 204, DurationMS: 12}, true))
		attempts, err := s.WebhookAttempts(ctx, first.ID)
		require.NoError(t, err)
		require.Equal(t, []int{1, 2}, keys(attempts, func(a WebhookAttempt) int { return a.Attempt }))
		got, err := s.WebhookEvent(ctx, first.ID, p.ID)
		require.NoError(t, err)
		require.Equal(t, WebhookDelivered, got.Status)
		require.Equal(t, 2, got.Attempts)
		require.Equal(t, 204, got.LastStatusCode)
		require.NotNil(t, got.DeliveredAt)
		_, err = s.WebhookEvent(ctx, first.ID, p.ID+1000)
		require.ErrorIs(t, err, ErrNotFound, "another partner's event is not found")

		// Redelivered: pending again with a fresh window, same webhook-id.
		again, err := s.RedeliverWebhookEvent(ctx, first.ID, now.Add(WebhookDeliveryWindow))
		require.NoError(t, err)
		require.Equal(t, WebhookPending, again.Status)
		require.Equal(t, first.MessageID, again.MessageID)
		require.Nil(t, again.DeliveredAt)
		require.Empty(t, again.LastError)
		require.Equal(t, 2, again.Attempts, "its attempts stay in its record")

		// Failed: no longer pending.
		require.NoError(t, s.FailWebhookEvent(ctx, pending[1].ID, "no 2xx in 72h"))
		failed, err := s.WebhookEvent(ctx, pending[1].ID, 0)
		require.NoError(t, err)
		require.Equal(t, WebhookFailed, failed.Status)
		require.Equal(t, "no 2xx in 72h", failed.LastError)
		byStatus, total, err := s.WebhookEvents(ctx, WebhookEventFilter{PartnerID: p.ID, Status: WebhookFailed})
		require.NoError(t, err)
		require.EqualValues(t, 1, total)
		require.Equal(t, pending[1].ID, byStatus[0].ID)

		// Removing the endpoint cancels what is undelivered; a cancelled
		// event cannot be redelivered.
		deleted, err := s.DeleteWebhookEndpoint(ctx, p.ID)
		require.NoError(t, err)
		require.True(t, deleted)
		cancelled, err := s.WebhookEvent(ctx, first.ID, 0)
		require.NoError(t, err)
		require.Equal(t, WebhookCancelled, cancelled.Status)
		_, err = s.RedeliverWebhookEvent(ctx, first.ID, now)
		require.ErrorIs(t, err, ErrConflict)
		_, err = s.RedeliverWebhookEvent(ctx, pending[1].ID, now)
		require.ErrorIs(t, err, ErrConflict, "no endpoint to deliver to")
		_, err = s.RedeliverWebhookEvent(ctx, 424242, now)
		require.ErrorIs(t, err, ErrNotFound)
		deleted, err = s.DeleteWebhookEndpoint(ctx, p.ID)
		require.NoError(t, err)
		require.False(t, deleted)
		partners, err = s.PartnersWithPendingWebhooks(ctx)
		require.NoError(t, err)
		require.Empty(t, partners)
	})
}

// An endpoint deleted while a loan write is under way either waits for
// the write and cancels its events, or is gone before they are written:
// never a pending event with no endpoint to go to.
func TestWebhookEndpointDeletedDuringALoanWrite(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		if s.Dialect() == DialectSQLite {
			t.Skip("SQLite takes one writer at a time: the delete cannot run inside the write")
		}
		ctx := context.Background()
		p := createPartner(t, s, "racer")
		subscribe(t, s, p, lending.EventStatusChanged)
		l := createLoan(t, s, p, "2000000000099", "500")
		approve := Transition{Ref: l.Ref, Seq: 1, Action: lending.ActionApprove, From: lending.StatusSubmitted, To: lending.StatusApproved}
		deleted := make(chan error, 1)
		err := s.DB.Transaction(func(tx *gorm.DB) error {
			if _, err := applyTransition(tx, approve, nil); err != nil {
				return err
			}
			o, err := openOutbox(tx, l.Ref)
			if err != nil {
				return err
			}
			go func() { _, err := s.DeleteWebhookEndpoint(ctx, p.ID); deleted <- err }()
			select {
			case err := <-deleted:
				t.Errorf("the delete did not wait for the loan's write (%v)", err)
			case <-time.After(300 * time.Millisecond):
			}
			return o.transition(approve, tx.NowFunc())
		})
		require.NoError(t, err)
		select {
		case err := <-deleted:
			require.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("the delete never finished")
		}
		evs, _, err := s.WebhookEvents(ctx, WebhookEventFilter{PartnerID: p.ID})
		require.NoError(t, err)
		require.Len(t, evs, 1)
		require.Equal(t, WebhookCancelled, evs[0].Status)
	})
}

func TestNextWebhookEventsAreEachLoansOldest(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "heads")
		other := createPartner(t, s, "others")
		subscribe(t, s, p, lending.EventStatusChanged)
		subscribe(t, s, other, lending.EventStatusChanged)
		a := createLoan(t, s, p, "2000000000040", "500")
		b := createLoan(t, s, p, "2000000000041", "500")
		c := createLoan(t, s, other, "2000000000042", "500")
		step := func(l *Loan, seq int, from, to lending.Status) {
			_, err := s.ApplyTransition(ctx, Transition{Ref: l.Ref, Seq: seq, Action: "step", From: from, To: to})
			require.NoError(t, err)
		}
		step(a, 1, lending.StatusSubmitted, lending.StatusApproved)
		step(b, 1, lending.StatusSubmitted, lending.StatusApproved)
		step(a, 2, lending.StatusApproved, lending.StatusCancelled)
		step(c, 1, lending.StatusSubmitted, lending.StatusApproved)
		step(b, 2, lending.StatusApproved, lending.StatusCancelled)

		all, err := s.PendingWebhookEvents(ctx, p.ID, 10)
		require.NoError(t, err)
		require.Len(t, all, 4)
		ids := func(evs []WebhookEvent) []uint { return keys(evs, func(e WebhookEvent) uint { return e.ID }) }

		next, err := s.NextWebhookEvents(ctx, p.ID, nil, 10)
		require.NoError(t, err)
		require.Equal(t, []uint{all[0].ID, all[1].ID}, ids(next), "a's first, b's first; not a's second")
		next, err = s.NextWebhookEvents(ctx, p.ID, nil, 1)
		require.NoError(t, err)
		require.Equal(t, []uint{all[0].ID}, ids(next))
		next, err = s.NextWebhookEvents(ctx, p.ID, []int64{a.Ref}, 10)
		require.NoError(t, err)
		require.Equal(t, []uint{all[1].ID}, ids(next), "a is busy")

		require.NoError(t, s.RecordWebhookAttempt(ctx, WebhookAttempt{EventID: all[0].ID, Attempt: 1, At: time.Now(), StatusCode: 200}, true))
		next, err = s.NextWebhookEvents(ctx, p.ID, nil, 10)
		require.NoError(t, err)
		require.Equal(t, []uint{all[1].ID, all[2].ID}, ids(next), "a's second is its oldest now")
		next, err = s.NextWebhookEvents(ctx, p.ID, []int64{a.Ref, b.Ref}, 10)
		require.NoError(t, err)
		require.Empty(t, next)
	})
}
