package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// maxKeyLen bounds idempotency keys and the update IDs built from them.
const maxKeyLen = 255

// keyHeader names the Idempotency-Key header in field errors.
const keyHeader = "Idempotency-Key"

// checkKey validates an Idempotency-Key header value.
func checkKey(key string, errs *failure.FieldErrors) {
	switch {
	case strings.TrimSpace(key) == "":
		errs.Add(keyHeader, "header required")
	case len(key) > maxKeyLen:
		errs.Add(keyHeader, "must be at most %d characters", maxKeyLen)
	case strings.ContainsFunc(key, isControl) || !utf8.ValidString(key):
		errs.Add(keyHeader, "must be printable text")
	}
}

// keyedUpdateID is the Temporal Update ID of an action a caller asked for
// with an idempotency key. Temporal de-duplicates Updates by ID, so a retry
// with the same key joins the first call and answers its result.
//
// The caller's key always lands in its own namespace, action/actor/key,
// each part path-escaped so that none can hold the separator; the IDs
// loanflow chooses itself ("disburse", "doc-12", "otp-0-…", random hex)
// hold no separator at all. So no key a client chooses can equal another
// action's Update ID, another caller's, or one loanflow chose.
func keyedUpdateID(action string, actor lending.Actor, key string) string {
	return url.PathEscape(action) + "/" + url.PathEscape(string(actor)) + "/" + url.PathEscape(key)
}

// randomID is an update ID for a caller that sent no idempotency key:
// every such request is an action of its own.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

// keyed is one keyed action: who asks, for what, on which loan, and the
// request (its canonical JSON is hashed: the same key must come with the
// same request).
type keyed struct {
	actor   lending.Actor
	action  string
	ref     int64
	key     string
	request any
}

// errKeyReused answers a key sent again with another request.
var errKeyReused = &failure.Error{Kind: failure.KindConflict, Type: "idempotency-conflict", Detail: "idempotency key reused with a different request"}

// claim reserves k's key for this request before anything happens. It
// answers whether the key was claimed by this same request before (a
// replay: the caller gets the first answer again) and the claim, whose
// ResourceID create may have set; a key claimed for any other request is
// errKeyReused, however many arrive at once. create runs in the claim's
// transaction.
func (s *Service) claim(ctx context.Context, k keyed, create func(tx *gorm.DB, claim *models.IdempotencyKey) error) (*models.IdempotencyKey, bool, error) {
	var errs failure.FieldErrors
	checkKey(k.key, &errs)
	if err := errs.Err(); err != nil {
		return nil, false, err
	}
	body, err := json.Marshal(k.request)
	if err != nil {
		return nil, false, failure.Unavailable(err)
	}
	sum := sha256.Sum256(body)
	c := &models.IdempotencyKey{
		Actor: k.actor, Key: k.key, Action: k.action, LoanRef: k.ref,
		RequestHash: hex.EncodeToString(sum[:]), CreatedAt: s.now().UTC(),
	}
	var run func(tx *gorm.DB) error
	if create != nil {
		run = func(tx *gorm.DB) error { return create(tx, c) }
	}
	got, claimed, err := s.store.ClaimKey(ctx, c, run)
	switch {
	case err != nil:
		return nil, false, failure.Unavailable(err)
	case claimed:
		return got, false, nil
	case got.Action != c.Action || got.LoanRef != c.LoanRef || got.RequestHash != c.RequestHash:
		return nil, false, errKeyReused
	}
	return got, true, nil
}

// unclaim gives a key back after the action was definitely refused, so the
// caller may use it again once it has fixed the request.
func (s *Service) unclaim(ctx context.Context, c *models.IdempotencyKey) {
	if err := s.store.DB.WithContext(context.WithoutCancel(ctx)).Delete(&models.IdempotencyKey{}, c.ID).Error; err != nil {
		s.log.Error("release idempotency key", "ref", c.LoanRef, "action", c.Action, "error", err)
	}
}
