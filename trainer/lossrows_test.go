package trainer

import (
	"math/rand/v2"
	"testing"
)

// TestLossRowsMatchEval: every loss taken a block of rows at a time, the
// terms summed in element order (what the workers do in a row-parallel
// step), gives Eval's loss and gradient bit for bit, on blocks that split
// the batch anywhere.
func TestLossRowsMatchEval(t *testing.T) {
	cases := []struct {
		loss Loss
		k    int
	}{
		{BCE{}, 1}, {SoftmaxCE{}, 10}, {MSE{Head: HeadSigmoid}, 1},
		{MSE{Head: HeadSoftmax}, 7}, {MSE{}, 3}, {Huber{Delta: 0.5}, 2},
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range cases {
		n, k := 37, c.k
		z, tg := make([]float64, n*k), make([]float64, n*k)
		for i := range z {
			z[i] = 6*r.Float64() - 3
			tg[i] = float64(r.IntN(2))
		}
		want := make([]float64, n*k)
		wantLoss := c.loss.Eval(want, z, tg, n, k)
		b := lossBatch{rl: c.loss.(rowLoss), g: make([]float64, n*k), t: tg, terms: make([]float64, n*k), n: n, k: k}
		for _, cut := range []int{0, 1, 16, 36} {
			clear(b.g)
			b.rows(z, cut, n) // the second worker first: order must not matter
			b.rows(z, 0, cut)
			if got := b.sum(); got != wantLoss {
				t.Errorf("%s k=%d, rows split at %d: loss %v, Eval %v", c.loss.Name(), k, cut, got, wantLoss)
			}
			for i := range want {
				if b.g[i] != want[i] {
					t.Fatalf("%s k=%d, rows split at %d: gradient %d is %v, Eval's %v", c.loss.Name(), k, cut, i, b.g[i], want[i])
				}
			}
		}
	}
}

// TestFusedLossMatchesSerial: a row-parallel step whose workers take the
// loss of their rows returns the loss the layer-by-layer step computes
// after the forward pass, bit for bit, on 1, 2 and 3 workers and both
// precisions.
func TestFusedLossMatchesSerial(t *testing.T) {
	for _, prec := range PrecisionNames {
		var want []float64
		for _, w := range []int{1, 2, 3} {
			r := rowRunnerOn(t, prec, w, 256, 60)
			setRowPath(r.model, w > 1)
			r.shuffle()
			var got []float64
			for lo := 0; lo < 300; lo += 60 {
				loss, _ := r.step(lo, lo+60, 1e-3)
				got = append(got, loss)
			}
			if w == 1 {
				want = got
				continue
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s, %d workers: step %d's loss %v, the serial loss %v", prec, w, i, got[i], want[i])
				}
			}
		}
	}
}
