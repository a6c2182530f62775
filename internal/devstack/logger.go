package devstack

import (
	"context"
	"log/slog"
	"os"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLogger adapts an slog.Logger to the Temporal server's logger. The
// server is chatty at info level (shard, membership and task queue churn), so
// only warnings and errors reach the developer's console.
type serverLogger struct {
	log *slog.Logger
}

var _ log.Logger = serverLogger{}
var _ log.WithLogger = serverLogger{}

func (l serverLogger) Debug(string, ...tag.Tag) {}
func (l serverLogger) Info(string, ...tag.Tag)  {}

func (l serverLogger) Warn(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelWarn, msg, tags)
}

func (l serverLogger) Error(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
}

// DPanic panics only in the server's development builds; a released server
// treats it as an error, and so do we.
func (l serverLogger) DPanic(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
}

func (l serverLogger) Panic(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
	panic(msg)
}

// Fatal must not return: the server calls it when it cannot go on (for
// example when it cannot join its own membership ring) and does not expect to
// run the next line.
func (l serverLogger) Fatal(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
	os.Exit(1)
}

func (l serverLogger) With(tags ...tag.Tag) log.Logger {
	return serverLogger{log: l.log.With(tagArgs(tags)...)}
}

func (l serverLogger) emit(level slog.Level, msg string, tags []tag.Tag) {
	l.log.Log(context.Background(), level, msg, tagArgs(tags)...)
}

func tagArgs(tags []tag.Tag) []any {
	args := make([]any, 0, len(tags))
	for _, t := range tags {
		args = append(args, slog.Any(t.Key(), t.Value()))
	}
	return args
}

// clientLogger quiets the SDK client devstack uses for its own setup calls the
// same way: its info lines (connection state) are noise in `loanflow dev`.
type clientLogger struct {
	log *slog.Logger
}

func (l clientLogger) Debug(string, ...any)             {}
func (l clientLogger) Info(string, ...any)              {}
func (l clientLogger) Warn(msg string, keyvals ...any)  { l.log.Warn(msg, keyvals...) }
func (l clientLogger) Error(msg string, keyvals ...any) { l.log.Error(msg, keyvals...) }
