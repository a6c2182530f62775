package testkit

import "time"

// Creds is one login.
type Creds struct{ User, Password string }

// The seeded accounts (models.DevAccounts), and the extra partners the
// template adds: Other, a second active partner of Demo's type (post),
// Shop, a partner of another type (shop), and Sleepy, an inactive one.
var (
	Demo         = Creds{"demo", "demo-secret"}
	Other        = Creds{"other", "other-secret"}
	Shop         = Creds{"shop", "shop-secret"}
	Sleepy       = Creds{"sleepy", "sleepy-secret"}
	Underwriter  = Creds{"underwriter", "underwriter-secret"}
	Underwriter2 = Creds{"underwriter2", "underwriter2-secret"}
	Operations   = Creds{"operations", "operations-secret"}
	Admin        = Creds{"admin", "admin-secret"}
)

// Start is where every test's clock, and the workflow's, starts.
var Start = time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)
