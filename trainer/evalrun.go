package trainer

import (
	"math"

	"workbench/datasets"
)

// evalState is what a run needs for target scaling, class weights and
// calibration. It is set up once in newRunner and kept apart from the
// engine: the loop reaches it only through the runner methods below.
type evalState struct {
	ty datasets.TargetScaler // identity unless a regression target is scaled
	cw []float64             // per-class loss weights; nil = unweighted
	wb []float64             // the batch rows' weights
	// oof makes evaluate keep a copy of the validation split's outputs
	// (Evaluation.outputs): a cross-validation fold's out-of-fold
	// predictions, which runCV pools into one ROC and PR curve.
	oof    bool
	oofBuf []float64
}

// keepOutputs copies a validation evaluation's outputs into e when the
// runner is a cross-validation fold. The copy reuses one buffer: only the
// last validation evaluation, the FinishedEvent's, escapes with it.
func (r *runner) keepOutputs(e *Evaluation, s *datasets.Split, out []float64) {
	if r.ev.oof && s == &r.data.Val && r.task.IsClassification() {
		r.ev.oofBuf = append(r.ev.oofBuf[:0], out...)
		e.outputs = r.ev.oofBuf
	}
}

// poolOutOfFold sets a cross-validated run's validation ROC and PR curves
// from the folds' validation outputs pooled together, as scikit-learn's
// cross_val_predict users draw them; its metrics stay the folds' means.
// It does nothing unless every fold kept its outputs.
func poolOutOfFold(e *Evaluation, task datasets.Task, folds []*datasets.Prepared, vals []Evaluation, k int) {
	if !task.IsClassification() || len(vals) != len(folds) {
		return
	}
	var p, y []float64
	for i, v := range vals {
		if len(v.outputs) != folds[i].Val.N*k {
			return
		}
		p = append(p, v.outputs...)
		y = append(y, folds[i].Val.Y...)
	}
	pooled := Evaluate(task, p, y, k)
	e.ROC, e.PR = pooled.ROC, pooled.PR
}

// setupEval fits the target scaler on the training split and resolves the
// class weights.
func (r *runner) setupEval() error {
	tr := &r.data.Train
	if r.task == datasets.Regression && r.spec.ScaleTarget != "" && r.spec.ScaleTarget != "none" {
		r.ev.ty = datasets.FitTargetScaler(r.spec.ScaleTarget, tr.Y)
	}
	if r.task.IsClassification() {
		w, err := ClassWeights(r.spec.ClassWeight, r.data.Meta.ClassNames, tr.Y, r.data.Classes())
		if err != nil {
			return err
		}
		r.ev.cw = w
		if w != nil {
			r.ev.wb = make([]float64, r.batch)
		}
	}
	return nil
}

// targetScaler returns the fitted target scaler, or nil for raw targets.
func (r *runner) targetScaler() *datasets.TargetScaler {
	if r.ev.ty.Identity() {
		return nil
	}
	t := r.ev.ty
	return &t
}

// fillRow writes batch row i's target for label y (scaled when the target
// is) and notes its class weight.
func (r *runner) fillRow(i int, y float64) {
	k := r.k
	fillTargets(r.tb[i*k:(i+1)*k], r.ev.ty.Apply(y), r.task)
	if r.ev.cw != nil {
		r.ev.wb[i] = r.ev.cw[int(y)]
	}
}

// lossBatch is a training batch whose loss the workers take, each on its
// rows as its forward pass ends (forwardGatherLoss): the gradient's rows
// into g, each element's term of the sum into terms, which sum then adds
// in element order, so the loss has Eval's bits for any number of workers.
type lossBatch struct {
	rl    rowLoss
	fn    func(logits []float64, lo, hi int) // rows, bound once
	g, t  []float64
	terms []float64
	n, k  int
}

// rows takes the loss of rows [lo, hi).
func (b *lossBatch) rows(logits []float64, lo, hi int) {
	b.rl.evalRows(b.g, logits, b.t, b.terms, b.n, b.k, lo, hi)
}

// sum returns the batch's mean loss from the terms.
func (b *lossBatch) sum() float64 {
	s := 0.0
	for _, v := range b.terms[:b.n*b.k] {
		s += v
	}
	return b.rl.mean(s, b.n, b.k)
}

