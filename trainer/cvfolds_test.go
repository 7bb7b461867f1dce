package trainer

import (
	"slices"
	"testing"
	"time"
)

// TestCrossValidationEpochsSayHowManyFolds: once folds stop early at
// different epochs, each epoch's mean is over the folds still training;
// the EpochEvent says how many (Folds), and the finished run's validation
// evaluation keeps each fold's epochs, so a saved run says it too.
func TestCrossValidationEpochsSayHowManyFolds(t *testing.T) {
	s := stoppingCVSpec()
	data := prepare(t, s.Data)
	curves := foldCurves(t, s, data)
	var lens []int
	for _, c := range curves {
		lens = append(lens, len(c))
	}
	if slices.Min(lens) == slices.Max(lens) {
		t.Fatalf("every fold stopped at epoch %d: the test needs folds that stop apart", lens[0])
	}
	eps, fin := runAll(t, s, data, Options{})
	fewer := 0
	for _, e := range eps {
		want := 0
		for _, n := range lens {
			if n >= e.Epoch {
				want++
			}
		}
		if e.Folds != want {
			t.Errorf("epoch %d: Folds %d, want %d (folds stopped at %v)", e.Epoch, e.Folds, want, lens)
		}
		if n, of := fin.Val.FoldsAt(e.Epoch); n != want || of != s.CV {
			t.Errorf("epoch %d: FoldsAt %d of %d, want %d of %d", e.Epoch, n, of, want, s.CV)
		}
		if want < s.CV {
			fewer++
		}
	}
	if fewer == 0 {
		t.Fatal("no epoch is a mean of fewer folds")
	}
	if !slices.Equal(fin.Val.FoldEpochs, lens) {
		t.Errorf("FoldEpochs %v, want %v", fin.Val.FoldEpochs, lens)
	}
	// A run without cross-validation says nothing of folds.
	one := s
	one.CV = 0
	plain, pfin := runAll(t, one, data, Options{})
	if plain[0].Folds != 0 || pfin.Val.FoldEpochs != nil {
		t.Errorf("a plain run: Folds %d, FoldEpochs %v", plain[0].Folds, pfin.Val.FoldEpochs)
	}
	if n, of := pfin.Val.FoldsAt(1); n != 0 || of != 0 {
		t.Errorf("a plain run: FoldsAt %d of %d", n, of)
	}
}

// TestCrossValidationTimesItsFolds: a cross-validated run's time counts
// from before its folds start, so an aggregator that first runs after
// the folds have finished (a short run on a busy machine) does not read
// "took 0s".
func TestCrossValidationTimesItsFolds(t *testing.T) {
	s := cvSpec()
	s.Epochs = 1
	data := prepare(t, s.Data)
	const late = 40 * time.Millisecond
	beforeAggregate = func() { time.Sleep(late) }
	defer func() { beforeAggregate = func() {} }()
	_, fin := runAll(t, s, data, Options{})
	if fin.Elapsed < late {
		t.Errorf("Elapsed %v, want at least the %v its folds ran before the aggregator", fin.Elapsed, late)
	}
}
