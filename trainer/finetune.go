package trainer

import (
	"context"
	"fmt"
	"math/rand/v2"

	"workbench/datasets"
)

// FinetuneOptions says how to fine-tune a saved model.
type FinetuneOptions struct {
	Epochs int
	// Mask, when set, holds pruned weights at zero: their gradients are
	// dropped before each step and the weights reset after it.
	Mask Mask
	// LR is the learning rate; 0 means the spec's.
	LR float64
	// Workers sizes the matrix worker pool (0 = GOMAXPROCS).
	Workers int
}

// Finetune trains a copy of s for o.Epochs more epochs on data's training
// split with spec's loss, optimizer (fresh state), batch size and
// penalties at a constant learning rate, and returns the result. It is
// deterministic for the spec's seed. It returns an error when the shapes
// do not fit the data, a weight becomes non-finite, or ctx ends.
func Finetune(ctx context.Context, s *Snapshot, spec Spec, data *datasets.Prepared, o FinetuneOptions) (*Snapshot, error) {
	tr := &data.Train
	if tr.N == 0 || tr.D != s.Inputs {
		return nil, fmt.Errorf("finetune: the model has %d inputs, the training split %d rows of %d", s.Inputs, tr.N, tr.D)
	}
	if o.Mask != nil && len(o.Mask) != len(s.Layers) {
		return nil, fmt.Errorf("finetune: the mask has %d layers, the model %d", len(o.Mask), len(s.Layers))
	}
	batch := spec.BatchSize
	if batch <= 0 || batch > tr.N {
		batch = tr.N
	}
	if s.Precision == Float32 {
		return finetune(ctx, snapshotModel[float32](s, batch), s, spec, data, o, batch)
	}
	return finetune(ctx, snapshotModel[float64](s, batch), s, spec, data, o, batch)
}

// finetune is Finetune in the snapshot's precision, on m, a copy of it.
func finetune[T float](ctx context.Context, m *network[T], s *Snapshot, spec Spec, data *datasets.Prepared, o FinetuneOptions, batch int) (*Snapshot, error) {
	tr := &data.Train
	m.pool = newPool(o.Workers)
	defer m.Close()
	loss, err := NewLoss(spec.Loss, s.Task)
	if err != nil {
		return nil, err
	}
	opt, err := newOptimizer(spec.Optimizer, m.Params(), m.pool)
	if err != nil {
		return nil, err
	}
	lr := o.LR
	if lr == 0 {
		lr = spec.Optimizer.LR
	}
	task, k, d := s.Task, s.Outputs, tr.D
	shuf := rand.New(rand.NewPCG(spec.Seed, 0xf17e))
	drop := rand.New(rand.NewPCG(spec.Seed, 0xf17d))
	perm := make([]int, tr.N)
	for i := range perm {
		perm[i] = i
	}
	xb, tb, gb := make([]float64, batch*d), make([]float64, batch*k), make([]float64, batch*k)
	applyMask := func(grads bool) {
		for l, keep := range o.Mask {
			lay := m.Layers[l]
			for i, kp := range keep {
				if !kp {
					if grads {
						lay.dW[i] = 0
					} else {
						lay.W[i] = 0
					}
				}
			}
		}
	}
	for epoch := 0; epoch < o.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("finetune: %v", err)
		}
		for i := len(perm) - 1; i > 0; i-- {
			j := shuf.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for lo := 0; lo < tr.N; lo += batch {
			n := min(batch, tr.N-lo)
			for i, j := range perm[lo : lo+n] {
				copy(xb[i*d:(i+1)*d], tr.X[j*d:(j+1)*d])
				fillTargets(tb[i*k:(i+1)*k], tr.Y[j], task)
			}
			logits := m.forward64(xb[:n*d], n, true, drop)
			loss.Eval(gb[:n*k], logits, tb[:n*k], n, k)
			m.backward64(gb[:n*k], n, true)
			if spec.L1 != 0 || spec.L2 != 0 {
				m.addPenaltyGrad(spec.L1, spec.L2)
			}
			if spec.ClipNorm > 0 {
				clipGradNorm(m.Params(), spec.ClipNorm)
			}
			applyMask(true)
			opt.Step(lr)
			applyMask(false)
		}
		if !m.finite() {
			return nil, fmt.Errorf("finetune: a weight became non-finite in epoch %d, at learning rate %g", epoch+1, lr)
		}
	}
	out := m.Snapshot()
	out.Threshold = s.Threshold
	return out, nil
}
