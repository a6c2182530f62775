package devstack

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLogger adapts an slog.Logger to the Temporal server's logger. The
// server is chatty at info level (shard, membership and task queue churn), so
// only warnings and errors reach the developer's console, and none once Stop
// has begun: while services go down one by one the rest log dozens of
// "not enough hosts" and failed-poll errors that mean nothing.
type serverLogger struct {
	log      *slog.Logger
	stopping *atomic.Bool
}

// nexusHTTPWarning is logged on every start: it asks for the frontend HTTP
// API, which loanflow does not use.
const nexusHTTPWarning = "HTTP API port has not been set. Nexus HTTP endpoints will not be available. To enable Nexus, follow these instructions: https://github.com/temporalio/temporal/blob/main/docs/architecture/nexus.md#enabling-nexus."

// frontendStarting is the error the server's own system worker gets while it
// races the frontend at startup; it retries, and if the frontend never turns
// healthy Start fails and says so.
const frontendStarting = "Frontend is not healthy yet"

// benign reports the messages a correctly working dev server logs anyway.
func benign(msg string, tags []tag.Tag) bool {
	if msg == nexusHTTPWarning {
		return true
	}
	for _, t := range tags {
		if t.Key() == "error" && strings.Contains(fmt.Sprint(t.Value()), frontendStarting) {
			return true
		}
	}
	return false
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

// Panic and Fatal are written even while stopping: they end the process or
// goroutine, and a silent exit would be impossible to diagnose.
func (l serverLogger) Panic(msg string, tags ...tag.Tag) {
	l.write(slog.LevelError, msg, tags)
	panic(msg)
}

// Fatal must not return: the server calls it when it cannot go on (for
// example when it cannot join its own membership ring) and does not expect to
// run the next line.
func (l serverLogger) Fatal(msg string, tags ...tag.Tag) {
	l.write(slog.LevelError, msg, tags)
	os.Exit(1)
}

func (l serverLogger) With(tags ...tag.Tag) log.Logger {
	return serverLogger{log: l.log.With(tagArgs(tags)...), stopping: l.stopping}
}

func (l serverLogger) emit(level slog.Level, msg string, tags []tag.Tag) {
	if l.stopping.Load() || benign(msg, tags) {
		return
	}
	l.write(level, msg, tags)
}

func (l serverLogger) write(level slog.Level, msg string, tags []tag.Tag) {
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
