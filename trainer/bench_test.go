package trainer

import (
	"context"
	"testing"
)

// BenchmarkTrainStep times one training step (gather, forward, backward,
// optimizer) of the three workload shapes: Small is w1, Medium w2, Large w3.
var workers = 0

func BenchmarkTrainStep(b *testing.B) {
	for _, c := range []struct{ name, w string }{{"Small", "w1"}, {"Medium", "w2"}, {"Large", "w3"}} {
		b.Run(c.name, func(b *testing.B) {
			s, data, err := Workload(c.w)
			if err != nil {
				b.Fatal(err)
			}
			r, err := newRunner(s, data, Options{Workers: workers})
			if err != nil {
				b.Fatal(err)
			}
			defer r.model.Close()
			nb := data.Train.N / r.batch
			r.shuffle()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				j := i % nb
				r.step(j*r.batch, (j+1)*r.batch, 1e-3)
			}
			b.ReportMetric(float64(b.N*r.batch)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkRun times whole runs of w1, events and evaluation included.
func BenchmarkRun(b *testing.B) {
	s, data, err := Workload("w1")
	if err != nil {
		b.Fatal(err)
	}
	s.Epochs = 10
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h, err := Run(context.Background(), s, data)
		if err != nil {
			b.Fatal(err)
		}
		for range h.Events {
		}
	}
}