// batchLoss is the loss of a training batch. With class weights each
// row's loss and gradient are scaled by its class's weight and the sum is
// divided by the batch size, as Keras's class_weight does. It allocates
// nothing.
func (r *runner) batchLoss(g, logits, t []float64, n, k int) float64 {
	if r.ev.cw == nil {
		return r.loss.Eval(g, logits, t, n, k)
	}
	sum := 0.0
	inv := 1 / float64(n)
	for i := range n {
		row := g[i*k : (i+1)*k]
		w := r.ev.wb[i]
		sum += w * r.loss.Eval(row, logits[i*k:(i+1)*k], t[i*k:(i+1)*k], 1, k)
		for j := range row {
			row[j] *= w * inv
		}
	}
	return sum * inv
}

// snapshot copies the model's weights with the target scaling folded into
// the linear output layer, so that the copy predicts in the target's raw
// units: z/f + o = x·(W/f) + (b/f + o).
func (r *runner) snapshot() *Snapshot {
	s := r.model.Snapshot()
	if t := r.ev.ty; !t.Identity() {
		l := &s.Layers[len(s.Layers)-1]
		for i := range l.W {
			l.W[i] /= t.Factor
		}
		for i := range l.B {
			l.B[i] = l.B[i]/t.Factor + t.Offset
		}
	}
	return s
}

// calibrate fits temperature scaling on the validation split when the
// spec asks for it, folds 1/T into the output layer (so every later
// evaluation and the saved model use it) and reports the validation ECE
// and Brier score before and after; nil when not asked or not possible.
func (r *runner) calibrate() *Calibration {
	s := &r.data.Val
	if r.spec.Calibrate != "temperature" || !r.task.IsClassification() || s.N == 0 {
		return nil
	}
	k := r.k
	z := make([]float64, s.N*k)
	chunk := r.model.evalChunk()
	for lo := 0; lo < s.N; lo += chunk {
		n := min(chunk, s.N-lo)
		copy(z[lo*k:(lo+n)*k], r.model.forward64(s.X[lo*s.D:(lo+n)*s.D], n, false, nil))
	}
	p := make([]float64, len(z))
	score := func(beta float64) (ece, brier float64) {
		scaled := make([]float64, len(z))
		for i, v := range z {
			scaled[i] = v * beta
		}
		r.model.head().Apply(p, scaled, s.N, k)
		return ECE(Reliability(p, s.Y, k)), Brier(p, s.Y, k)
	}
	c := &Calibration{Method: "temperature"}
	c.ECEBefore, c.BrierBefore = score(1)
	beta := FitTemperature(z, s.Y, k)
	c.Temperature = 1 / beta
	c.ECEAfter, c.BrierAfter = score(beta)
	r.model.scaleOutput(beta)
	return c
}

// FitTemperature returns the inverse temperature β in [1/20, 20] that
// minimizes the mean negative log-likelihood of logits·β (n×k, k = 1 for
// a sigmoid head) against labels y. The likelihood is convex in β, so a
// golden-section search on log β finds the minimum.
func FitTemperature(z, y []float64, k int) float64 {
	nll := func(beta float64) float64 {
		sum := 0.0
		n := len(y)
		for i := range n {
			if k == 1 {
				v := z[i] * beta
				sum += math.Max(v, 0) - v*y[i] + math.Log1p(math.Exp(-math.Abs(v)))
				continue
			}
			row := z[i*k : (i+1)*k]
			m := math.Inf(-1)
			for _, v := range row {
				m = math.Max(m, v*beta)
			}
			se := 0.0
			for _, v := range row {
				se += math.Exp(v*beta - m)
			}
			sum += m + math.Log(se) - row[int(y[i])]*beta
		}
		return sum / float64(n)
	}
	lo, hi := math.Log(1.0/20), math.Log(20)
	g := (math.Sqrt(5) - 1) / 2
	a, b := hi-g*(hi-lo), lo+g*(hi-lo)
	fa, fb := nll(math.Exp(a)), nll(math.Exp(b))
	for range 80 {
		if fa <= fb {
			hi, b, fb = b, a, fa
			a = hi - g*(hi-lo)
			fa = nll(math.Exp(a))
		} else {
			lo, a, fa = a, b, fb
			b = lo + g*(hi-lo)
			fb = nll(math.Exp(b))
		}
	}
	return math.Exp((lo + hi) / 2)
}
