// Package hookreceiver is a partner's webhook endpoint for tests: it
// verifies every request as the Standard Webhooks library does, refuses
// the first few that arrive (an endpoint down for a while), and keeps what
// it took, de-duplicated on the webhook-id as a partner would.
//
// It is imported by tests only.
package hookreceiver

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/loanflow/loanflow/models"
)

// Receiver is an http.Handler for a test server.
type Receiver struct {
	mu       sync.Mutex
	secrets  []string // verifying secrets, newest first
	refuse   int      // requests still to refuse
	requests int
	forged   []string
	took     map[string]int // webhook-id → times taken
	taken    []Delivery
}

// Delivery is an event the receiver took the first time it came.
type Delivery struct {
	ID      string
	Payload models.WebhookPayload
	// VerifiedWith is the newest trusted secret its signature verified with.
	VerifiedWith string
}

// New is a receiver that refuses its first refuse requests with a 503.
func New(refuse int) *Receiver { return &Receiver{refuse: refuse, took: map[string]int{}} }

// Trust adds a secret to verify with: the newest first.
func (rc *Receiver) Trust(secret string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.secrets = append([]string{secret}, rc.secrets...)
}

// ServeHTTP refuses a request no trusted secret verifies (400), then the
// first ones (503), and takes the rest (204).
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	id := r.Header.Get(standardwebhooks.HeaderWebhookID)
	verified := ""
	for _, s := range rc.secrets {
		wh, err := standardwebhooks.NewWebhook(s)
		if err == nil && wh.Verify(body, r.Header) == nil {
			verified = s
			break
		}
	}
	if verified == "" {
		rc.forged = append(rc.forged, id)
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	if rc.refuse > 0 {
		rc.refuse--
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	if rc.took[id] == 0 {
		var p models.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.taken = append(rc.taken, Delivery{ID: id, Payload: p, VerifiedWith: verified})
	}
	rc.took[id]++
	w.WriteHeader(http.StatusNoContent)
}

// Taken lists the events taken, in the order they first came.
func (rc *Receiver) Taken() []Delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.taken)
}

// Times is how many times the event was taken.
func (rc *Receiver) Times(id string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.took[id]
}

// Requests is how many requests came, refused ones included.
func (rc *Receiver) Requests() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests
}

// Forged lists the webhook-ids of requests no trusted secret verified.
func (rc *Receiver) Forged() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.forged)
}

// Duplicates lists the webhook-ids taken more than once.
func (rc *Receiver) Duplicates() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for id, n := range rc.took {
		if n > 1 {
			out = append(out, id)
		}
	}
	return out
}

// Lived tells the taken events as a line each: "FROM→TO" for a status
// change, "overdue <bucket>", "paid <kind>", "settled", or the type.
func Lived(ds []Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		e := d.Payload
		switch e.Type {
		case "loan.status_changed":
			out[i] = string(e.Data.From) + "→" + string(e.Data.To)
		case "loan.overdue":
			out[i] = "overdue " + e.Data.DelinquencyBucket
		case "loan.repayment_recorded":
			out[i] = "paid " + string(e.Data.Payment.Kind)
		case "loan.settled":
			out[i] = "settled"
		default:
			out[i] = string(e.Type)
		}
	}
	return out
}
