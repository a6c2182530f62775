package providertest

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Log keeps a log (a client's debug log, a server's request log) for a test to read; it is safe for
// the goroutines that write it meanwhile.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Logger writes every record, debug ones included, to l.
func (l *Log) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// RequireMasked checks the log shows each of shown and none of hidden (personal data, secrets).
func (l *Log) RequireMasked(t testing.TB, shown, hidden []string) {
	t.Helper()
	logged := l.String()
	for _, s := range shown {
		require.Contains(t, logged, s)
	}
	for _, s := range hidden {
		require.NotContains(t, logged, s)
	}
}
