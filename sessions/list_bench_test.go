package sessions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// benchStores holds one store per size for the sub-benchmarks of one
// benchmark, in the benchmark's temporary directory.
type benchStores struct {
	parent *testing.B
	mu     sync.Mutex
	stores map[int]*SQLite
}

// get returns a store of n runs: one recorded run cloned in SQL, with
// names, datasets and metrics spread out (as scripts/make-store.sh).
func (bs *benchStores) get(b *testing.B, n int) *SQLite {
	b.Helper()
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if s, ok := bs.stores[n]; ok {
		return s
	}
	s, err := Open(filepath.Join(bs.parent.TempDir(), fmt.Sprintf("bench%d.db", n)))
	if err != nil {
		b.Fatal(err)
	}
	spec := testSpec(5)
	spec.Data.Scale = "standard"
	id := recordRun(b, s, spec)
	const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?) `
	tx, _ := s.w.Begin()
	for _, q := range []string{
		series + `INSERT INTO runs (id, name, status, reason, dataset, task, summary, optimizer, lr, params, data_hash,
			tags, notes, created_at, finished_at, heartbeat_at, epochs_done, epochs_total, best_epoch, monitor,
			duration_ns, samples_per_s, metrics, key_metrics)
			SELECT printf('r%07d', i), printf('run %d', i), status, reason,
			json_extract('["digits","iris","spiral","moons","wine"]', printf('$[%d]', (i * 7) % 5)), task, summary, optimizer,
			lr, params, data_hash, tags, notes, created_at + i * 60000000000, finished_at, heartbeat_at, epochs_done,
			epochs_total, best_epoch, monitor, duration_ns, samples_per_s, metrics, key_metrics
			FROM n, runs t WHERE t.id = ?`,
		series + `INSERT INTO run_data (run_id, spec, scaler, features, classes)
			SELECT printf('r%07d', i), spec, scaler, features, classes FROM n, run_data WHERE run_id = ?`,
		series + `INSERT INTO run_metrics (run_id, key, value, nonfinite)
			SELECT printf('r%07d', i), m.key, m.value * (0.5 + ((i * 7919) % 1000) / 2000.0), m.nonfinite
			FROM n, run_metrics m WHERE m.run_id = ?`,
	} {
		if _, err := tx.Exec(q, n-1, id); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	bs.parent.Cleanup(func() { s.Close() })
	bs.stores[n] = s
	return s
}

// BenchmarkList lists every run of a store of 1,000 and 10,000 runs (and
// 100,000 with WB_BENCH_100K=1), as `runs list` and the app's Runs screen
// do: summaries newest first, sorted by a metric, and filtered.
func BenchmarkList(b *testing.B) {
	sizes := []int{1000, 10000}
	if os.Getenv("WB_BENCH_100K") != "" {
		sizes = append(sizes, 100000)
	}
	ctx := context.Background()
	bs := &benchStores{parent: b, stores: map[int]*SQLite{}}
	benchStore := bs.get
	for _, n := range sizes {
		for _, c := range []struct {
			name string
			q    Query
			want int
		}{
			{"newest", Query{}, n},
			{"by-metric", Query{Sort: "-val_accuracy"}, n},
			{"filtered", Query{Dataset: "iris", Sort: "name"}, n / 5},
		} {
			b.Run(fmt.Sprintf("runs=%d/%s", n, c.name), func(b *testing.B) {
				s := benchStore(b, n)
				b.ReportAllocs()
				for b.Loop() {
					runs, err := s.ListSummaries(ctx, c.q)
					if err != nil || len(runs) < c.want*9/10 || len(runs) > c.want*11/10 {
						b.Fatal(len(runs), err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("runs=%d/newest-each", n), func(b *testing.B) {
			// As runs list reads them: one *Run refilled.
			s := benchStore(b, n)
			b.ReportAllocs()
			for b.Loop() {
				got := 0
				if err := s.EachSummary(ctx, Query{}, func(*Run) error { got++; return nil }); err != nil || got != n {
					b.Fatal(got, err)
				}
			}
		})
		b.Run(fmt.Sprintf("runs=%d/full-rows", n), func(b *testing.B) {
			s := benchStore(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if runs, err := s.ListRuns(ctx, Query{}); err != nil || len(runs) != n {
					b.Fatal(len(runs), err)
				}
			}
		})
		b.Run(fmt.Sprintf("runs=%d/unchanged", n), func(b *testing.B) {
			s := benchStore(b, n)
			seq, _ := s.ChangeSeq(ctx)
			b.ReportAllocs()
			for b.Loop() {
				if c, err := s.ListChangedSince(ctx, Query{}, seq); err != nil || len(c.Runs) != 0 {
					b.Fatal(err)
				}
			}
		})
	}
}
