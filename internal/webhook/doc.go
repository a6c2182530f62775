// Package webhook is how loanflow speaks to its partners' webhook
// endpoints: the signing secrets (made, sealed at rest, rotated), the
// Standard Webhooks signature headers, and the HTTP sender that refuses
// what an endpoint must not be (plain http outside dev, private and
// loopback addresses unless an admin allows them, redirects).
package webhook
