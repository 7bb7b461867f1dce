package trainer

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"workbench/datasets"
)

// Options tunes a run without changing its results.
type Options struct {
	// ID names the run; empty means a fresh time-based ID.
	ID string
	// Workers sizes the matrix worker pool (0 = GOMAXPROCS). It changes
	// speed only: results are bit-identical for any value.
	Workers int
	// Prune, when set, is called after each epoch on the training
	// goroutine; returning true ends the run as "pruned". A
	// cross-validated run calls it with the mean over the folds, for
	// each epoch every fold reached.
	Prune func(epoch int, val map[string]float64) bool
	// StartPaused starts the run paused, before its first batch.
	StartPaused bool
	// SnapshotEvery, when positive, attaches a copy of the weights to an
	// EpochEvent at most this often (and to the first epoch), for live
	// views such as the decision boundary. It costs one small allocation
	// per attached epoch, none in the training step.
	SnapshotEvery time.Duration
	// MaxMemory bounds the memory a run may need, in bytes, checked with
	// CheckMemory before anything is allocated: 0 means MemoryLimit (a
	// share of the machine's memory), a negative value no limit.
	MaxMemory int64
}

// Handle controls a running training run. Its methods are safe for
// concurrent use.
type Handle struct {
	ID string
	// Events carries the run's events and is closed after the
	// FinishedEvent. The reader must drain it.
	Events <-chan Event

	cancel context.CancelFunc
	mu     sync.Mutex
	paused bool
	step   bool
	wake   chan struct{}
	epochs atomic.Int64 // epochs completed
	halted atomic.Bool  // the loop is blocked at a pause
	// children are a cross-validated run's fold handles (cv.go), which
	// pause, resume and step with it.
	children []*Handle
}

// Epoch returns the number of epochs completed so far.
func (h *Handle) Epoch() int { return int(h.epochs.Load()) }

// Halted reports whether the training loop is blocked at a pause right now
// (Paused only says that a pause was asked for).
func (h *Handle) Halted() bool { return h.halted.Load() }

// Pause stops training at the next batch boundary.
func (h *Handle) Pause() { h.setPaused(true) }

// Resume continues a paused run.
func (h *Handle) Resume() { h.setPaused(false) }

// Paused reports whether the run is paused.
func (h *Handle) Paused() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.paused
}

// Step lets a paused run train to the end of the current epoch (a whole
// epoch when it is paused between epochs), then pause again.
func (h *Handle) Step() {
	h.mu.Lock()
	if h.paused {
		h.step = true
	}
	h.mu.Unlock()
	h.poke()
	for _, c := range h.children {
		c.Step()
	}
}

// Stop cancels the run; it ends with status "stopped".
func (h *Handle) Stop() { h.cancel() }

func (h *Handle) setPaused(p bool) {
	h.mu.Lock()
	h.paused = p
	if !p {
		h.step = false
	}
	h.mu.Unlock()
	h.poke()
	for _, c := range h.children {
		c.setPaused(p)
	}
}

func (h *Handle) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// wait blocks while the run is paused and not stepping; it returns false if
// ctx ends first. halt and resume are called when it starts and stops
// blocking, on the training goroutine.
func (h *Handle) wait(ctx context.Context, halt, resume func()) bool {
	blocked := false
	defer func() {
		if blocked {
			h.halted.Store(false)
			resume()
		}
	}()
	for {
		h.mu.Lock()
		free := !h.paused || h.step
		h.mu.Unlock()
		if free {
			return true
		}
		if !blocked {
			blocked = true
			h.halted.Store(true)
			halt()
		}
		select {
		case <-h.wake:
		case <-ctx.Done():
			return false
		}
	}
}

// endStep ends a single-epoch step: the run pauses again.
func (h *Handle) endStep() {
	h.mu.Lock()
	h.step = false
	h.mu.Unlock()
}

// NewID returns a fresh, sortable run ID such as "20261128-184501-3fa9c2":
// the UTC time, then 24 random bits (from the global source: IDs are not
// part of any result) so that processes starting runs in the same second do
// not collide.
func NewID() string {
	return fmt.Sprintf("%s-%06x", time.Now().UTC().Format("20060102-150405"), rand.Uint32()&0xffffff)
}

// Run validates spec against data and starts training on a new goroutine.
// Cancelling ctx stops the run. See RunWith.
func Run(ctx context.Context, spec Spec, data *datasets.Prepared) (*Handle, error) {
	return RunWith(ctx, spec, data, Options{})
}

