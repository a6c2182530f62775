// Package logging builds the process's structured logger from
// LOANFLOW_LOG_LEVEL and LOANFLOW_LOG_FORMAT, and carries a request's id in
// its context so that every line logged with that context names it.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// New is a logger writing to w at level ("debug", "info", "warn", "error")
// in format ("text" or "json"); empty strings mean info and text.
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	if level == "" {
		level = "info"
	}
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("LOANFLOW_LOG_LEVEL: want debug, info, warn or error, got %q", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler
	switch strings.ToLower(format) {
	case "", "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("LOANFLOW_LOG_FORMAT: want text or json, got %q", format)
	}
	return slog.New(requestIDHandler{h}), nil
}

type requestIDKey struct{}

// WithRequestID is ctx carrying a request's id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestIDHandler adds request_id to every record logged with a context
// that carries one (logger.InfoContext(ctx, …) and the like).
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
