package trainer

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"workbench/datasets"
	"workbench/numfmt"
)

// runCV starts k-fold cross-validation (spec.CV folds): one model per
// fold, all trained at once (each fold on one goroutine with one matrix
// worker, so results do not depend on Options.Workers), under one handle and
// one event stream. Each EpochEvent holds the mean over the folds still
// training; only an epoch every fold reached can be the run's best epoch
// (Best, FinishedEvent.BestEpoch and Best: the K-fold mean curve's best,
// which a sweep takes as the trial's objective, as xgboost.cv picks its
// best iteration) or be passed to Options.Prune. A pruned run ends at
// the epoch it was pruned at. The FinishedEvent's Val is the mean of the folds' final
// validation evaluations (out-of-fold) and its Test the mean of the fold
// models on the held-out test split, each with Std and Folds. A
// cross-validated run keeps no model.
func runCV(ctx context.Context, spec Spec, data *datasets.Prepared, o Options) (*Handle, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	task := data.Task()
	if err := spec.CheckTask(task); err != nil {
		return nil, err
	}
	folds, err := data.CVFolds(spec.CV, spec.CVAll, spec.Data.Seed)
	if err != nil {
		return nil, err
	}
	id := o.ID
	if id == "" {
		id = NewID()
	}
	runners := make([]*runner, len(folds))
	for i, f := range folds {
		r, err := newRunner(spec, f, Options{ID: fmt.Sprintf("%s/fold%d", id, i+1), Workers: 1})
		if err != nil {
			for _, prev := range runners[:i] {
				prev.model.Close()
			}
			return nil, fmt.Errorf("cv: fold %d: %v", i+1, err)
		}
		r.ev.oof = true
		runners[i] = r
	}
	ctx, cancel := context.WithCancel(ctx)
	box := newOutbox()
	h := &Handle{ID: id, Events: box.Out(), cancel: cancel, wake: make(chan struct{}, 1), paused: o.StartPaused}
	for _, r := range runners {
		c := &Handle{ID: r.id, cancel: cancel, wake: make(chan struct{}, 1), paused: o.StartPaused}
		r.h, r.box = c, newOutbox()
		h.children = append(h.children, c)
	}
	// The run's clock starts before its folds do: on a busy machine the
	// aggregator may first run after a short run's folds have finished,
	// and timed from there a finished run read "took 0s".
	start := time.Now()
	// Every fold trains at once, each on one goroutine: the epochs are
	// merged as they come, which a run without an epoch limit needs.
	for _, r := range runners {
		go func() {
			defer r.box.close()
			defer r.model.Close()
			r.run(ctx)
		}()
	}
	go func() {
		defer cancel()
		defer box.close()
		beforeAggregate()
		aggregateCV(ctx, cancel, h, box, spec, data, folds, runners, o, start)
	}()
	return h, nil
}

// beforeAggregate runs as the aggregator starts; tests delay it there.
var beforeAggregate = func() {}

// foldState is the aggregator's view of one fold.
type foldState struct {
	queue  []EpochEvent
	done   bool
	fin    FinishedEvent
	halted bool
}

