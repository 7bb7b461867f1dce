package trainer

import (
	"context"
	"fmt"
	"math"
	"time"
)

// progressEvery bounds progress events to about 15 a second.
const progressEvery = time.Second / 15

// run is the training loop. It always ends with one FinishedEvent.
func (r *runner) run(ctx context.Context) {
	start := time.Now()
	tr := &r.data.Train
	r.box.push(StartEvent{
		ID: r.id, Spec: r.spec, Task: r.task, ClassNames: r.data.Meta.ClassNames,
		Summary:   Summary(r.spec.Model, r.task, tr.D, r.data.Classes()),
		Params:    r.model.NumParams(),
		TrainRows: tr.N, ValRows: r.data.Val.N, TestRows: r.data.Test.N,
		DataHash: r.data.Hash, Started: start.UTC(), TargetScaler: r.targetScaler(),
	})

	mon := r.spec.BestMonitor()
	best := newBestTracker(mon, r.spec.EarlyStop.MinDelta)
	var target *Target
	if r.spec.Target != "" {
		t, _ := ParseTarget(r.spec.Target)
		target = &t
	}

	fin := FinishedEvent{ID: r.id, Status: StatusDone, Monitor: mon}
	var bestMetrics map[string]float64
	haveLast := false
	var trainTime time.Duration
	samples := 0
	nb := (tr.N + r.batch - 1) / r.batch
	lastProgress := start
	var lastSnap time.Time
	epochs := r.spec.Epochs

	completed := 0
	// Elapsed times leave out pauses, so that an ETA after a pause is
	// still right.
	var paused time.Duration
	var haltedAt time.Time
	halt := func() {
		haltedAt = time.Now()
		r.box.push(PauseEvent{ID: r.id, Paused: true, Epoch: completed})
	}
	resume := func() {
		paused += time.Since(haltedAt)
		r.box.push(PauseEvent{ID: r.id, Paused: false, Epoch: completed})
	}
	running := func(now time.Time) time.Duration { return now.Sub(start) - paused }

loop:
	for epoch := 1; epochs == 0 || epoch <= epochs; epoch++ {
		lr := r.sched.LR(epoch - 1)
		var epochTrain time.Duration
		r.shuffle()
		lossSum, correct, seen := 0.0, 0, 0
		for b := 0; b < nb; b++ {
			if !r.h.wait(ctx, halt, resume) || ctx.Err() != nil {
				fin.Status, fin.Reason = StatusStopped, "cancelled"
				break loop
			}
			if b == 0 {
				r.health.beforeStep(r.model)
			}
			t0 := time.Now()
			lo, hi := b*r.batch, min((b+1)*r.batch, tr.N)
			loss, c := r.step(lo, hi, lr)
			now := time.Now()
			epochTrain += now.Sub(t0)
			if b == 0 {
				r.health.afterStep(r.model)
			}
			if !finite(loss) {
				fin.Status = StatusDiverged
				fin.Reason = fmt.Sprintf("the loss became %v in epoch %d, batch %d, at learning rate %g", loss, epoch, b+1, lr)
				break loop
			}
			n := hi - lo
			lossSum += loss * float64(n)
			correct += c
			seen += n
			if now.Sub(lastProgress) >= progressEvery {
				lastProgress = now
				r.box.push(ProgressEvent{
					ID: r.id, Epoch: epoch, Epochs: epochs, Batch: b + 1, Batches: nb,
					Loss: lossSum / float64(seen), SamplesPerSec: rate(samples+seen, trainTime+epochTrain),
					Elapsed: running(now),
				})
			}
		}
		trainTime += epochTrain
		samples += seen
		if !r.model.finite() {
			fin.Status = StatusDiverged
			fin.Reason = fmt.Sprintf("a weight became non-finite in epoch %d, at learning rate %g", epoch, lr)
			break
		}
		r.saveWeights(r.last)
		haveLast = true
		r.health.start()
		vev := r.evaluate(&r.data.Val)
		r.decideEpoch(&vev)
		val := vev.Metrics
		layers := r.health.finish(r.model)
		train := map[string]float64{"loss": lossSum / float64(seen)}
		if r.task.IsClassification() {
			train["accuracy"] = float64(correct) / float64(seen)
		}
		if !finite(val["loss"]) {
			fin.Status = StatusDiverged
			fin.Reason = fmt.Sprintf("the validation loss became %v in epoch %d", val["loss"], epoch)
			fin.Epochs = epoch
			break
		}
		improved := best.observe(epoch, pick(mon, train, val))
		if improved {
			fin.BestEpoch, bestMetrics = epoch, val
			r.saveWeights(r.best)
		}
		fin.Epochs = epoch
		ev := EpochEvent{
			ID: r.id, Epoch: epoch, Epochs: epochs, Train: train, Val: val, LR: lr,
			Elapsed: running(time.Now()), SamplesPerSec: rate(seen, epochTrain), Best: improved,
			Layers: layers,
		}
		if every := r.opt.SnapshotEvery; every > 0 && (epoch == 1 || time.Since(lastSnap) >= every) {
			lastSnap = time.Now()
			ev.Model = r.snapshot()
		}
		r.box.push(ev)
		completed = epoch
		r.h.epochs.Store(int64(epoch))
		r.h.endStep()
		if r.sched.spec.Name == "plateau" {
			r.sched.observe(pick(r.sched.monitorKey(), train, val))
		}
		if target != nil && target.Met(pick(target.Metric, train, val)) {
			fin.Status = StatusTargetReached
			fin.Reason = fmt.Sprintf("%s reached at epoch %d", target, epoch)
			break
		}
		if best.exhausted(r.spec.EarlyStop.Patience) {
			fin.Status = StatusEarlyStopped
			epochs := "epochs"
			if best.wait == 1 {
				epochs = "epoch"
			}
			fin.Reason = fmt.Sprintf("%s did not improve for %d %s; restored epoch %d", mon, best.wait, epochs, fin.BestEpoch)
			break
		}
		if r.opt.Prune != nil && r.opt.Prune(epoch, val) {
			fin.Status = StatusPruned
			fin.Reason = fmt.Sprintf("pruned after epoch %d", epoch)
			break
		}
	}

	// Final weights: the best epoch's when early stopping is on, otherwise
	// the last finite ones.
	switch {
	case r.spec.EarlyStop.Enabled() && fin.BestEpoch > 0:
		r.loadWeights(r.best)
	case haveLast:
		r.loadWeights(r.last)
	}
	fin.Best = bestMetrics
	if haveLast {
		cal := r.calibrate()
		fin.Val = r.evaluate(&r.data.Val)
		fin.Val.Calibration = cal
		fin.Test = r.evaluate(&r.data.Test)
		fin.Model = r.snapshot()
		Decide(&fin, r.spec, r.data)
	}
	fin.Elapsed = running(time.Now())
	fin.SamplesPerSec = rate(samples, trainTime)
	r.box.push(fin)
}

// pick returns a monitored metric such as val_loss or train_accuracy.
func pick(key string, train, val map[string]float64) float64 {
	m, err := parseMonitor(key)
	if err != nil {
		return math.NaN()
	}
	src := val
	if m.split == "train" {
		src = train
	}
	v, ok := src[m.metric]
	if !ok {
		return math.NaN()
	}
	return v
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
