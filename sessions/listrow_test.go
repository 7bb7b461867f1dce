package sessions

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSummariesCarryHostileTextExactly: the packed list row gives back
// every field as stored, whatever the text (colons, digits, escapes, quotes,
// a name longer than an index page) and whatever the numbers (NaN, a
// learning rate that needs 17 digits), on both backends, and a derived run
// keeps its kind.
func TestSummariesCarryHostileTextExactly(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		base, err := LoadFull(ctx, s, recordRun(t, s, testSpec(3)))
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"12:34", ":", "", "é → ü", "\x1b[2Jboom\x07", `quo"te\back`, strings.Repeat("long ", 1000)}
		tagSets := [][]string{nil, {"a"}, {"x\",y", `a\b`, ""}, {"1:2", "é"}}
		for i, name := range names {
			r := *base
			r.ID = "hostile-" + string(rune('a'+i))
			r.Name, r.Tags = name, tagSets[i%len(tagSets)]
			r.Spec.Optimizer.LR = 0.1 + 0.2 // 0.30000000000000004
			r.Metrics = Metrics{}
			for k, v := range base.Metrics {
				r.Metrics[k] = v
			}
			r.Metrics["best_val_accuracy"] = math.NaN()
			r.Metrics["test_accuracy"] = 1.0 / 3
			r.Duration = time.Duration(i) * 1234567
			if i == 1 {
				r.Kind, r.Members, r.History = KindEnsemble, []string{base.ID}, []Epoch{}
			}
			if err := s.ImportRun(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		sums, err := s.ListSummaries(ctx, Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(sums) != len(names)+1 {
			t.Fatalf("%d summaries", len(sums))
		}
		for _, sum := range sums {
			full, err := s.GetRun(ctx, sum.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := Run{ID: full.ID, Name: full.Name, Status: full.Status, Dataset: full.Dataset, Task: full.Task,
				Summary: full.Summary, Tags: full.Tags, SweepID: full.SweepID, Created: full.Created,
				EpochsDone: full.EpochsDone, EpochsTotal: full.EpochsTotal, Duration: full.Duration, Kind: full.Kind}
			if len(want.Tags) == 0 {
				want.Tags = nil
			}
			want.Spec.Optimizer.Name, want.Spec.Optimizer.LR = full.Spec.Optimizer.Name, full.Spec.Optimizer.LR
			got := *sum
			gotMetrics := got.Metrics
			got.Metrics = nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("summary of %s:\n got %+v\nwant %+v", sum.ID, got, want)
			}
			for k := range summaryKeys {
				g, gok := gotMetrics[k]
				w, wok := full.Metrics[k]
				if gok != wok || (g != w && !(math.IsNaN(g) && math.IsNaN(w))) {
					t.Errorf("%s %s: got %v (%v), want %v (%v)", sum.ID, k, g, gok, w, wok)
				}
			}
			if len(gotMetrics) > len(summaryKeys) {
				t.Errorf("%s: summary carries %d metrics", sum.ID, len(gotMetrics))
			}
		}
		// A rename reaches the list row.
		name := "renamed: 5"
		if err := s.UpdateRun(ctx, "hostile-a", Patch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		sums, err = s.ListSummaries(ctx, Query{Text: "renamed"})
		if err != nil || len(sums) != 1 || sums[0].Name != name {
			t.Fatalf("after a rename: %v, %v", sums, err)
		}
	})
}

func TestDecodeListRowRefusesDamage(t *testing.T) {
	var r Run
	for _, row := range []string{"", "x", "3:ab", "99999999999999999999:a", "2:id", "-1:"} {
		if err := decodeListRow(row, &r, Metrics{}); err == nil {
			t.Errorf("%q decoded", row)
		}
	}
}

func TestDecodeTagsMatchesJSON(t *testing.T) {
	for _, s := range []string{`[]`, `["a"]`, `["a","b"]`, `["",""]`, `["a\"b"]`, `["a", "b"]`, `["\u00e9"]`, `[","]`, `["\",\""]`} {
		var got, want []string
		if err := decodeTags(s, &got); err != nil {
			t.Fatal(s, err)
		}
		if err := jsonUnmarshal(s, &want); err != nil {
			t.Fatal(s, err)
		}
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", s, got, want)
		}
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func TestMetricsJSONKeysAsEncodingJSON(t *testing.T) {
	for _, k := range []string{"best_val_accuracy", "a b-c.d", "<&>", `q"uote`, "tab\t", "é", ""} {
		got, _ := Metrics{k: 1}.MarshalJSON()
		kb, _ := json.Marshal(k)
		if want := "{" + string(kb) + ":1}"; string(got) != want {
			t.Errorf("%q: got %s, want %s", k, got, want)
		}
	}
}
