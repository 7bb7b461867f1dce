package sessions

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/trainer"
)

// recordRun trains spec to the end, recording it, and returns the run ID.
func recordRun(t testing.TB, s Store, spec trainer.Spec) string {
	t.Helper()
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	h, err := trainer.Run(context.Background(), spec, data)
	if err != nil {
		t.Fatal(err)
	}
	rec := Record(s, data, h.Events, RecordOptions{})
	for range rec.Events() {
	}
	if err := rec.Err(); err != nil {
		t.Fatal(err)
	}
	return h.ID
}

func TestRecordAndRead(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		spec := testSpec(25)
		spec.Name = "first"
		spec.Tags = []string{"baseline"}
		id := recordRun(t, s, spec)
		r, err := s.GetRun(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != trainer.StatusDone || r.EpochsDone != 25 || r.Name != "first" || r.Dataset != "spiral" || r.Params == 0 {
			t.Fatalf("run row: %+v", r)
		}
		if !reflect.DeepEqual(r.Spec, spec) {
			t.Fatal("stored spec differs")
		}
		hist, _ := s.History(ctx, id)
		if len(hist) != 25 {
			t.Fatalf("%d epochs", len(hist))
		}
		// "Best" is one thing: the values at the epoch with the best monitored
		// metric (val_loss here), not each metric's own maximum.
		bestEpoch, lowest := 0, math.Inf(1)
		for _, e := range hist {
			if e.Val["loss"] < lowest {
				bestEpoch, lowest = e.Epoch, e.Val["loss"]
			}
		}
		best := hist[bestEpoch-1].Val["accuracy"]
		if r.BestEpoch != bestEpoch || r.Metrics["best_val_loss"] != lowest || r.Metrics["best_val_accuracy"] != best ||
			r.Metrics["last_val_accuracy"] != hist[24].Val["accuracy"] {
			t.Fatalf("best epoch %d (want %d), best_val_accuracy %v (want %v), last %v", r.BestEpoch, bestEpoch,
				r.Metrics["best_val_accuracy"], best, r.Metrics["last_val_accuracy"])
		}
		ev, err := s.Evaluation(ctx, id)
		if err != nil || len(ev.Test.Confusion) != 2 || len(ev.Test.ROC) < 2 || r.Metrics["test_accuracy"] != ev.Test.Metrics["accuracy"] {
			t.Fatalf("evaluation %+v, %v", ev, err)
		}
		w, err := s.Weights(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := trainer.UnmarshalSnapshot(w); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetRun(ctx, "nope"); err == nil {
			t.Fatal("missing run found")
		}
	})
}

func TestDivergedRunIsStored(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		spec := testSpec(50)
		spec.Data = datasets.Spec{Name: "reg-plane", Samples: 200, Split: datasets.DefaultSplit, Seed: 1}
		spec.Loss = "mse"
		spec.Optimizer = trainer.OptimizerSpec{Name: "sgd", LR: 10}
		id := recordRun(t, s, spec)
		runs, _ := s.ListRuns(context.Background(), Query{Status: []string{"diverged"}})
		if len(runs) != 1 || runs[0].ID != id || runs[0].Reason == "" {
			t.Fatalf("diverged runs: %v", runs)
		}
		hist, _ := s.History(context.Background(), id)
		for _, e := range hist {
			for k, v := range e.Val {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite %s in epoch %d", k, e.Epoch)
				}
			}
		}
	})
}

func TestNonFiniteMetricsStayExplicit(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		run := &Run{ID: "x", Status: trainer.StatusRunning, Spec: testSpec(3), Created: time.Unix(1, 0), Metrics: Metrics{}}
		if err := s.CreateRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		if err := s.AppendEpoch(ctx, "x", Epoch{Epoch: 1, Train: Metrics{"loss": math.Inf(1)}, Val: Metrics{"loss": math.NaN()}}); err != nil {
			t.Fatal(err)
		}
		h, _ := s.History(ctx, "x")
		if !math.IsInf(h[0].Train["loss"], 1) || !math.IsNaN(h[0].Val["loss"]) {
			t.Fatalf("read back %v %v", h[0].Train, h[0].Val)
		}
		var nf string
		s.r.QueryRow("SELECT nonfinite FROM run_metrics WHERE run_id='x' AND key='best_train_loss'").Scan(&nf)
		if nf != "+Inf" {
			t.Fatalf("nonfinite column %q", nf)
		}
	})
}

