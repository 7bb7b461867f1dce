package sessions

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkFencedEpochWrites is BenchmarkConcurrentEpochWrites for the
// trials of a distributed sweep: each epoch write also checks its
// attempt's fence (PostgreSQL only):
//
//	WORKBENCH_TEST_PG=… go test ./sessions -run - -bench FencedEpochWrites -benchtime 2000x
func BenchmarkFencedEpochWrites(b *testing.B) {
	for _, trials := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("trials=%d", trials), func(b *testing.B) {
			url := pgURL(b)
			s, err := Open(url)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			distributedSweep(b, url, "sw", trials)
			for i := range trials {
				tr, _, err := s.BeginAttempt(ctx, "sw", i)
				if err != nil {
					b.Fatal(err)
				}
				r := &Run{ID: fmt.Sprintf("bench-%d", i), Status: "running", Spec: testSpec(1), Dataset: "spiral", Task: "binary", Created: time.Now(),
					SweepID: "sw", Attempt: &Attempt{SweepID: "sw", Trial: i, Number: tr.Attempt}}
				if err := s.CreateRun(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i := range trials {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id := fmt.Sprintf("bench-%d", i)
					for e := 1; e <= b.N/trials; e++ {
						ep := Epoch{Epoch: e, LR: 0.01, Train: Metrics{"loss": 1 / float64(e), "accuracy": 0.5},
							Val: Metrics{"loss": 1 / float64(e), "accuracy": 0.5}}
						if err := s.AppendEpoch(ctx, id, ep); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N/trials*trials)/time.Since(start).Seconds(), "epochs/s")
		})
	}
}
