package sessions

import (
	"context"
	"fmt"
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
			appendConcurrently(b, s, trials)
		})
	}
}
