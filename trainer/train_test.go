package trainer

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"workbench/datasets"
)

func TestSeedExampleNeedsAHiddenLayer(t *testing.T) {
	// Logistic regression: the middle two points are positive, the outer
	// two negative, all on one line, so no single hyperplane fits.
	logistic := seedSpec(nil)
	logistic.Epochs = 2000
	data := prepare(t, logistic.Data)
	_, fin := runAll(t, logistic, data, Options{})
	if acc := fin.Val.Metrics["accuracy"]; acc >= 1 {
		t.Fatalf("logistic regression reached accuracy %v on the seed example", acc)
	}
	// One hidden layer of 4 tanh units separates them.
	mlp := seedSpec([]LayerSpec{{Units: 4, Activation: "tanh"}})
	eps, fin := runAll(t, mlp, data, Options{})
	if acc := fin.Val.Metrics["accuracy"]; acc != 1 {
		t.Fatalf("4 tanh units reached accuracy %v, want 1 (loss %v)", acc, eps[len(eps)-1].Train["loss"])
	}
}

func TestSpiralConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	s := DefaultSpec()
	s.Data.Samples = 1000
	s.Data.Seed = 3
	s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "tanh"}, {Units: 16, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.BatchSize = 16
	s.Epochs = 300
	_, fin := runAll(t, s, prepare(t, s.Data), Options{})
	if acc := fin.Test.Metrics["accuracy"]; acc < 0.95 {
		t.Fatalf("spiral test accuracy %v, want >= 0.95", acc)
	}
}

func TestDeterminism(t *testing.T) {
	s := DefaultSpec()
	s.Epochs = 15
	s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "relu", BatchNorm: true, Dropout: 0.2}, {Units: 8, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adamw", LR: 0.01}
	s.Data.AugNoise = 0.1
	s.Data.Mixup = 0.2
	data := prepare(t, s.Data)
	a, fa := runAll(t, s, data, Options{Workers: 1})
	b, fb := runAll(t, s, data, Options{Workers: 4})
	if len(a) != len(b) {
		t.Fatalf("epoch counts differ: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i].Train, b[i].Train) || !reflect.DeepEqual(a[i].Val, b[i].Val) {
			t.Fatalf("epoch %d differs:\n%v %v\n%v %v", i+1, a[i].Train, a[i].Val, b[i].Train, b[i].Val)
		}
	}
	if !reflect.DeepEqual(fa.Model, fb.Model) {
		t.Fatal("final weights differ")
	}
	s.Seed = 2
	c, _ := runAll(t, s, data, Options{})
	if reflect.DeepEqual(a[len(a)-1].Train, c[len(c)-1].Train) {
		t.Fatal("a different seed gave the same history")
	}
}

// TestEarlyStoppingReasonCountsEpochs: with patience 1 the reason says
// "1 epoch", not "1 epochs".
func TestEarlyStoppingReasonCountsEpochs(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "gauss", Samples: 200, Noise: 0.5, Split: datasets.DefaultSplit, Seed: 4}
	s.Model.Hidden = []LayerSpec{{Units: 64, Activation: "relu"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.05}
	s.Epochs = 300
	s.EarlyStop = EarlyStopSpec{Monitor: "val_loss", Patience: 1}
	_, fin := runAll(t, s, prepare(t, s.Data), Options{})
	if fin.Status != StatusEarlyStopped {
		t.Fatalf("status %s, want early_stopped", fin.Status)
	}
	want := fmt.Sprintf("val_loss did not improve for 1 epoch; restored epoch %d", fin.BestEpoch)
	if fin.Reason != want {
		t.Errorf("reason %q, want %q", fin.Reason, want)
	}
}

