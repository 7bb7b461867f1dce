package analysis

import (
	"context"
	"strings"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// digitsSpec is a digits model of 64 ReLU units trained with Adam.
func digitsSpec() trainer.Spec {
	s := trainer.DefaultSpec()
	s.Data = datasets.Spec{Name: "digits", Scale: "minmax", Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []trainer.LayerSpec{{Units: 64, Activation: "relu"}}
	s.Model.Init = "he_uniform"
	s.Loss = "ce"
	s.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.005}
	s.BatchSize = 32
	s.Epochs = 20
	return s
}

func TestCompressDigitsKeepsAccuracyWithinOnePoint(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	id := train(t, s, digitsSpec())
	opts := []CompressOptions{
		{Prune: 0.5, FinetuneEpochs: 3, FinetuneLR: 0.001},
		{Quantize: "int8"},
		{Prune: 0.25, Structured: true, FinetuneEpochs: 3, FinetuneLR: 0.001},
	}
	for _, o := range opts {
		o.MinTime = 50 * time.Millisecond
		res, err := Compress(ctx, s, id, o)
		if err != nil {
			t.Fatal(err)
		}
		b, a := res.Before, res.After
		t.Logf("%s: accuracy %.4f → %.4f, params %d → %d, non-zero weights %d → %d, bytes %d → %d, rows/s %.0f → %.0f",
			res.Method, b.Test["accuracy"], a.Test["accuracy"], b.Params, a.Params, b.NonZero, a.NonZero, b.Bytes, a.Bytes, b.RowsPerSec, a.RowsPerSec)
		if a.Test["accuracy"] < b.Test["accuracy"]-0.01 {
			t.Errorf("%s: test accuracy %.4f → %.4f, more than 1 point lost", res.Method, b.Test["accuracy"], a.Test["accuracy"])
		}
		if a.Bytes >= b.Bytes || a.RowsPerSec <= 0 {
			t.Errorf("%s: bytes %d → %d, rows/s %v", res.Method, b.Bytes, a.Bytes, a.RowsPerSec)
		}
		run, err := s.GetRun(ctx, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if run.Kind != sessions.KindCompressed || run.Parent != id || run.Metrics["test_accuracy"] != a.Test["accuracy"] {
			t.Errorf("derived run %+v", run)
		}
		m, err := sessions.LoadModel(ctx, s, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case o.Quantize == "int8":
			if _, ok := m.Model.(*trainer.Quantized); !ok {
				t.Errorf("predict on the int8 run loads a %T", m.Model)
			}
		case o.Structured:
			if run.Spec.Model.Hidden[0].Units != 48 || a.Params >= b.Params {
				t.Errorf("structured pruning left %d units, %d params", run.Spec.Model.Hidden[0].Units, a.Params)
			}
		default:
			if a.NonZero != b.NonZero-b.Weights/2 {
				t.Errorf("half of %d weights pruned, but %d → %d non-zero", b.Weights, b.NonZero, a.NonZero)
			}
			if m.Snapshot.NonZeroWeights() != a.NonZero {
				t.Errorf("the saved model has %d non-zero weights, the table says %d", m.Snapshot.NonZeroWeights(), a.NonZero)
			}
		}
	}
	for _, tc := range []struct {
		o    CompressOptions
		want string
	}{
		{CompressOptions{}, "nothing to do"},
		{CompressOptions{Prune: 1}, "out of range"},
		{CompressOptions{Quantize: "int4"}, "int4"},
		{CompressOptions{Quantize: "int8", FinetuneEpochs: 2}, "needs --prune"},
	} {
		if _, err := Compress(ctx, s, id, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}

func TestCompressRefusesEnsemblesAndInt8(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	a, b := breastCancerSpec(1), breastCancerSpec(2)
	a.Epochs, b.Epochs = 2, 2
	ia, ib := train(t, s, a), train(t, s, b)
	ens, err := Ensemble(ctx, s, []string{ia, ib}, EnsembleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compress(ctx, s, ens.ID, CompressOptions{Quantize: "int8"}); err == nil || !strings.Contains(err.Error(), "is an ensemble") {
		t.Errorf("compressing an ensemble: %v", err)
	}
	q, err := Compress(ctx, s, ia, CompressOptions{Quantize: "int8", MinTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compress(ctx, s, q.ID, CompressOptions{Quantize: "int8"}); err == nil || !strings.Contains(err.Error(), "already int8") {
		t.Errorf("compressing an int8 run: %v", err)
	}
	// A pruned run can be quantized in turn, and an int8 run can be a member.
	p, err := Compress(ctx, s, ib, CompressOptions{Prune: 0.3, MinTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compress(ctx, s, p.ID, CompressOptions{Quantize: "int8", MinTime: time.Millisecond}); err != nil {
		t.Errorf("quantizing a pruned run: %v", err)
	}
	if _, err := Ensemble(ctx, s, []string{q.ID, p.ID}, EnsembleOptions{NoSave: true}); err != nil {
		t.Errorf("an ensemble of compressed runs: %v", err)
	}
}
