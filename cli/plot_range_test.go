package cli

import (
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"workbench/sessions"
)

// TestPlotCurvesHoldEveryPointAndConfusionReads: the curves' y range
// holds every point with a margin (the first point used to sit on the
// frame), and the confusion matrix's annotations contrast with their cells.
func TestPlotCurvesHoldEveryPointAndConfusionReads(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	id := trainRun(t, db, "--data", "iris", "--epochs", "5")
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	p, err := curvesPlot(store, []string{id}, "val_loss")
	if err != nil {
		t.Fatal(err)
	}
	hist, _ := store.History(t.Context(), id)
	for _, e := range hist {
		if v := e.Val["loss"]; v <= p.Y.Min || v >= p.Y.Max {
			t.Fatalf("epoch %d: val_loss %v outside (%v, %v)", e.Epoch, v, p.Y.Min, p.Y.Max)
		}
	}
	if _, err := confusionPlot(store, id); err != nil {
		t.Fatal(err)
	}
	l, err := confusionAnnotations(confusionGrid{{20, 1, 0}, {2, 15, 3}, {0, 0, 19}}, 20)
	if err != nil {
		t.Fatal(err)
	}
	var dark, light int
	for _, st := range l.TextStyle {
		switch st.Color {
		case color.White:
			dark++
		case color.Black:
			light++
		}
	}
	if dark != 3 || light != 6 {
		t.Fatalf("annotations: %d white on dark cells, %d black on light ones; want 3 and 6", dark, light)
	}
}

// TestConfusionPlotSaysItsThreshold: a run with a cost matrix plots its
// confusion matrix at the tuned threshold and says so in the title; a run
// at 0.5 says nothing of it.
func TestConfusionPlotSaysItsThreshold(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	id := trainRun(t, db, "--data", "moons", "--noise", "0.2", "--epochs", "5", "--cost-fn", "5")
	plain := trainRun(t, db, "--data", "moons", "--noise", "0.2", "--epochs", "5")
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	p, err := confusionPlot(store, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Title.Text, "confusion matrix (test at threshold 0.") {
		t.Errorf("title %q", p.Title.Text)
	}
	if p, err = confusionPlot(store, plain); err != nil || !strings.HasPrefix(p.Title.Text, "confusion matrix (test): ") {
		t.Errorf("a run at 0.5: %v, title %q", err, p.Title.Text)
	}
}
