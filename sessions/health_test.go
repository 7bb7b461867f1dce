package sessions

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// TestLayerHealthIsStored: every recorded epoch's layer health comes back
// from History as the trainer sent it, survives export and import, and
// goes with its run.
func TestLayerHealthIsStored(t *testing.T) {
	s := tempStore(t)
	spec := fastSpec(6)
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}, {Units: 4, Activation: "relu"}}
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	h, err := trainer.Run(context.Background(), spec, data)
	if err != nil {
		t.Fatal(err)
	}
	rec := Record(s, data, h.Events, RecordOptions{})
	var sent [][]trainer.LayerHealth
	for ev := range rec.Events() {
		if e, ok := ev.(trainer.EpochEvent); ok {
			sent = append(sent, e.Layers)
		}
	}
	ctx := context.Background()
	hist, err := s.History(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 6 {
		t.Fatalf("%d epochs stored, want 6", len(hist))
	}
	for i, e := range hist {
		if len(e.Layers) != 2 || !reflect.DeepEqual(e.Layers, sent[i]) {
			t.Fatalf("epoch %d: stored %+v, sent %+v", e.Epoch, e.Layers, sent[i])
		}
	}
	full, err := LoadFull(ctx, s, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	s2 := tempStore(t)
	if err := s2.ImportRun(ctx, full); err != nil {
		t.Fatal(err)
	}
	hist2, err := s2.History(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(hist2[5].Layers, hist[5].Layers) {
		t.Fatalf("imported %+v, want %+v", hist2[5].Layers, hist[5].Layers)
	}
	if err := s.DeleteRuns(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM layer_health").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d layer rows left after delete (%v)", n, err)
	}
}

// TestLayerHealthHostileValues: non-finite values are stored as finite
// stand-ins instead of failing the epoch's write.
func TestLayerHealthHostileValues(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	run := &Run{ID: "r1", Status: trainer.StatusRunning, Spec: fastSpec(1), Dataset: "xor", Task: "binary"}
	if err := s.CreateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	l := trainer.LayerHealth{Layer: 1, Activation: "relu", Units: 1, WeightNorm: math.NaN(), GradNorm: math.Inf(1), ActMean: math.Inf(-1), ActStd: 1e300}
	if err := s.AppendEpoch(ctx, "r1", Epoch{Epoch: 1, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Layers: []trainer.LayerHealth{l}}); err != nil {
		t.Fatal(err)
	}
	hist, err := s.History(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	got := hist[0].Layers[0]
	if got.WeightNorm != 0 || got.GradNorm != math.MaxFloat64 || got.ActMean != -math.MaxFloat64 || got.ActStd != 1e300 {
		t.Fatalf("stored %+v", got)
	}
}

// TestMigrationToLayerHealth: a store at schema 1 is migrated to the newest (3) and
// keeps its runs; their epochs simply have no layers.
func TestMigrationToLayerHealth(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v1.db")
	raw, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[1], "PRAGMA user_version = 1",
		`INSERT INTO runs (id, status, spec, dataset, task, summary, optimizer, lr, created_at) VALUES ('old', 'done', '{}', 'xor', 'binary', '', 'sgd', 0.1, 1)`,
		`INSERT INTO epochs VALUES ('old', 1, 0.1, 1, 1, '{"loss":1}', '{"loss":1}')`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hist, err := s.History(context.Background(), "old")
	if err != nil || len(hist) != 1 || hist[0].Layers != nil {
		t.Fatalf("history %+v (%v)", hist, err)
	}
	var v int
	s.r.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion || v < 2 {
		t.Fatalf("schema %d after migration", v)
	}
}

// BenchmarkRecordEpochWithLayers is BenchmarkRecordEpoch with two hidden
// layers' health in each epoch.
func BenchmarkRecordEpochWithLayers(b *testing.B) {
	s := tempStore(b)
	ctx := context.Background()
	s.CreateRun(ctx, &Run{ID: "r", Status: trainer.StatusRunning, Spec: testSpec(3), Metrics: Metrics{}})
	train := Metrics{"loss": 0.5, "accuracy": 0.8}
	val := Metrics{"loss": 0.5, "accuracy": 0.8, "precision": 0.7, "recall": 0.6, "f1": 0.65, "auc": 0.9}
	layers := []trainer.LayerHealth{{Layer: 1, Activation: "relu", Units: 8, WeightNorm: 2}, {Layer: 2, Activation: "relu", Units: 8, WeightNorm: 3}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.AppendEpoch(ctx, "r", Epoch{Epoch: i + 1, Train: train, Val: val, LR: 0.01, Layers: layers}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLayerHealthThinning: every epoch's layers up to 100, then every
// 10th; the epochs themselves are all kept.
func TestLayerHealthThinning(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	if err := s.CreateRun(ctx, &Run{ID: "r1", Status: trainer.StatusRunning, Spec: fastSpec(1), Dataset: "xor", Task: "binary"}); err != nil {
		t.Fatal(err)
	}
	var eps []Epoch
	for e := 98; e <= 112; e++ {
		eps = append(eps, Epoch{Epoch: e, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Layers: []trainer.LayerHealth{{Layer: 1, Units: 2}}})
	}
	if err := s.AppendEpochs(ctx, "r1", eps, 112); err != nil {
		t.Fatal(err)
	}
	hist, err := s.History(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	var with []int
	for _, e := range hist {
		if len(e.Layers) > 0 {
			with = append(with, e.Epoch)
		}
	}
	if len(hist) != 15 || !reflect.DeepEqual(with, []int{98, 99, 100, 110}) {
		t.Fatalf("%d epochs, layers at %v", len(hist), with)
	}
}
