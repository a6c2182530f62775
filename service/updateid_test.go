package service

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

// TestKeyedUpdateIDsNeverCollide: whatever keys callers choose, a keyed
// Update ID never equals an ID loanflow chooses itself, nor one of another
// action or caller. Keys are drawn to look like IDs: separators, escapes,
// fixed IDs, other namespaces.
func TestKeyedUpdateIDsNeverCollide(t *testing.T) {
	actions := []string{workflows.UpdateApprove, workflows.UpdateReject, workflows.UpdateCancel, workflows.UpdateRepay,
		workflows.UpdateRejectDocuments, workflows.UpdateAuthorizeCashRelease, workflows.UpdateConfirmDisbursement,
		workflows.UpdateSubmitDocument, workflows.UpdateSubmitOTP + "-0", workflows.UpdateSubmitOTP + "-1"}
	actors := []lending.Actor{"partner:demo", "partner:demo/x", "staff:operations", "staff:ops%2F", "staff:underwriter"}
	fixed := []string{"cancel", "reject", "disburse", "doc-1", "doc-12", "otp-0-3f2a", randomID(), "repay-pay-1", "approve-underwriter"}
	pieces := []string{"", "/", "%2F", "%", "pay-1", "repay", "disburse", "doc-1", "staff:operations", "partner:demo", "a/b", "%252F", ":", "-"}
	rng := rand.New(rand.NewPCG(1, 2))
	randomKey := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if b.Len() == 0 {
			return "k"
		}
		return b.String()
	}
	keys := append([]string{}, fixed...)
	for range 300 {
		keys = append(keys, randomKey())
	}
	type origin struct {
		action string
		actor  lending.Actor
		key    string
	}
	seen := map[string]origin{}
	for _, f := range fixed {
		seen[f] = origin{key: "fixed:" + f}
	}
	for _, action := range actions {
		for _, actor := range actors {
			for _, key := range keys {
				id := keyedUpdateID(action, actor, key)
				o := origin{action, actor, key}
				if prev, ok := seen[id]; ok {
					require.Equal(t, prev, o, "Update ID %q is claimed twice", id)
				}
				seen[id] = o
			}
		}
	}
}
