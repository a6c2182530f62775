//go:build unix

package devstack

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// dataDirLock holds an exclusive flock on <DataDir>/temporal.lock while a
// server runs. Two servers on one file would fight over the history shard and
// each would treat the other's members as stale; the kernel drops the lock
// when the process dies, so a kill -9 never leaves the directory locked.
type dataDirLock struct {
	f *os.File
}

func lockDataDir(path string) (*dataDirLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("devstack: lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("devstack: %s is held by another running dev server", path)
		}
		return nil, fmt.Errorf("devstack: lock %s: %w", path, err)
	}
	return &dataDirLock{f: f}, nil
}

// release does nothing on a nil lock, the one a server without a data dir
// holds.
func (l *dataDirLock) release() {
	if l == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}
