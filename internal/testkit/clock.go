package testkit

import "github.com/loanflow/loanflow/internal/testclock"

// Clock is the one settable clock of a test: the service, the console and
// the test read it. The workflow's clock is the test environment's, which
// stays at Start while a test runs (see Engine).
type Clock = testclock.Clock
