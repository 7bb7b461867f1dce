package sessions

import (
	"context"
	"slices"
	"testing"
	"time"

	"workbench/trainer"
)

func TestSummariesMatchFullRows(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			spec := testSpec(4 + i)
			spec.Tags = []string{"t"}
			recordRun(t, s, spec)
		}
		for _, q := range []Query{{}, {Sort: "-val_accuracy"}, {Sort: "name", Limit: 2}, {Tag: "t", Sort: "epochs"}} {
			full, err := s.ListRuns(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := s.ListSummaries(ctx, q)
			if err != nil || len(sum) != len(full) {
				t.Fatalf("%+v: %d summaries, %d runs, %v", q, len(sum), len(full), err)
			}
			for i, r := range full {
				m := sum[i]
				if m.ID != r.ID || m.Name != r.Name || m.Status != r.Status || m.EpochsDone != r.EpochsDone ||
					m.Spec.Optimizer.Name != r.Spec.Optimizer.Name || m.Spec.Optimizer.LR != r.Spec.Optimizer.LR || m.Task != r.Task || m.Duration != r.Duration || len(m.Metrics) != 2 || m.Metrics["test_accuracy"] != r.Metrics["test_accuracy"] ||
					m.Metrics["best_val_accuracy"] != r.Metrics["best_val_accuracy"] || !m.Created.Equal(r.Created) {
					t.Fatalf("%+v: row %d: summary %+v, run %+v", q, i, m, r)
				}
			}
		}
	})
}

func TestSummariesCarryAskedMetrics(t *testing.T) {
	s := tempStore(t)
	recordRun(t, s, testSpec(3))
	runs, err := s.ListSummaries(context.Background(), Query{Metrics: []string{"best_val_f1", "test_loss"}})
	if err != nil || len(runs) != 1 {
		t.Fatal(err)
	}
	m := runs[0].Metrics
	if _, ok := m["best_val_f1"]; !ok || len(m) != 4 {
		t.Fatalf("metrics %v", m)
	}
	if _, ok := m["test_loss"]; !ok {
		t.Fatalf("metrics %v", m)
	}
}

func TestListChangedSince(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		add := func(id, name string) {
			if err := s.CreateRun(ctx, &Run{ID: id, Name: name, Status: trainer.StatusDone, Spec: testSpec(1), Created: time.Now(), Metrics: Metrics{}}); err != nil {
				t.Fatal(err)
			}
		}
		add("a", "alpha")
		add("b", "beta")
		seq, err := s.ChangeSeq(ctx)
		if err != nil || seq == 0 {
			t.Fatalf("seq %d, %v", seq, err)
		}
		c, err := s.ListChangedSince(ctx, Query{}, seq)
		if err != nil || len(c.Runs) != 0 || len(c.Changed) != 0 || c.Seq != seq {
			t.Fatalf("nothing changed, yet %+v, %v", c, err)
		}
		add("c", "gamma")
		newName := "alphabet"
		s.UpdateRun(ctx, "a", Patch{Name: &newName})
		s.DeleteRuns(ctx, "b")
		q := Query{Text: "alpha"}
		c, err = s.ListChangedSince(ctx, q, seq)
		if err != nil || c.Seq <= seq {
			t.Fatal(c, err)
		}
		slices.Sort(c.Changed)
		if !slices.Equal(c.Changed, []string{"a", "b", "c"}) || len(c.Runs) != 1 || c.Runs[0].Name != "alphabet" {
			t.Fatalf("changed %v, runs %d", c.Changed, len(c.Runs))
		}
		// An epoch of a running run is a change too.
		seq = c.Seq
		s.CreateRun(ctx, &Run{ID: "live", Status: trainer.StatusRunning, Spec: testSpec(5), Created: time.Now(), Metrics: Metrics{}})
		c, _ = s.ListChangedSince(ctx, Query{}, seq)
		seq = c.Seq
		if err := s.AppendEpoch(ctx, "live", Epoch{Epoch: 1, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}}); err != nil {
			t.Fatal(err)
		}
		c, _ = s.ListChangedSince(ctx, Query{}, seq)
		if len(c.Runs) != 1 || c.Runs[0].EpochsDone != 1 {
			t.Fatalf("after an epoch: %+v", c)
		}
	})
}
