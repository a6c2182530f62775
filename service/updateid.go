package service

import (
	"net/url"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
)

// keyedUpdateID is the Temporal Update ID of an action a caller asked for
// with an idempotency key (or, without one, a fresh random key: then every
// request is an action of its own). Temporal de-duplicates Updates by ID,
// so a retry with the same key joins the first call and answers its result.
//
// The caller's key always lands in its own namespace, action/actor/key,
// each part path-escaped so that none can hold the separator; the IDs
// loanflow fixes itself ("disburse", "doc-12") hold no separator at all. So
// no key a client chooses can equal another action's Update ID, another
// caller's, or a fixed one.
func keyedUpdateID(action string, actor lending.Actor, key string) (string, error) {
	if key == "" {
		key = randomID()
	} else {
		var errs failure.FieldErrors
		checkKey(key, &errs)
		if err := errs.Err(); err != nil {
			return "", err
		}
	}
	return url.PathEscape(action) + "/" + url.PathEscape(string(actor)) + "/" + url.PathEscape(key), nil
}