func TestListFiltersAndSorts(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		var ids []string
		for i, lr := range []float64{0.001, 0.01, 0.1} {
			spec := testSpec(15)
			spec.Optimizer.LR = lr
			spec.Name = fmt.Sprintf("lr %g", lr)
			if i == 2 {
				spec.Data.Name = "moons"
				spec.Tags = []string{"wide"}
			}
			ids = append(ids, recordRun(t, s, spec))
		}
		s.UpdateRun(ctx, ids[0], Patch{Notes: ptr("slow learner")})
		cases := []struct {
			filters []string
			sort    string
			want    []int
		}{
			{nil, "", []int{2, 1, 0}},
			{nil, "lr", []int{0, 1, 2}},
			{[]string{"dataset=moons"}, "", []int{2}},
			{[]string{"tag=wide"}, "", []int{2}},
			{[]string{"text~slow"}, "", []int{0}},
			{[]string{"status=done"}, "created", []int{0, 1, 2}},
		}
		for _, c := range cases {
			var q Query
			for _, f := range c.filters {
				if err := q.ParseFilter(f); err != nil {
					t.Fatal(err)
				}
			}
			q.Sort = c.sort
			runs, err := s.ListRuns(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, r := range runs {
				for i, id := range ids {
					if r.ID == id {
						got = append(got, i)
					}
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%v sort %q: got %v, want %v", c.filters, c.sort, got, c.want)
			}
		}
		// Sort by the best value of a metric, and filter on a threshold.
		runs, err := s.ListRuns(ctx, Query{Sort: "-val_accuracy"})
		if err != nil || len(runs) != 3 {
			t.Fatalf("sort by metric: %d runs, %v", len(runs), err)
		}
		for i := 1; i < len(runs); i++ {
			if runs[i].Metrics["best_val_accuracy"] > runs[i-1].Metrics["best_val_accuracy"] {
				t.Fatal("not sorted by best val_accuracy")
			}
		}
		th := runs[1].Metrics["best_val_accuracy"]
		var q Query
		q.ParseFilter(fmt.Sprintf("val_accuracy>=%v", th))
		got, _ := s.ListRuns(ctx, q)
		if len(got) < 2 {
			t.Fatalf("threshold %v kept %d runs", th, len(got))
		}
		for _, bad := range []string{"val_accuracy>x", "bogus>1", "status>1", "nothing", "status=finished", "status=done|bogus"} {
			var q Query
			if err := q.ParseFilter(bad); err == nil {
				t.Errorf("filter %q accepted", bad)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestManage(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		id := recordRun(t, s, testSpec(5))
		if err := s.UpdateRun(ctx, id, Patch{Name: ptr("renamed"), Tags: ptr([]string{"a", "b"}), Notes: ptr("n")}); err != nil {
			t.Fatal(err)
		}
		r, _ := s.GetRun(ctx, id)
		if r.Name != "renamed" || !reflect.DeepEqual(r.Tags, []string{"a", "b"}) || r.Notes != "n" {
			t.Fatalf("%+v", r)
		}
		if err := s.DeleteRuns(ctx, id); err != nil {
			t.Fatal(err)
		}
		var n int
		s.r.QueryRow("SELECT (SELECT count(*) FROM epochs) + (SELECT count(*) FROM weights) + (SELECT count(*) FROM evaluations) + (SELECT count(*) FROM run_metrics)").Scan(&n)
		if n != 0 {
			t.Fatalf("%d rows left after delete", n)
		}
		if err := s.DeleteRuns(ctx, id); err == nil {
			t.Fatal("deleting a missing run succeeded")
		}
	})
}

func TestExportImportExportIsIdentical(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		a := be.open(t)
		ctx := context.Background()
		recordRun(t, a, testSpec(12))
		spec := testSpec(8)
		spec.Data.Name = "iris"
		spec.Data.Samples = 0
		spec.Loss = "ce"
		recordRun(t, a, spec)
		var first bytes.Buffer
		if err := ExportJSON(ctx, a, nil, &first); err != nil {
			t.Fatal(err)
		}
		ex, err := ReadExport(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		b := be.open(t)
		if n, err := Import(ctx, b, ex); err != nil || n != 2 {
			t.Fatalf("imported %d: %v", n, err)
		}
		var second bytes.Buffer
		if err := ExportJSON(ctx, b, nil, &second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("exports differ:\n%s\n---\n%s", first.String()[:400], second.String()[:400])
		}
		// Importing again skips the identical runs.
		if n, err := Import(ctx, b, ex); err != nil || n != 0 {
			t.Fatalf("importing the same runs twice: imported %d, %v", n, err)
		}
		// CSV: one row per run with flattened hyperparameters and metrics.
		var c bytes.Buffer
		if err := ExportCSV(ctx, a, nil, &c); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&c).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("csv rows %d: %v", len(rows), err)
		}
		head := strings.Join(rows[0], ",")
		for _, col := range []string{"spec.optimizer.lr", "spec.model.hidden[0].units", "best_val_accuracy", "test_accuracy"} {
			if !strings.Contains(head, col) {
				t.Errorf("csv header lacks %s", col)
			}
		}
		var hc bytes.Buffer
		if err := ExportHistoryCSV(ctx, a, ex.Runs[0].ID, &hc); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(hc.String(), "\n"); lines != 13 {
			t.Fatalf("history csv has %d lines, want 13", lines)
		}
	})
}