// aggregateCV merges the folds' streams into the run's: epoch e is sent
// once every fold still training has finished it.
func aggregateCV(ctx context.Context, cancel context.CancelFunc, h *Handle, box *outbox, spec Spec, data *datasets.Prepared,
	folds []*datasets.Prepared, runners []*runner, o Options, start time.Time) {
	task := data.Task()
	k := len(folds)
	box.push(StartEvent{
		ID: h.ID, Spec: spec, Task: task, ClassNames: data.Meta.ClassNames,
		Summary:   fmt.Sprintf("%s · %d-fold CV", Summary(spec.Model, task, data.Train.D, data.Classes()), k),
		Params:    runners[0].model.NumParams(),
		TrainRows: folds[0].Train.N, ValRows: folds[0].Val.N, TestRows: folds[0].Test.N,
		DataHash: data.Hash, Started: start.UTC(),
	})
	mon := spec.BestMonitor()
	best := newBestTracker(mon, spec.EarlyStop.MinDelta)
	fin := FinishedEvent{ID: h.ID, Status: StatusDone, Monitor: mon}
	st := make([]foldState, k)
	var paused time.Duration
	var haltedAt time.Time
	anyHalted := false
	sent := 0
	var buf []Event
	for {
		ready := false
		for i, r := range runners {
			if st[i].done {
				continue
			}
			var closed bool
			buf, closed = r.box.Drain(buf[:0])
			for _, ev := range buf {
				switch e := ev.(type) {
				case EpochEvent:
					st[i].queue = append(st[i].queue, e)
				case PauseEvent:
					st[i].halted = e.Paused
				case FinishedEvent:
					st[i].fin, st[i].done = e, true
				}
				ready = true
			}
			if closed {
				st[i].done = true
			}
		}
		halted := false
		for i := range st {
			halted = halted || (st[i].halted && !st[i].done)
		}
		if halted != anyHalted {
			anyHalted = halted
			h.halted.Store(halted)
			if halted {
				haltedAt = time.Now()
			} else {
				paused += time.Since(haltedAt)
			}
			box.push(PauseEvent{ID: h.ID, Paused: halted, Epoch: sent})
		}
		// Send every epoch that all folds still training have reached.
		for {
			var group []EpochEvent
			waiting := false
			for i := range st {
				switch {
				case len(st[i].queue) > 0:
					group = append(group, st[i].queue[0])
				case !st[i].done:
					waiting = true
				}
			}
			if waiting || len(group) == 0 {
				break
			}
			for i := range st {
				if len(st[i].queue) > 0 {
					st[i].queue = st[i].queue[1:]
				}
			}
			// A pruned run ends at the epoch it was pruned at, as a
			// single-split run does; a cancelled one at the last epoch
			// every fold finished, since the folds cut short by the
			// cancel did not stop on their own.
			whole := len(group) == k
			if fin.Status == StatusPruned || (!whole && ctx.Err() != nil) {
				continue
			}
			sent++
			ev := meanEpoch(h.ID, sent, group)
			ev.Elapsed = time.Since(start) - paused
			// Only an epoch every fold reached is a K-fold mean: after a
			// fold stopped early the mean is over the others, so such an
			// epoch can be neither the best (whose metrics a sweep ranks
			// trials by) nor a pruner's report.
			if whole && best.observe(sent, pick(mon, ev.Train, ev.Val)) {
				fin.BestEpoch, fin.Best, ev.Best = sent, ev.Val, true
			}
			fin.Epochs = sent
			box.push(ev)
			h.epochs.Store(int64(sent))
			if whole && o.Prune != nil && fin.Status == StatusDone && o.Prune(sent, ev.Val) {
				fin.Status, fin.Reason = StatusPruned, fmt.Sprintf("pruned after epoch %d", sent)
				cancel()
			}
		}
		all := true
		for i := range st {
			all = all && st[i].done
		}
		if all {
			break
		}
		if !ready {
			select {
			case <-time.After(5 * time.Millisecond):
			case <-h.wake:
			}
		}
	}
	var vals, tests []Evaluation
	for i := range st {
		f := st[i].fin
		switch f.Status {
		case StatusDiverged:
			if fin.Status != StatusDiverged {
				fin.Status, fin.Reason = StatusDiverged, fmt.Sprintf("fold %d: %s", i+1, f.Reason)
			}
		case StatusStopped:
			if fin.Status == StatusDone {
				fin.Status, fin.Reason = StatusStopped, f.Reason
			}
		}
		if f.Val.Metrics != nil {
			vals = append(vals, f.Val)
			tests = append(tests, f.Test)
		}
		fin.SamplesPerSec += f.SamplesPerSec
	}
	if ctx.Err() != nil && fin.Status == StatusDone {
		fin.Status, fin.Reason = StatusStopped, "cancelled"
	}
	if len(vals) == k {
		fin.Val = MeanEvaluation(vals, true)
		poolOutOfFold(&fin.Val, task, folds, vals, runners[0].k)
		for i := range st {
			fin.Val.FoldEpochs = append(fin.Val.FoldEpochs, st[i].fin.Epochs)
		}
		if !spec.CVAll {
			fin.Test = MeanEvaluation(tests, false)
		}
		if fin.Status == StatusDone {
			m := KeyMetric(task)
			fin.Reason = fmt.Sprintf("%d-fold cross-validation: val_%s %s", k, m, MeanStd(fin.Val, m))
		}
	}
	fin.Elapsed = time.Since(start) - paused
	box.push(fin)
}

