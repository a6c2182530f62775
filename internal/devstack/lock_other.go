//go:build !unix

package devstack

// dataDirLock is a no-op where flock is unavailable: there, running two dev
// servers on one data dir is not detected, and the second one's membership
// reset (forgetMembers) breaks the first.
type dataDirLock struct{}

func lockDataDir(string) (*dataDirLock, error) { return &dataDirLock{}, nil }

func (*dataDirLock) release() {}
