package sessions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"workbench/trainer"
)

// exportOf records n small runs in a fresh store and returns its export.
func exportOf(t *testing.T, n int) []byte {
	t.Helper()
	s := tempStore(t)
	for i := 0; i < n; i++ {
		spec := testSpec(3 + i)
		spec.Seed = uint64(i + 1)
		spec.Data.Scale = "standard"
		recordRun(t, s, spec)
	}
	var b bytes.Buffer
	if err := ExportJSON(context.Background(), s, nil, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportIsResumable(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		full := exportOf(t, 5)
		ctx := context.Background()
		b := be.open(t)
		// A kill part way: the file ends inside the fourth run.
		cut := bytes.Index(full, []byte(`"id"`))
		for i := 0; i < 3; i++ {
			cut += bytes.Index(full[cut+1:], []byte(`"id"`)) + 1
		}
		st, err := ImportFrom(ctx, b, bytes.NewReader(full[:cut+200]), nil)
		if err == nil || st.Imported != 3 || !strings.Contains(err.Error(), "run 4") {
			t.Fatalf("truncated import: %+v, %v", st, err)
		}
		st, err = ImportFrom(ctx, b, bytes.NewReader(full), nil)
		if err != nil || st.Imported != 2 || st.Skipped != 3 || st.Refused != 0 {
			t.Fatalf("resumed import: %+v, %v", st, err)
		}
		var again bytes.Buffer
		if err := ExportJSON(ctx, b, nil, &again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(full, again.Bytes()) {
			t.Fatal("the resumed store exports differently")
		}
		// The same ID with different content is refused, by name.
		var ex Export
		json.Unmarshal(full, &ex)
		ex.Runs[1].Name = "someone else's run"
		changed, _ := json.Marshal(ex)
		st, err = ImportFrom(ctx, b, bytes.NewReader(changed), nil)
		if st.Refused != 1 || st.Skipped != 4 || err != nil || !errors.Is(st.Err(), ErrConflict) ||
			!strings.Contains(st.Err().Error(), ex.Runs[1].ID) || !strings.Contains(st.Err().Error(), "name") {
			t.Fatalf("conflicting import: %+v, %v, %v", st, err, st.Err())
		}
	})
}

func TestImportValidatesEveryRun(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		var ex Export
		if err := json.Unmarshal(exportOf(t, 1), &ex); err != nil {
			t.Fatal(err)
		}
		base, _ := json.Marshal(ex.Runs[0])
		cases := []struct {
			name, field string
			mutate      func(f *FullRun)
		}{
			{"a scaler narrower than the features", "scaler", func(f *FullRun) { f.Scaler.Offset, f.Scaler.Factor = f.Scaler.Offset[:1], f.Scaler.Factor[:1] }},
			{"a scaler wider than the features", "scaler", func(f *FullRun) {
				f.Scaler.Offset, f.Scaler.Factor = append(f.Scaler.Offset, 0), append(f.Scaler.Factor, 1)
			}},
			{"a zero scale factor", "scaler column 0", func(f *FullRun) { f.Scaler.Factor[0] = 0 }},
			{"a ragged confusion matrix", "evaluation.test", func(f *FullRun) { f.Evaluation.Test.Confusion[1] = []int{1} }},
			{"a confusion matrix for 3 classes", "evaluation.val", func(f *FullRun) {
				f.Evaluation.Val.Confusion = [][]int{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
			}},
			{"an ROC rate above 1", "evaluation.test", func(f *FullRun) { f.Evaluation.Test.ROC[0].TPR = 2 }},
			{"weights for other features", "weights", func(f *FullRun) {
				f.Features = append(f.Features, "extra")
				f.Scaler.Offset, f.Scaler.Factor = nil, nil
			}},
			{"unreadable weights", "weights", func(f *FullRun) { f.Weights = []byte("{") }},
			{"a gap in the history", "history[1]", func(f *FullRun) { f.History[1].Epoch = 7 }},
			{"more history than epochs", "epochs_done", func(f *FullRun) { f.EpochsDone = 1 }},
			{"an unknown status", "status", func(f *FullRun) { f.Status = "\x1b[2J" }},
			{"a path in the ID", "ID", func(f *FullRun) { f.ID = "x/../../ESCAPED" }},
			{"a bad spec", "spec", func(f *FullRun) { f.Spec.Epochs = -3 }},
		}
		s := be.open(t)
		ctx := context.Background()
		for _, c := range cases {
			var f FullRun
			json.Unmarshal(base, &f)
			c.mutate(&f)
			err := s.ImportRun(ctx, &f)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.field) {
				t.Errorf("%s: %v, want an error naming %q", c.name, err, c.field)
				continue
			}
			if c.field != "ID" && !strings.Contains(err.Error(), f.ID) {
				t.Errorf("%s: %v does not name the run", c.name, err)
			}
		}
		if runs, _ := s.ListSummaries(ctx, Query{}); len(runs) != 0 {
			t.Fatalf("%d invalid runs were stored", len(runs))
		}
		var f FullRun
		json.Unmarshal(base, &f)
		if err := s.ImportRun(ctx, &f); err != nil {
			t.Fatalf("the unchanged run: %v", err)
		}
	})
}

func TestIDsAreRestrictedOnCreation(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		for _, id := range []string{"x/../../ESCAPED", "", ".hidden", "-flag", "a b", "tab\t", strings.Repeat("a", 65), "é"} {
			err := s.CreateRun(context.Background(), &Run{ID: id, Status: trainer.StatusRunning, Metrics: Metrics{}})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("ID %q: %v", id, err)
			}
		}
		for _, id := range []string{trainer.NewID(), "sweep-" + trainer.NewID(), "run_1.a-B"} {
			if err := ValidID(id); err != nil {
				t.Errorf("ID %q: %v", id, err)
			}
		}
		if name, err := ExportFileName("x/../y"); err == nil {
			t.Fatalf("ExportFileName made %q", name)
		}
	})
}