func TestRerunIsBitIdentical(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	spec := testSpec(20)
	spec.Model.Hidden[0].Dropout = 0.1
	a := recordRun(t, s, spec)
	stored, _ := s.GetRun(ctx, a)
	b := recordRun(t, s, stored.Spec)
	ha, _ := s.History(ctx, a)
	hb, _ := s.History(ctx, b)
	if len(ha) != len(hb) {
		t.Fatal("lengths differ")
	}
	for i := range ha {
		if !reflect.DeepEqual(ha[i].Train, hb[i].Train) || !reflect.DeepEqual(ha[i].Val, hb[i].Val) || ha[i].LR != hb[i].LR {
			t.Fatalf("epoch %d differs", i+1)
		}
	}
	wa, _ := s.Weights(ctx, a)
	wb, _ := s.Weights(ctx, b)
	if !bytes.Equal(wa, wb) {
		t.Fatal("weights differ")
	}
}

func TestCompare(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		x := testSpec(10)
		y := testSpec(14)
		y.Optimizer.LR = 0.05
		ids := []string{recordRun(t, s, x), recordRun(t, s, y)}
		c, err := Compare(ctx, s, ids)
		if err != nil {
			t.Fatal(err)
		}
		if c.Epochs != 14 || len(c.Histories[0]) != 10 {
			t.Fatalf("epochs %d", c.Epochs)
		}
		var fields []string
		for _, d := range c.Diff {
			fields = append(fields, d.Field)
		}
		if !reflect.DeepEqual(fields, []string{"epochs", "optimizer.lr"}) {
			t.Fatalf("diff fields %v", fields)
		}
		for _, m := range c.Metrics {
			if m.Key == "best_val_loss" {
				want := 0
				if c.Runs[1].Metrics["best_val_loss"] < c.Runs[0].Metrics["best_val_loss"] {
					want = 1
				}
				if m.Best != want {
					t.Fatalf("best_val_loss marked %d, want %d", m.Best, want)
				}
				return
			}
		}
		t.Fatal("no best_val_loss row")
	})
}

func BenchmarkRecordEpoch(b *testing.B) {
	s := tempStore(b)
	ctx := context.Background()
	s.CreateRun(ctx, &Run{ID: "r", Status: trainer.StatusRunning, Spec: testSpec(3), Created: time.Now(), Metrics: Metrics{}})
	train := Metrics{"loss": 0.5, "accuracy": 0.8}
	val := Metrics{"loss": 0.5, "accuracy": 0.8, "precision": 0.7, "recall": 0.6, "f1": 0.65, "auc": 0.9}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.AppendEpoch(ctx, "r", Epoch{Epoch: i + 1, Train: train, Val: val, LR: 0.01}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkList10000Runs(b *testing.B) {
	s := tempStore(b)
	ctx := context.Background()
	tx, _ := s.w.Begin()
	for i := 0; i < 10000; i++ {
		r := &Run{ID: fmt.Sprintf("r%05d", i), Status: trainer.StatusDone, Spec: testSpec(3), Created: time.Unix(int64(i), 0),
			Metrics: Metrics{"best_val_accuracy": float64(i%100) / 100, "test_accuracy": 0.5}}
		if err := s.insertRun(ctx, tx, r); err != nil {
			b.Fatal(err)
		}
	}
	tx.Commit()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runs, err := s.ListRuns(ctx, Query{Sort: "-val_accuracy"})
		if err != nil || len(runs) != 10000 {
			b.Fatal(len(runs), err)
		}
	}
}

func BenchmarkOpen10000EpochHistory(b *testing.B) {
	s := tempStore(b)
	ctx := context.Background()
	s.CreateRun(ctx, &Run{ID: "r", Status: trainer.StatusRunning, Spec: testSpec(3), Created: time.Now(), Metrics: Metrics{}})
	tx, _ := s.w.Begin()
	for i := 1; i <= 10000; i++ {
		tx.Exec(`INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val) VALUES ('r',?,0.01,0,0,'{"loss":0.5}','{"accuracy":0.8,"loss":0.5}')`, i)
	}
	tx.Commit()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.GetRun(ctx, "r"); err != nil {
			b.Fatal(err)
		}
		h, err := s.History(ctx, "r")
		if err != nil || len(h) != 10000 {
			b.Fatal(len(h), err)
		}
	}
}

