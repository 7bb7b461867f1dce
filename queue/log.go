package queue

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// quietEvery is how long a message of River's stays quiet after it is
// logged: while the store is down River retries several times a second,
// and the worker's own line already names the host it cannot reach.
const quietEvery = 30 * time.Second

// quietLogger is River's logger: warnings and errors only, on w, each
// message at most once per quietEvery.
func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(&quietHandler{h: slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}), seen: &seenMsgs{m: map[string]time.Time{}}})
}

type seenMsgs struct {
	mu sync.Mutex
	m  map[string]time.Time
}

// quietHandler drops a record whose message was handled less than
// quietEvery ago. It is safe for concurrent use.
type quietHandler struct {
	h    slog.Handler
	seen *seenMsgs
}

func (q *quietHandler) Enabled(ctx context.Context, l slog.Level) bool { return q.h.Enabled(ctx, l) }

func (q *quietHandler) Handle(ctx context.Context, r slog.Record) error {
	q.seen.mu.Lock()
	last, ok := q.seen.m[r.Message]
	if ok && r.Time.Sub(last) < quietEvery {
		q.seen.mu.Unlock()
		return nil
	}
	q.seen.m[r.Message] = r.Time
	q.seen.mu.Unlock()
	return q.h.Handle(ctx, r)
}

func (q *quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &quietHandler{h: q.h.WithAttrs(as), seen: q.seen}
}

func (q *quietHandler) WithGroup(name string) slog.Handler {
	return &quietHandler{h: q.h.WithGroup(name), seen: q.seen}
}
