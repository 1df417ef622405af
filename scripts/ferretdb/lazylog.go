package main

import (
	"context"
	"log/slog"
	"slices"
)

// lazyAttrs defers the formatting of attributes added with Logger.With until a record is actually written.
// FerretDB 1.24 calls `l.With(slog.Any("args", args)).DebugContext(...)` twice around every SQL statement it
// runs in a transaction, and slog's text handler formats attributes in WithAttrs, whatever the level: each
// insert quoted its documents' whole JSON twice (14% of the database's CPU during an export, whose chunks are
// 255 KB each), only for the debug lines to be dropped.
type lazyAttrs struct {
	inner slog.Handler
	attrs []slog.Attr
}

func (h *lazyAttrs) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyAttrs) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &lazyAttrs{inner: h.inner, attrs: append(slices.Clip(h.attrs), attrs...)}
}

// WithGroup applies the pending attributes first, so they stay outside the group as slog specifies.
func (h *lazyAttrs) WithGroup(name string) slog.Handler {
	return &lazyAttrs{inner: h.resolved().WithGroup(name)}
}

func (h *lazyAttrs) Handle(ctx context.Context, r slog.Record) error {
	return h.resolved().Handle(ctx, r)
}

func (h *lazyAttrs) resolved() slog.Handler {
	if len(h.attrs) == 0 {
		return h.inner
	}
	return h.inner.WithAttrs(h.attrs)
}