func FuzzReadExport(f *testing.F) {
	f.Add([]byte(`{"format":"workbench-runs","version":1,"runs":[]}`))
	f.Add([]byte(`{"format":"workbench-runs","version":1,"runs":[{"id":"a","status":"done","spec":{"epochs":1},"history":[{"epoch":1,"train":{"loss":"NaN"},"val":{}}],"weights":"AAEC"}]}`))
	f.Add([]byte(`{"format":"workbench-runs","version":1,"runs":[{"id":"a","status":"running","spec":{"epochs":2},"metrics":{"x":"+Inf"},"evaluation":{"val":{"metrics":{}},"test":{"metrics":{"a":1}}}}]}`))
	f.Add([]byte(`{"format":"other"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ex, err := ReadExport(bytes.NewReader(b))
		if err != nil {
			return
		}
		s := tempStore(t)
		if _, err := Import(context.Background(), s, ex); err != nil {
			return
		}
		var out bytes.Buffer
		if err := ExportJSON(context.Background(), s, nil, &out); err != nil {
			t.Fatalf("export after import: %v", err)
		}
	})
}

// TestFilterRefusesAnUnknownStatus: status=dne matched nothing in silence.
func TestFilterRefusesAnUnknownStatus(t *testing.T) {
	for expr, want := range map[string]string{
		"status=dne":         `filter "status=dne": unknown status "dne"; did you mean done?`,
		"status=done|stoped": `filter "status=done|stoped": unknown status "stoped"; did you mean stopped?`,
		"status=finished":    `filter "status=finished": unknown status "finished" (running, done, early_stopped, target_reached, diverged, stopped, pruned, interrupted, failed)`,
	} {
		var q Query
		if err := q.ParseFilter(expr); err == nil || err.Error() != want {
			t.Errorf("%s: got %v\nwant %s", expr, err, want)
		}
	}
	var q Query
	if err := q.ParseFilter("status=early_stopped|target_reached"); err != nil || len(q.Status) != 2 {
		t.Errorf("known statuses: %v %v", q.Status, err)
	}
}

// TestDeleteRefusesARunStillTraining: deleting a run a live process still
// records is refused, and nothing of the batch is deleted: the recorder's
// next epoch failed on the missing row ("FOREIGN KEY constraint failed")
// and ended the run as interrupted, in the app and in another terminal.
func TestDeleteRefusesARunStillTraining(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		done := recordRun(t, s, testSpec(3))
		if err := s.CreateRun(ctx, &Run{ID: "live", Status: trainer.StatusRunning, Spec: testSpec(3), Created: time.Now(), Metrics: Metrics{}}); err != nil {
			t.Fatal(err)
		}
		err := s.DeleteRuns(ctx, done, "live")
		if !errors.Is(err, ErrTraining) || err.Error() != "run live is still training: stop it first, then delete it" {
			t.Fatalf("deleting a run in training: %v", err)
		}
		for _, id := range []string{done, "live"} {
			if _, err := s.GetRun(ctx, id); err != nil {
				t.Errorf("%s after the refused delete: %v", id, err)
			}
		}
		if err := s.AppendEpoch(ctx, "live", Epoch{Epoch: 1, Train: Metrics{"loss": 0.5}, Val: Metrics{"loss": 0.5}, LR: 0.01}); err != nil {
			t.Fatalf("the run's next epoch: %v", err)
		}
		if err := s.DeleteRuns(ctx, done); err != nil {
			t.Fatalf("deleting the finished run alone: %v", err)
		}
	})
}
