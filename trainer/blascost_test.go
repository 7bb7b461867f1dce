package trainer

import "testing"

// BenchmarkBLASPath times w1's step with the trainer's kernels called
// directly and through blas.Float64 (Kernels plugged in with UseBLAS), to
// measure what the interface path costs on tiny products.
func BenchmarkBLASPath(b *testing.B) {
	s, data, err := Workload("w1")
	if err != nil {
		b.Fatal(err)
	}
	k := NewKernels(1)
	defer k.Close()
	for _, c := range []struct {
		name string
		use  bool
	}{{"direct", false}, {"blas", true}, {"direct", false}, {"blas", true}} {
		b.Run(c.name, func(b *testing.B) {
			if c.use {
				UseBLAS(k)
				defer UseBLAS(nil)
			}
			r, err := newRunner(s, data, Options{Workers: 1})
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