// RunWith is Run with options.
func RunWith(ctx context.Context, spec Spec, data *datasets.Prepared, o Options) (*Handle, error) {
	if spec.CV > 0 {
		return runCV(ctx, spec, data, o)
	}
	r, err := newRunner(spec, data, o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	box := newOutbox()
	h := &Handle{ID: r.id, Events: box.Out(), cancel: cancel, wake: make(chan struct{}, 1), paused: o.StartPaused}
	r.h, r.box = h, box
	go func() {
		defer cancel()
		defer box.close()
		defer r.model.Close()
		r.run(ctx)
	}()
	return h, nil
}

// runner holds one run's state. Every buffer is allocated in newRunner.
type runner struct {
	id    string
	spec  Spec
	data  *datasets.Prepared
	opt   Options
	task  datasets.Task
	k     int // output columns
	batch int

	model   engine
	loss    Loss
	optim   Optimizer
	sched   *schedule
	aug     *datasets.Augmenter
	initRng *rand.Rand
	shufRng *rand.Rand
	dropRng *rand.Rand

	perm       []int
	xb, tb, gb []float64 // batch inputs, targets, dlogits
	lb         lossBatch // the batch the workers take the loss of (step)
	evalOut    []float64
	best, last []float64 // weight copies
	ev         evalState // target scaling, class weights (evalrun.go)
	health     *health

	h   *Handle
	box *outbox
}

func newRunner(spec Spec, data *datasets.Prepared, o Options) (*runner, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	task := data.Task()
	if err := spec.CheckTask(task); err != nil {
		return nil, err
	}
	if data.Train.N == 0 {
		return nil, fmt.Errorf("data: the training split is empty")
	}
	r := &runner{id: o.ID, spec: spec, data: data, opt: o, task: task}
	if r.id == "" {
		r.id = NewID()
	}
	r.k = OutputsFor(task, data.Classes())
	r.batch = spec.BatchSize
	if r.batch == 0 || r.batch > data.Train.N {
		r.batch = data.Train.N
	}
	seed := spec.Seed
	r.initRng = rand.New(rand.NewPCG(seed, 0x1417))
	r.shufRng = rand.New(rand.NewPCG(seed, 0x5487))
	r.dropRng = rand.New(rand.NewPCG(seed, 0xd409))
	rows := data.Train.N + data.Val.N + data.Test.N
	if _, err := CheckMemory(&spec, task, data.Train.D, data.Classes(), rows, o.MaxMemory); err != nil {
		return nil, err
	}
	evalChunk := max(r.batch, 256)
	m, err := newEngine(spec, task, data.Train.D, data.Classes(), evalChunk, o.Workers, r.initRng)
	if err != nil {
		return nil, err
	}
	r.model = m
	if r.loss, err = NewLoss(spec.Loss, task); err != nil {
		m.Close()
		return nil, err
	}
	if r.optim, err = m.newOptimizer(spec.Optimizer); err != nil {
		m.Close()
		return nil, err
	}
	if err := r.setupEval(); err != nil {
		m.Close()
		return nil, err
	}
	r.sched = newSchedule(spec.Schedule, spec.Optimizer.LR, spec.Epochs)
	r.aug = datasets.NewAugmenter(data.Spec, r.batch, data.Train.D, r.k)
	d := data.Train.D
	r.perm = make([]int, data.Train.N)
	for i := range r.perm {
		r.perm[i] = i
	}
	r.xb = make([]float64, r.batch*d)
	r.tb = make([]float64, r.batch*r.k)
	r.gb = make([]float64, r.batch*r.k)
	if rl, ok := r.loss.(rowLoss); ok {
		r.lb = lossBatch{rl: rl, terms: make([]float64, r.batch*r.k)}
		r.lb.fn = r.lb.rows // bound once: no allocation per step
	}
	r.evalOut = make([]float64, max(data.Val.N, data.Test.N)*r.k)
	r.best = make([]float64, m.weightLen())
	r.last = make([]float64, m.weightLen())
	r.health = newHealth(m)
	return r, nil
}

// saveWeights copies every weight and running statistic into dst.
func (r *runner) saveWeights(dst []float64) { r.model.saveWeights(dst) }

// loadWeights restores weights saved by saveWeights.
func (r *runner) loadWeights(src []float64) { r.model.loadWeights(src) }

// fillTargets writes the target row for label y into t (k columns).
func fillTargets(t []float64, y float64, task datasets.Task) {
	if task == datasets.Multiclass {
		clear(t)
		t[int(y)] = 1
		return
	}
	t[0] = y
}

// step trains on rows perm[lo:hi] of the training split and returns the
// batch's loss (penalties included) and its count of correct predictions.
// It allocates nothing.
func (r *runner) step(lo, hi int, lr float64) (loss float64, correct int) {
	tr := &r.data.Train
	d, k, n := tr.D, r.k, hi-lo
	for i, j := range r.perm[lo:hi] {
		r.fillRow(i, tr.Y[j])
	}
	x, t, g := r.xb[:n*d], r.tb[:n*k], r.gb[:n*k]
	var logits []float64
	fused := false
	switch {
	case r.aug == nil && r.lb.rl != nil && r.ev.cw == nil:
		// The workers gather their own rows, and take their loss.
		r.lb.g, r.lb.t, r.lb.n, r.lb.k = g, t, n, k
		logits, fused = r.model.forwardGatherLoss(x, tr.X, r.perm[lo:hi], true, r.dropRng, r.lb.fn)
		r.lb.g, r.lb.t = nil, nil
	case r.aug == nil:
		logits = r.model.forwardGather(x, tr.X, r.perm[lo:hi], true, r.dropRng)
	default:
		for i, j := range r.perm[lo:hi] {
			copy(x[i*d:(i+1)*d], tr.X[j*d:(j+1)*d])
		}
		r.aug.Apply(x, t, n, d, k)
		logits = r.model.forward64(x, n, true, r.dropRng)
	}
	if fused {
		loss = r.lb.sum()
	} else {
		loss = r.batchLoss(g, logits, t, n, k)
	}
	if r.task.IsClassification() {
		correct = countCorrect(logits, t, n, k)
	}
	if r.spec.L1 == 0 && r.spec.L2 == 0 && r.spec.ClipNorm <= 0 {
		// Nothing needs the whole gradient before the step.
		r.model.backwardUpdate(g, n, true, r.optim, lr)
		return loss, correct
	}
	r.model.backward64(g, n, true)
	if r.spec.L1 != 0 || r.spec.L2 != 0 {
		loss += r.model.penalty(r.spec.L1, r.spec.L2)
		r.model.addPenaltyGrad(r.spec.L1, r.spec.L2)
	}
	if r.spec.ClipNorm > 0 {
		r.model.clipGrad(r.spec.ClipNorm)
	}
	r.optim.Step(lr)
	return loss, correct
}

// countCorrect counts rows whose predicted class matches the target's.
func countCorrect(logits, t []float64, n, k int) int {
	c := 0
	for i := 0; i < n; i++ {
		if k == 1 {
			if (logits[i] >= 0) == (t[i] >= 0.5) {
				c++
			}
			continue
		}
		if argmax(logits[i*k:(i+1)*k]) == argmax(t[i*k:(i+1)*k]) {
			c++
		}
	}
	return c
}

func argmax(v []float64) int {
	b := 0
	for j, x := range v {
		if x > v[b] {
			b = j
		}
	}
	return b
}

// shuffle reorders the training permutation with the run's RNG.
func (r *runner) shuffle() {
	p := r.perm
	for i := len(p) - 1; i > 0; i-- {
		j := r.shufRng.IntN(i + 1)
		p[i], p[j] = p[j], p[i]
	}
}

// evaluate runs the model in inference mode over a split and returns its
// evaluation with the loss (penalties included).
func (r *runner) evaluate(s *datasets.Split) Evaluation {
	if s.N == 0 {
		return Evaluation{Metrics: map[string]float64{}}
	}
	k, d := r.k, s.D
	out := r.evalOut[:s.N*k]
	chunk := r.model.evalChunk()
	lossSum := 0.0
	for lo := 0; lo < s.N; lo += chunk {
		n := min(chunk, s.N-lo)
		logits := r.model.forward64(s.X[lo*d:(lo+n)*d], n, false, nil)
		if r.health.on {
			r.health.observe(r.model, n)
		}
		lossSum += r.chunkLoss(logits, s.Y[lo:lo+n], n) * float64(n)
		r.model.head().Apply(out[lo*k:(lo+n)*k], logits, n, k)
	}
	r.ev.ty.Invert(out)
	e := Evaluate(r.task, out, s.Y, k)
	r.keepOutputs(&e, s, out)
	e.Metrics["loss"] = lossSum/float64(s.N) + r.model.penalty(r.spec.L1, r.spec.L2)
	return e
}

// chunkLoss is the mean data loss of n logits rows against labels y.
func (r *runner) chunkLoss(logits, y []float64, n int) float64 {
	k := r.k
	sum := 0.0
	for lo := 0; lo < n; lo += r.batch {
		c := min(r.batch, n-lo)
		t := r.tb[:c*k]
		for i := 0; i < c; i++ {
			fillTargets(t[i*k:(i+1)*k], r.ev.ty.Apply(y[lo+i]), r.task)
		}
		sum += r.loss.Eval(nil, logits[lo*k:(lo+c)*k], t, c, k) * float64(c)
	}
	return sum / float64(n)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