func TestEarlyStoppingRestoresBest(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "gauss", Samples: 200, Noise: 0.5, Split: datasets.DefaultSplit, Seed: 4}
	s.Model.Hidden = []LayerSpec{{Units: 64, Activation: "relu"}, {Units: 64, Activation: "relu"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.Epochs = 300
	s.EarlyStop = EarlyStopSpec{Monitor: "val_loss", Patience: 10}
	data := prepare(t, s.Data)
	eps, fin := runAll(t, s, data, Options{})
	if fin.Status != StatusEarlyStopped {
		t.Fatalf("status %s, want early_stopped", fin.Status)
	}
	if len(eps) != fin.BestEpoch+10 {
		t.Fatalf("stopped after %d epochs, want best %d + patience 10", len(eps), fin.BestEpoch)
	}
	best := eps[fin.BestEpoch-1]
	for _, e := range eps {
		if e.Val["loss"] < best.Val["loss"] {
			t.Fatalf("epoch %d has lower val_loss than the chosen best", e.Epoch)
		}
	}
	// The restored weights are the best epoch's: the final validation loss
	// equals the best epoch's, not the last's.
	if fin.Val.Metrics["loss"] != best.Val["loss"] {
		t.Fatalf("final val_loss %v, best epoch's %v, last %v", fin.Val.Metrics["loss"], best.Val["loss"], eps[len(eps)-1].Val["loss"])
	}
}

func TestTargetStopsAtFirstEpochMeetingIt(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "circle", Samples: 300, Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.Epochs = 500
	s.Target = "val_accuracy>=0.95"
	eps, fin := runAll(t, s, prepare(t, s.Data), Options{})
	if fin.Status != StatusTargetReached {
		t.Fatalf("status %s", fin.Status)
	}
	last := eps[len(eps)-1]
	if last.Val["accuracy"] < 0.95 {
		t.Fatalf("stopped at accuracy %v", last.Val["accuracy"])
	}
	for _, e := range eps[:len(eps)-1] {
		if e.Val["accuracy"] >= 0.95 {
			t.Fatalf("epoch %d already met the target but training went on to %d", e.Epoch, last.Epoch)
		}
	}
}

func TestHugeLearningRateDiverges(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "reg-plane", Samples: 200, Split: datasets.DefaultSplit, Seed: 1}
	s.Loss = "mse"
	s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu"}}
	s.Optimizer = OptimizerSpec{Name: "sgd", LR: 10}
	s.Epochs = 50
	eps, fin := runAll(t, s, prepare(t, s.Data), Options{})
	if fin.Status != StatusDiverged {
		t.Fatalf("status %s, want diverged", fin.Status)
	}
	// The reason names the rate without brackets of its own: the views
	// put the reason in brackets ("diverged (…)").
	if !strings.HasSuffix(fin.Reason, ", at learning rate 10") || strings.ContainsAny(fin.Reason, "()") {
		t.Fatalf("reason %q, want one ending \", at learning rate 10\" with no brackets", fin.Reason)
	}
	for _, e := range eps {
		if !finite(e.Train["loss"]) || !finite(e.Val["loss"]) {
			t.Fatalf("a non-finite epoch was reported: %v", e)
		}
	}
}

// goroutinesSettle fails t if goroutines started since before are still
// running once they have had a few seconds to end.
func goroutinesSettle(t *testing.T, before goleak.Option) {
	t.Helper()
	goleak.VerifyNone(t, before)
}

