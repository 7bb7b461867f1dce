package sessions

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkConcurrentEpochWrites measures epoch writes per second into
// each backend from N trials writing at once, one epoch per transaction
// (the recorder's batch when the store keeps up):
//
//	WORKBENCH_TEST_PG=… go test ./sessions -run - -bench ConcurrentEpochWrites -benchtime 2000x
func BenchmarkConcurrentEpochWrites(b *testing.B) {
	for _, be := range backends {
		for _, trials := range []int{1, 4, 16} {
			b.Run(fmt.Sprintf("%s/trials=%d", be.name, trials), func(b *testing.B) {
				s := be.open(b)
				ctx := context.Background()
				spec := testSpec(1)
				for i := range trials {
					r := &Run{ID: fmt.Sprintf("bench-%d", i), Status: "running", Spec: spec, Dataset: "spiral", Task: "binary", Created: time.Now()}
					if err := s.CreateRun(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
				appendConcurrently(b, s, trials)
			})
		}
	}
}

// appendConcurrently times b.N epochs appended by trials writers at once,
// one per run bench-0 … bench-(trials-1), and reports epochs/s.
func appendConcurrently(b *testing.B, s Store, trials int) {
	ctx := context.Background()
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
}
