package sessions

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"workbench/trainer"
)

func TestResolveRunAndSweep(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		for i, id := range []string{"20261128-185456-3fa9c2", "20261128-185457-3fb001", "20261129-090000-77aa01"} {
			r := &Run{ID: id, Status: trainer.StatusDone, Spec: trainer.DefaultSpec(), Created: time.Unix(int64(1000+i), 0)}
			if err := s.CreateRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []string{"sweep-20261128-190000-abcdef", "sweep-20261128-190500-abd000"} {
			if err := s.CreateSweep(ctx, &Sweep{ID: id, Status: "done", Created: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			ref, want string
			amb       []string
			missing   bool
		}{
			{ref: "20261128-185456-3fa9c2", want: "20261128-185456-3fa9c2"}, // exact
			{ref: "20261129", want: "20261129-090000-77aa01"},               // prefix
			{ref: "3fa9c2", want: "20261128-185456-3fa9c2"},                 // the suffix Compare shows
			{ref: "01", amb: []string{"20261128-185457-3fb001", "20261129-090000-77aa01"}},
			{ref: "20261128-18545", amb: []string{"20261128-185456-3fa9c2", "20261128-185457-3fb001"}},
			{ref: "nope", missing: true},
			{ref: "", missing: true},
		}
		for _, c := range cases {
			got, err := ResolveRun(ctx, s, c.ref)
			var amb *AmbiguousError
			switch {
			case c.amb != nil:
				if !errors.As(err, &amb) || !reflect.DeepEqual(amb.Candidates, c.amb) {
					t.Errorf("%q: %v, want ambiguous %v", c.ref, err, c.amb)
				}
			case c.missing:
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("%q: %v, want not found", c.ref, err)
				}
			case err != nil || got != c.want:
				t.Errorf("%q: %q %v, want %q", c.ref, got, err, c.want)
			}
		}
		if _, err := ResolveRun(ctx, s, "nope"); err == nil || err.Error() != "no run nope" {
			t.Errorf("missing run: %v", err)
		}
		if id, err := ResolveSweep(ctx, s, "cdef"); err != nil || id != "sweep-20261128-190000-abcdef" {
			t.Errorf("sweep suffix: %q %v", id, err)
		}
		if _, err := ResolveSweep(ctx, s, "sweep-20261128-190"); err == nil || err.Error() !=
			`sweep "sweep-20261128-190" is ambiguous: it matches sweep-20261128-190000-abcdef, sweep-20261128-190500-abd000` {
			t.Errorf("ambiguous sweep: %v", err)
		}
		if _, err := ResolveSweep(ctx, s, "nope"); err == nil || err.Error() != "no sweep nope" {
			t.Errorf("missing sweep: %v", err)
		}
		ids, err := ResolveRuns(ctx, s, []string{"3fa9c2", "77aa01"})
		if err != nil || !reflect.DeepEqual(ids, []string{"20261128-185456-3fa9c2", "20261129-090000-77aa01"}) {
			t.Errorf("ResolveRuns: %v %v", ids, err)
		}
	})
}