func TestCancelPauseStep(t *testing.T) {
	before := goleak.IgnoreCurrent()
	s := DefaultSpec()
	s.Epochs = 1000
	data := prepare(t, s.Data)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := RunWith(ctx, s, data, Options{StartPaused: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	next := func() Event {
		select {
		case e := <-h.Events:
			return e
		case <-time.After(10 * time.Second):
			t.Fatal("no event")
		}
		return nil
	}
	if _, ok := next().(StartEvent); !ok {
		t.Fatal("first event is not StartEvent")
	}
	// Paused: the trainer says it halted before the first epoch, then
	// nothing arrives.
	if e, ok := next().(PauseEvent); !ok || !e.Paused || e.Epoch != 0 {
		t.Fatalf("want a PauseEvent at epoch 0, got %#v", e)
	}
	if !h.Halted() || h.Epoch() != 0 {
		t.Fatalf("Halted %v, Epoch %d", h.Halted(), h.Epoch())
	}
	select {
	case e := <-h.Events:
		t.Fatalf("event %T while paused", e)
	case <-time.After(100 * time.Millisecond):
	}
	// Each step trains exactly one epoch.
	for want := 1; want <= 3; want++ {
		h.Step()
		var ep EpochEvent
		for {
			if e, ok := next().(EpochEvent); ok {
				ep = e
				break
			}
		}
		if ep.Epoch != want {
			t.Fatalf("step gave epoch %d, want %d", ep.Epoch, want)
		}
		select {
		case e := <-h.Events:
			if e, ok := e.(EpochEvent); ok {
				t.Fatalf("epoch %d arrived after a single step", e.Epoch)
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	if !h.Paused() {
		t.Fatal("not paused after stepping")
	}
	h.Resume()
	for {
		if e, ok := next().(EpochEvent); ok && e.Epoch >= 10 {
			break
		}
	}
	cancel()
	var fin FinishedEvent
	for e := range h.Events {
		if f, ok := e.(FinishedEvent); ok {
			fin = f
		}
	}
	if fin.Status != StatusStopped || fin.Epochs < 10 || fin.Epochs >= 1000 {
		t.Fatalf("finished %s after %d epochs", fin.Status, fin.Epochs)
	}
	if fin.Model == nil {
		t.Fatal("a stopped run should keep its model")
	}
	goroutinesSettle(t, before)
}

func TestSpecJSONRoundTrip(t *testing.T) {
	s := DefaultSpec()
	s.Name = "round trip"
	s.Model.Hidden[0].BatchNorm = true
	s.Model.Hidden[1].Dropout = 0.25
	s.Schedule = ScheduleSpec{Name: "plateau", Patience: 3, Factor: 0.5, MinLR: 1e-5, Monitor: "val_accuracy"}
	s.EarlyStop = EarlyStopSpec{Monitor: "val_loss", Patience: 7, MinDelta: 1e-4}
	s.Target = "val_accuracy>=0.99"
	s.L1, s.L2, s.ClipNorm = 1e-5, 1e-3, 5
	s.Data.Crosses = []string{"x1sq", "x1x2"}
	s.Tags = []string{"a", "b"}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseSpec(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, back) {
		t.Fatalf("round trip changed the spec:\n%+v\n%+v", s, back)
	}
	if _, err := ParseSpec([]byte(`{"model":{"hidden":[]},"bogus":1}`)); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("unknown field not rejected: %v", err)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		field string
		edit  func(*Spec)
	}{
		{"model.hidden[1].units", func(s *Spec) { s.Model.Hidden[1].Units = 0 }},
		{"model.hidden[0].activation", func(s *Spec) { s.Model.Hidden[0].Activation = "swish" }},
		{"model.hidden[0].dropout", func(s *Spec) { s.Model.Hidden[0].Dropout = 1 }},
		{"model.init", func(s *Spec) { s.Model.Init = "zeros" }},
		{"loss", func(s *Spec) { s.Loss = "hinge" }},
		{"optimizer.name", func(s *Spec) { s.Optimizer.Name = "lbfgs" }},
		{"optimizer.lr", func(s *Spec) { s.Optimizer.LR = 0 }},
		{"optimizer.lr", func(s *Spec) { s.Optimizer.LR = 100 }},
		{"optimizer.momentum", func(s *Spec) { s.Optimizer.Momentum = 1.5 }},
		{"batch_size", func(s *Spec) { s.Optimizer.Name = "gd" }},
		{"batch_size", func(s *Spec) { s.BatchSize = -1 }},
		{"schedule.name", func(s *Spec) { s.Schedule.Name = "linear" }},
		{"schedule.step_size", func(s *Spec) { s.Schedule = ScheduleSpec{Name: "step", Gamma: 0.5} }},
		{"schedule.factor", func(s *Spec) { s.Schedule = ScheduleSpec{Name: "plateau", Patience: 2} }},
		{"epochs", func(s *Spec) { s.Epochs = -1 }},
		{"schedule.name", func(s *Spec) { s.Epochs, s.Schedule = 0, DefaultSchedule("cosine") }},
		{"l2", func(s *Spec) { s.L2 = -1 }},
		{"early_stop.monitor", func(s *Spec) { s.EarlyStop = EarlyStopSpec{Patience: 3, Monitor: "accuracy"} }},
		{"target", func(s *Spec) { s.Target = "val_accuracy=0.9" }},
		{"target", func(s *Spec) { s.Target = "val_bogus>=0.9" }},
		{"data.name", func(s *Spec) { s.Data.Name = "nope" }},
		{"data.split", func(s *Spec) { s.Data.Split = [3]float64{0.5, 0.2, 0.2} }},
		{"data.noise", func(s *Spec) { s.Data.Noise = 0.9 }},
	}
	for _, c := range cases {
		s := DefaultSpec()
		c.edit(&s)
		err := s.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), c.field+":") {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
	s := DefaultSpec()
	if err := s.Validate(); err != nil {
		t.Fatalf("default spec invalid: %v", err)
	}
	s.Loss = "ce"
	if err := s.CheckTask(datasets.Binary); err == nil || !strings.HasPrefix(err.Error(), "loss:") {
		t.Errorf("ce on a binary task: %v", err)
	}
	s = DefaultSpec()
	s.Target = "val_r2>=0.9"
	if err := s.CheckTask(datasets.Binary); err == nil || !strings.HasPrefix(err.Error(), "target:") {
		t.Errorf("r2 target on a binary task: %v", err)
	}
}

func TestSnapshotRoundTripAndPredict(t *testing.T) {
	s := DefaultSpec()
	s.Epochs = 3
	s.Model.Hidden[0].BatchNorm = true
	data := prepare(t, s.Data)
	_, fin := runAll(t, s, data, Options{})
	b, err := fin.Model.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fin.Model, back) {
		t.Fatal("weights changed in a save and load")
	}
	p1 := fin.Model.Predict(data.Test.X, data.Test.N)
	p2 := back.Predict(data.Test.X, data.Test.N)
	if !reflect.DeepEqual(p1, p2) {
		t.Fatal("predictions differ after a save and load")
	}
	e := Evaluate(data.Task(), p1, data.Test.Y, 1)
	if e.Metrics["accuracy"] != fin.Test.Metrics["accuracy"] {
		t.Fatalf("Predict accuracy %v, run's test accuracy %v", e.Metrics["accuracy"], fin.Test.Metrics["accuracy"])
	}
	for _, bad := range []string{`{"format":"x","version":1}`, `{"format":"workbench-mlp","version":99}`, `{"format":"workbench-mlp","version":1,"inputs":2,"outputs":1,"layers":[{"in":3,"out":1,"activation":"linear","w":[1,2,3],"b":[0]}]}`, `not json`} {
		if _, err := UnmarshalSnapshot([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestOptimizersAndSchedulesTrain(t *testing.T) {
	data := prepare(t, datasets.Spec{Name: "moons", Samples: 300, Noise: 0.1, Seed: 2})
	for _, o := range []OptimizerSpec{{Name: "gd", LR: 0.5}, {Name: "sgd", LR: 0.1}, {Name: "momentum", LR: 0.05}, {Name: "nesterov", LR: 0.05},
		{Name: "rmsprop", LR: 0.01}, {Name: "adam", LR: 0.01}, {Name: "adamw", LR: 0.01}} {
		for _, sc := range []ScheduleSpec{{Name: "constant"}, {Name: "step", StepSize: 20, Gamma: 0.5}, {Name: "exponential", Gamma: 0.99}, {Name: "cosine"}, {Name: "plateau", Patience: 5, Factor: 0.5}} {
			s := DefaultSpec()
			s.Data = data.Spec
			s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu"}}
			s.Optimizer, s.Schedule = o, sc
			s.Epochs = 80
			if o.Name == "gd" {
				s.BatchSize = 0
				s.Epochs = 300
			}
			eps, fin := runAll(t, s, data, Options{})
			if acc := fin.Val.Metrics["accuracy"]; acc < 0.85 {
				t.Errorf("%s/%s: val accuracy %v", o.Name, sc.Name, acc)
			}
			if sc.Name == "step" && eps[20].LR != eps[0].LR*0.5 {
				t.Errorf("step schedule: epoch 21 lr %v, want %v", eps[20].LR, eps[0].LR*0.5)
			}
		}
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	s := DefaultSpec()
	s.Model.Hidden = []LayerSpec{{Units: 32, Activation: "relu", BatchNorm: true, Dropout: 0.1}, {Units: 16, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.L1, s.L2, s.ClipNorm = 1e-4, 1e-3, 1
	s.Data.AugNoise, s.Data.Mixup = 0.05, 0.2
	s.BatchSize = 32
	data := prepare(t, s.Data)
	r, err := newRunner(s, data, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.model.Close()
	r.shuffle()
	r.step(0, 32, 0.01)
	if a := testing.AllocsPerRun(200, func() {
		r.shuffle()
		r.step(0, 32, 0.01)
	}); a != 0 {
		t.Fatalf("a training step allocates %v times", a)
	}
}

// TestNoEpochLimitTrainsUntilStopped: epochs 0 trains until Stop, and the
// run ends as stopped with every epoch reported.
func TestNoEpochLimitTrainsUntilStopped(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "xor", Samples: 100, Split: datasets.DefaultSplit, Seed: 1}
	s.Epochs = 0
	h, err := Run(context.Background(), s, prepare(t, s.Data))
	if err != nil {
		t.Fatal(err)
	}
	for h.Epoch() < 300 {
		time.Sleep(time.Millisecond)
	}
	h.Stop()
	last := 0
	var fin FinishedEvent
	for ev := range h.Events {
		switch e := ev.(type) {
		case EpochEvent:
			if e.Epoch != last+1 || e.Epochs != 0 {
				t.Fatalf("epoch %d (of %d) after %d", e.Epoch, e.Epochs, last)
			}
			last = e.Epoch
		case FinishedEvent:
			fin = e
		}
	}
	if fin.Status != StatusStopped || fin.Epochs != last || last < 300 || h.Epoch() != last {
		t.Fatalf("finished %s after %d epochs; saw %d, handle says %d", fin.Status, fin.Epochs, last, h.Epoch())
	}
}
