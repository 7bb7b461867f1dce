package sessions

import (
	"context"
	"errors"
	"testing"
	"time"

	"workbench/trainer"
)

func TestSweepsOnBothStores(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		for i, id := range []string{"sw-old", "sw-new"} {
			if err := s.CreateSweep(ctx, &Sweep{ID: id, Name: id, Status: "running", Objective: "val_accuracy",
				Config: `{"grid":{}}`, Created: time.Unix(int64(1000+i), 0)}); err != nil {
				t.Fatal(err)
			}
		}
		spec := testSpec(3)
		id := recordRun(t, s, spec)
		if _, err := s.w.Exec("UPDATE runs SET sweep_id = ? WHERE id = ?", "sw-new", id); err != nil {
			t.Fatal(err)
		}
		sw, err := s.GetSweep(ctx, "sw-new")
		if err != nil || sw.Trials != 1 || sw.Objective != "val_accuracy" || !sw.Created.Equal(time.Unix(1001, 0)) {
			t.Fatalf("get: %+v %v", sw, err)
		}
		all, err := s.ListSweeps(ctx)
		if err != nil || len(all) != 2 || all[0].ID != "sw-new" {
			t.Fatalf("list: %v %v", all, err)
		}
		runs, err := s.ListRuns(ctx, Query{SweepID: "sw-new"})
		if err != nil || len(runs) != 1 || runs[0].ID != id {
			t.Fatalf("runs of the sweep: %v %v", runs, err)
		}
		if err := s.UpdateSweep(ctx, "sw-old", "done"); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateSweep(ctx, "nope", "done"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("update of a missing sweep: %v", err)
		}
		// A sweep and a run whose process died are marked interrupted.
		if _, err := s.w.Exec("UPDATE sweeps SET owner_pid = ? WHERE id = ?", 1<<30, "sw-new"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.Exec("UPDATE runs SET status = ?, owner_pid = ? WHERE id = ?", string(trainer.StatusRunning), 1<<30, id); err != nil {
			t.Fatal(err)
		}
		if err := s.markInterrupted(ctx); err != nil {
			t.Fatal(err)
		}
		sw, _ = s.GetSweep(ctx, "sw-new")
		r, _ := s.GetRun(ctx, id)
		if sw.Status != SweepInterrupted || r.Status != trainer.StatusInterrupted {
			t.Fatalf("after the owner died: sweep %s, run %s", sw.Status, r.Status)
		}
		if err := s.DeleteRuns(ctx, id); err != nil {
			t.Fatal(err)
		}
		if sw, _ = s.GetSweep(ctx, "sw-new"); sw.Trials != 0 {
			t.Fatalf("%d trials after delete", sw.Trials)
		}
	})
}