// meanEpoch averages the folds' epoch events.
func meanEpoch(id string, epoch int, group []EpochEvent) EpochEvent {
	ev := EpochEvent{ID: id, Epoch: epoch, Epochs: group[0].Epochs, LR: group[0].LR, Folds: len(group),
		Train: meanMaps(group, func(e EpochEvent) map[string]float64 { return e.Train }),
		Val:   meanMaps(group, func(e EpochEvent) map[string]float64 { return e.Val })}
	// The folds train at once: the run's rate is the sum of theirs at
	// this epoch, whether or not a fold has ended since.
	for _, e := range group {
		ev.SamplesPerSec += e.SamplesPerSec
	}
	return ev
}

func meanMaps(group []EpochEvent, of func(EpochEvent) map[string]float64) map[string]float64 {
	sum, n := map[string]float64{}, map[string]float64{}
	for _, e := range group {
		for key, v := range of(e) {
			sum[key] += v
			n[key]++
		}
	}
	for key := range sum {
		sum[key] /= n[key]
	}
	return sum
}

// MeanEvaluation merges the folds' evaluations: Metrics holds each
// metric's mean over the folds that define it, Std its standard deviation
// (the sample standard deviation, n − 1 in the denominator; numpy's
// scores.std() in scikit-learn's cross-validation examples and
// GridSearchCV's std_test_score divide by n and so read √((n−1)/n)
// smaller, 0.89× for 5 folds) and
// Folds each fold's metrics. With disjoint set (the folds' validation
// rows), the confusion matrices and reliability bins are summed: they are
// the out-of-fold ones.
func MeanEvaluation(evs []Evaluation, disjoint bool) Evaluation {
	out := Evaluation{Metrics: map[string]float64{}, Std: map[string]float64{}}
	keys := map[string]bool{}
	for _, e := range evs {
		out.Folds = append(out.Folds, e.Metrics)
		for key := range e.Metrics {
			keys[key] = true
		}
	}
	names := make([]string, 0, len(keys))
	for key := range keys {
		names = append(names, key)
	}
	sort.Strings(names)
	for _, key := range names {
		var v []float64
		for _, e := range evs {
			if x, ok := e.Metrics[key]; ok && finite(x) {
				v = append(v, x)
			}
		}
		if len(v) == 0 {
			continue
		}
		mean := 0.0
		for _, x := range v {
			mean += x
		}
		mean /= float64(len(v))
		ss := 0.0
		for _, x := range v {
			ss += (x - mean) * (x - mean)
		}
		out.Metrics[key] = mean
		out.Std[key] = 0
		if len(v) > 1 {
			out.Std[key] = math.Sqrt(ss / float64(len(v)-1))
		}
	}
	if !disjoint || len(evs) == 0 {
		return out
	}
	for _, e := range evs {
		if e.Confusion != nil {
			if out.Confusion == nil {
				out.Confusion = make([][]int, len(e.Confusion))
				for i := range out.Confusion {
					out.Confusion[i] = make([]int, len(e.Confusion[i]))
				}
			}
			for i, row := range e.Confusion {
				for j, v := range row {
					out.Confusion[i][j] += v
				}
			}
		}
		if e.Reliability != nil {
			if out.Reliability == nil {
				out.Reliability = make([]ReliabilityBin, len(e.Reliability))
				copy(out.Reliability, e.Reliability)
				for b := range out.Reliability {
					out.Reliability[b].Count, out.Reliability[b].Confidence, out.Reliability[b].Observed = 0, 0, 0
				}
			}
			for b, bin := range e.Reliability {
				c := float64(bin.Count)
				out.Reliability[b].Count += bin.Count
				out.Reliability[b].Confidence += bin.Confidence * c
				out.Reliability[b].Observed += bin.Observed * c
			}
		}
		out.Pairs = append(out.Pairs, e.Pairs...)
	}
	for b := range out.Reliability {
		if c := float64(out.Reliability[b].Count); c > 0 {
			out.Reliability[b].Confidence /= c
			out.Reliability[b].Observed /= c
		}
	}
	return out
}

// MeanStd writes a cross-validated metric as "0.9500 ± 0.0300", or just
// the value when there is no spread.
func MeanStd(e Evaluation, metric string) string {
	v, ok := e.Metrics[metric]
	if !ok {
		return "n/a"
	}
	s := numfmt.Value(v)
	if sd, ok := e.Std[metric]; ok {
		s += " ± " + numfmt.Value(sd)
	}
	return s
}
