package datasets

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// benchCSV is a numeric CSV of rows×10 features with 6 decimals and a
// class target, about 80 bytes a row.
func benchCSV(rows int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,y\n")
	for i := 0; i < rows; i++ {
		for j := 0; j < 10; j++ {
			fmt.Fprintf(&b, "%.6f,", rng.NormFloat64())
		}
		fmt.Fprintf(&b, "%d\n", rng.IntN(3))
	}
	return b.Bytes()
}

// peakHeap samples the heap's object bytes (live and not yet collected)
// while f runs and returns the largest value above the level before it.
func peakHeap(f func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			mu.Lock()
			peak = max(peak, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
	}()
	f()
	metrics.Read(s)
	close(done)
	wg.Wait()
	peak = max(peak, s[0].Value.Uint64())
	if peak < base {
		return 0
	}
	return peak - base
}

// BenchmarkLoadCSV loads numeric CSVs of 1 MB and 16 MB and reports the
// peak heap per MB of file (goal: at most 2).
func BenchmarkLoadCSV(b *testing.B) {
	for _, rows := range []int{12_500, 200_000} {
		src := benchCSV(rows)
		mb := float64(len(src)) / (1 << 20)
		b.Run(fmt.Sprintf("%.0fMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			var worst uint64
			for b.Loop() {
				var t *Table
				p := peakHeap(func() {
					var err error
					if t, err = Load(bytes.NewReader(src), CSVOptions{Name: "bench.csv"}); err != nil {
						b.Fatal(err)
					}
				})
				if t.N != rows || t.D != 10 {
					b.Fatalf("%d×%d", t.N, t.D)
				}
				worst = max(worst, p)
			}
			b.ReportMetric(float64(worst)/(1<<20)/mb, "peakMB/MB")
		})
	}
}
