package sessions

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"workbench/datasets"
)

func TestPredictAppliesSavedPreprocessing(t *testing.T) {
	s := tempStore(t)
	spec := testSpec(120)
	spec.Data = datasets.Spec{Name: "moons", Samples: 400, Noise: 0.1, Split: datasets.DefaultSplit, Seed: 2,
		Scale: "standard", Crosses: []string{"x1sq", "x1x2"}}
	id := recordRun(t, s, spec)
	m, err := LoadModel(context.Background(), s, id)
	if err != nil {
		t.Fatal(err)
	}
	// Raw points, as a user's CSV would hold them.
	raw, _ := datasets.Generate("moons", 400, 0.1, 2)
	var b strings.Builder
	b.WriteString("x2,x1,label\n") // columns in another order, plus an extra one
	for i := 0; i < raw.N; i++ {
		fmt.Fprintf(&b, "%v,%v,%v\n", raw.X[2*i+1], raw.X[2*i], raw.Y[i])
	}
	_, preds, err := m.PredictCSV(strings.NewReader(b.String()), "new.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The same rows through the training pipeline's own transform.
	crossed := make([]float64, 0, raw.N*4)
	for i := 0; i < raw.N; i++ {
		x1, x2 := raw.X[2*i], raw.X[2*i+1]
		crossed = append(crossed, x1, x2, x1*x1, x1*x2)
	}
	direct := make([]float64, len(crossed))
	m.Run.Scaler.Transform(direct, crossed)
	want := m.Snapshot.Predict(direct, raw.N)
	correct := 0
	for i := range preds {
		if preds[i].Probs[1] != want[i] {
			t.Fatalf("row %d: %v via CSV, %v directly", i, preds[i].Probs[1], want[i])
		}
		if preds[i].Value == raw.Y[i] {
			correct++
		}
	}
	if acc := float64(correct) / float64(raw.N); acc < 0.9 {
		t.Fatalf("accuracy on the raw CSV %v", acc)
	}
	_, _, err = m.PredictCSV(strings.NewReader("x1,y\n1,2\n"), "bad.csv")
	if err == nil || !strings.Contains(err.Error(), `no column for the model's feature "x2"`) {
		t.Fatalf("missing column: %v", err)
	}
	_, _, err = m.PredictCSV(strings.NewReader("x1,x2\n1,2\n3,oops\n"), "bad.csv")
	if err == nil || err.Error() != `bad.csv: line 3, column 2 ("x2"): expected a number, got "oops"` {
		t.Fatalf("bad cell: %v", err)
	}
}
