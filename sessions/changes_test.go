package sessions

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"workbench/trainer"
)

// sameStore opens n more handles on the store a backend opens: separate
// connections, as separate processes or machines have.
func sameStore(t *testing.T, be backend, n int) []*SQLite {
	t.Helper()
	var where string
	if be.name == "postgres" {
		where = pgURL(t)
	} else {
		where = filepath.Join(t.TempDir(), "shared.db")
	}
	out := make([]*SQLite, n)
	for i := range out {
		s, err := Open(where)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out
}

// reader keeps a list up to date as an incremental reader does (the app's
// Runs screen): a complete listing, then only what changed.
type reader struct {
	s     *SQLite
	seq   int64
	names map[string]string
}

func newReader(t *testing.T, s *SQLite) *reader {
	ctx := context.Background()
	seq, err := s.ChangeSeq(ctx) // before the listing, as documented
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.ListSummaries(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	r := &reader{s: s, seq: seq, names: map[string]string{}}
	for _, run := range runs {
		r.names[run.ID] = run.Name
	}
	return r
}

func (r *reader) poll(t *testing.T) *Changes {
	c, err := r.s.ListChangedSince(context.Background(), Query{}, r.seq)
	if err != nil {
		t.Error(err)
		return &Changes{Seq: r.seq}
	}
	for _, id := range c.Changed {
		delete(r.names, id)
	}
	for _, run := range c.Runs {
		r.names[run.ID] = run.Name
	}
	r.seq = c.Seq
	return c
}

func addRun(t *testing.T, s *SQLite, id string) {
	t.Helper()
	if err := s.CreateRun(context.Background(), &Run{ID: id, Name: id, Status: trainer.StatusDone, Spec: testSpec(1), Created: time.Now(), Metrics: Metrics{}}); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentWritersLoseNoChange: writers on their own connections
// rename, create and delete runs while a reader polls for changes; after
// they stop, one more poll leaves the reader's list equal to a complete
// listing.
func TestConcurrentWritersLoseNoChange(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		const writers, steps = 4, 40
		stores := sameStore(t, be, writers+1)
		for w := range writers {
			for i := range 3 {
				addRun(t, stores[0], fmt.Sprintf("w%d-%d", w, i))
			}
		}
		rd := newReader(t, stores[writers])
		ctx := context.Background()
		var wg sync.WaitGroup
		done := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func(s *SQLite) {
				defer wg.Done()
				for i := range steps {
					id := fmt.Sprintf("w%d-%d", w, i%3)
					name := fmt.Sprintf("w%d step %d", w, i)
					var err error
					switch i % 10 {
					case 7:
						err = s.DeleteRuns(ctx, fmt.Sprintf("w%d-new%d", w, i-1))
					case 6:
						err = s.CreateRun(ctx, &Run{ID: fmt.Sprintf("w%d-new%d", w, i), Name: name, Status: trainer.StatusDone,
							Spec: testSpec(1), Created: time.Now(), Metrics: Metrics{}})
					default:
						err = s.UpdateRun(ctx, id, Patch{Name: &name})
					}
					if err != nil {
						t.Error(err)
						return
					}
				}
			}(stores[w])
		}
		go func() { wg.Wait(); close(done) }()
		polls := 0
		for running := true; running; polls++ {
			select {
			case <-done:
				running = false
			default:
			}
			rd.poll(t)
		}
		rd.poll(t)
		want := newReader(t, stores[0]).names
		if len(rd.names) != len(want) {
			t.Fatalf("after %d polls the reader has %d runs, the store %d", polls, len(rd.names), len(want))
		}
		for id, name := range want {
			if rd.names[id] != name {
				t.Errorf("after %d polls, run %s: the reader has %q, the store %q", polls, id, rd.names[id], name)
			}
		}
	})
}

// TestPostgresWritersDoNotWaitAndLateCommitsArrive: on PostgreSQL a write
// does not wait for another machine's open transaction (the change_seq
// row made it wait), and a change whose transaction began first but
// committed last still reaches a reader that has polled in between (a
// reader that resumed after the largest number it saw would miss it).
func TestPostgresWritersDoNotWaitAndLateCommitsArrive(t *testing.T) {
	stores := sameStore(t, backend{name: "postgres"}, 3)
	a, b, rdStore := stores[0], stores[1], stores[2]
	addRun(t, a, "slow")
	addRun(t, a, "fast")
	rd := newReader(t, rdStore)
	ctx := context.Background()
	tx, err := a.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE runs SET name = ? WHERE id = ?", "slow, committed last", "slow"); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	name := "fast, committed first"
	if err := b.UpdateRun(wctx, "fast", Patch{Name: &name}); err != nil {
		t.Fatalf("a write waited for another's open transaction: %v", err)
	}
	rd.poll(t)
	if rd.names["fast"] != name || rd.names["slow"] != "slow" {
		t.Fatalf("before the slow commit the reader has %v", rd.names)
	}
	before := rd.seq
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// A handle that never returned before knows only its xmin, and reads
	// from there.
	c, err := b.ListChangedSince(ctx, Query{}, before)
	if err != nil || !slices.Contains(c.Changed, "slow") {
		t.Fatalf("another handle from the same sequence: %v, %v", c, err)
	}
	rd.poll(t)
	if rd.names["slow"] != "slow, committed last" || rd.names["fast"] != name {
		t.Fatalf("the late commit was lost: the reader has %v", rd.names)
	}
	// The snapshot behind the reader's sequence saw both commits: a poll
	// returns neither again, whatever else runs on the server.
	if c := rd.poll(t); len(c.Changed) != 0 {
		t.Errorf("an idle store still returns %v", c.Changed)
	}
}
