package tui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func TestTabStripKeepsTheCurrentTabInView(t *testing.T) {
	var tabs []string
	for i := 0; i < 12; i++ {
		tabs = append(tabs, fmt.Sprintf("● trial-%02d running", i))
	}
	for _, sel := range []int{0, 5, 11} {
		out := tabStrip(tabs, sel, 60)
		if lipgloss.Width(out) > 60 || !strings.Contains(out, fmt.Sprintf("trial-%02d", sel)) {
			t.Fatalf("sel %d: %q (%d wide)", sel, out, lipgloss.Width(out))
		}
		if sel > 0 && !strings.HasPrefix(out, "‹ ") {
			t.Fatalf("sel %d: no ‹ for hidden tabs on the left: %q", sel, out)
		}
		if sel < 11 && !strings.HasSuffix(out, " ›") {
			t.Fatalf("sel %d: no › for hidden tabs on the right: %q", sel, out)
		}
	}
	if out := tabStrip(tabs[:2], 1, 80); strings.ContainsAny(out, "‹›") {
		t.Fatalf("markers when everything fits: %q", out)
	}
}

// TestBoundaryRedrawnAfterResize: a boundary drawn at one size is computed
// again at the new size, so it fills its panel.
func TestBoundaryRedrawnAfterResize(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "circle", Samples: 200, Split: datasets.DefaultSplit, Seed: 3}
	spec.Epochs = 5
	addFixedRun(t, a, spec, "20261128-130000-resize")
	r := a.trainScreen().selected()
	if r.grid == nil {
		t.Fatal("no boundary")
	}
	send(a, tea.WindowSizeMsg{Width: 200, Height: 60})
	_, _, _, _, bw, bh := a.trainScreen().layout()
	if r.grid.w != bw || r.grid.h != bh {
		t.Fatalf("after the resize the grid is %d×%d, the panel wants %d×%d", r.grid.w, r.grid.h, bw, bh)
	}
	for _, line := range strings.Split(a.View(), "\n") {
		if lipgloss.Width(line) > 200 {
			t.Fatalf("a line overflows: %q", line)
		}
	}
}

// TestStatusClearsWhenItNoLongerApplies: "training <id>" gives way when the
// run ends, and a red error when a later compare works.
func TestStatusClearsWhenItNoLongerApplies(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "circle", Samples: 200, Split: datasets.DefaultSplit, Seed: 3}
	spec.Epochs = 10
	addSynthRun(t, a, spec, "20261128-130000-status")
	if strings.Contains(a.View(), "training 20261128-130000-status") || !strings.Contains(a.View(), "20261128-130000-status done") {
		t.Fatalf("the status still says training after the run ended:\n%s", a.View())
	}
	send(a, statusMsg{text: "select two or more runs to compare", err: true})
	send(a, compareRunsMsg{ids: ids})
	if strings.Contains(a.View(), "select two or more runs") {
		t.Fatal("the error stayed after a compare that worked")
	}
}

// TestCompareScrollsAndKeepsTheDifferencesInView: at 80×24 the
// hyperparameters that differ show without scrolling, and ↓ scrolls the
// rest into view.
func TestCompareScrollsAndKeepsTheDifferencesInView(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 80, 24)
	send(a, compareRunsMsg{ids: ids})
	v := a.View()
	if !strings.Contains(v, "hyperparameters that differ") || !strings.Contains(v, "optimizer.lr") {
		t.Fatalf("the differences are off screen:\n%s", v)
	}
	if strings.Contains(v, "test_recall") {
		t.Fatal("test: the whole table fits, so scrolling is not exercised")
	}
	for i := 0; i < 30; i++ {
		press(a, "down")
	}
	if v := a.View(); !strings.Contains(v, "test_recall") {
		t.Fatalf("↓ did not scroll to the end of the table:\n%s", v)
	}
}

// TestSetupHintsAtScaling: breast-cancer unscaled gets the hint that its
// feature ranges differ by far more than 100×, and what to do (a QA pass
// found the advice lost: the hint lost "try --scale standard", which Setup
// replaced); standard scaling silences it.
func TestSetupHintsAtScaling(t *testing.T) {
	a := newApp(t, nil, 160, 48)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "breast-cancer", Scale: "none", Split: datasets.DefaultSplit, Seed: 1}
	send(a, editSpecMsg{spec: spec})
	if v := a.View(); !strings.Contains(v, "worst area spans") || !strings.Contains(v, ": try standard scaling") {
		t.Fatalf("no scaling hint, or none that says what to do, for unscaled breast-cancer:\n%s", v)
	}
	spec.Data.Scale = "standard"
	send(a, editSpecMsg{spec: spec})
	if v := a.View(); strings.Contains(v, "worst area spans") {
		t.Fatal("the hint stayed with standard scaling")
	}
}

// TestSetupRefusesAModelTooBigForTheMachine: a 65536×65536 network on
// digits is marked invalid with its memory estimate, before anything is
// built.
func TestSetupRefusesAModelTooBigForTheMachine(t *testing.T) {
	if lim, _ := trainer.MemoryLimit(); lim == 0 {
		t.Skip("no memory limit on this system")
	}
	a := newApp(t, nil, 160, 48)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "digits", Split: datasets.DefaultSplit, Seed: 1}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 65536, Activation: "relu"}, {Units: 65536, Activation: "relu"}}
	send(a, editSpecMsg{spec: spec})
	if why := a.setupScreen().derived.why; !strings.Contains(why, "GiB") || !strings.Contains(why, "more than") {
		t.Fatalf("the spec is not refused for its memory: %q", why)
	}
	if v := a.View(); !strings.Contains(v, "~130 GiB") {
		t.Fatalf("the summary lacks the estimate:\n%s", v)
	}
}

// TestRunsFilterSearchesEverywhereAndTakesCLIFilters: / finds runs by tag
// and architecture, takes the CLI's filter syntax, and g/G jump.
func TestRunsFilterSearchesEverywhereAndTakesCLIFilters(t *testing.T) {
	q, err := filterQuery("tanh dataset=digits val_accuracy>0.9 tag=x")
	if err != nil || q.Text != "tanh" || q.Dataset != "digits" || q.Tag != "x" || len(q.Conds) != 1 || q.Conds[0].Key != "best_val_accuracy" {
		t.Fatalf("query %+v, %v", q, err)
	}
	if _, err := filterQuery("bogus>1"); err == nil {
		t.Fatal("a bad filter is not an error")
	}
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	if err := store.UpdateRun(context.Background(), ids[0], sessions.Patch{Tags: &[]string{"keeper"}}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store, 160, 40)
	press(a, "3")
	if v := a.View(); !strings.Contains(v, "TAGS") || !strings.Contains(v, "keeper") {
		t.Fatalf("no tags column:\n%s", v)
	}
	press(a, "G")
	if a.runsScreen().cursor != 1 {
		t.Fatalf("G: cursor %d", a.runsScreen().cursor)
	}
	press(a, "g")
	if a.runsScreen().cursor != 0 {
		t.Fatalf("g: cursor %d", a.runsScreen().cursor)
	}
	for _, text := range []string{"keeper", "tag=keeper"} {
		press(a, "/")
		a.runsScreen().input.SetValue(text)
		press(a, "enter")
		if n := len(a.runsScreen().runs); n != 1 {
			t.Fatalf("/%s: %d runs", text, n)
		}
		press(a, "esc")
	}
	// A filter that matches nothing says so (it said "No saved runs yet").
	press(a, "/")
	a.runsScreen().input.SetValue("zzzz")
	press(a, "enter")
	if v := a.View(); strings.Contains(v, "No saved runs yet") || !strings.Contains(v, "No runs match zzzz: esc clears the filter") {
		t.Errorf("a filter matching nothing:\n%s", v)
	}
	// A filter that does not parse: its reason names the fields once and
	// fits the status line at 120 columns (a list of filters after it
	// cut it at "(filters:").
	send(a, tea.WindowSizeMsg{Width: 120, Height: 40})
	press(a, "esc", "/")
	a.runsScreen().input.SetValue("spiralfoo>1")
	press(a, "enter")
	want := `filter "spiralfoo>1": unknown field "spiralfoo" (status, dataset, tag, text or a metric such as val_accuracy)`
	if a.statusOK || a.status != want {
		t.Errorf("a bad filter says %q", a.status)
	}
	if v := a.View(); !strings.Contains(v, want) {
		t.Errorf("the reason is cut:\n%s", v)
	}
}

func TestTruncateMiddleKeepsNamesDistinct(t *testing.T) {
	a, b := truncateMiddle("best_val_precision_macro", 20), truncateMiddle("best_val_precision_weighted", 20)
	if a == b || len([]rune(a)) != 20 || len([]rune(b)) != 20 || !strings.HasSuffix(a, "macro") || !strings.HasSuffix(b, "weighted") {
		t.Fatalf("%q and %q", a, b)
	}
	if got := truncateMiddle("short", 20); got != "short" {
		t.Fatal(got)
	}
	s := datasets.Spec{Path: "/home/me/data/loans.csv"}
	if s.Label() != "loans.csv" {
		t.Fatalf("a CSV's label is %q", s.Label())
	}
}

// TestOpenRunFollowsATrainingRun: a run opened on Runs while it trains
// (here, by another process writing the store) is read again at each poll.
func TestOpenRunFollowsATrainingRun(t *testing.T) {
	store := tempStore(t)
	spec := trainer.DefaultSpec()
	spec.Epochs = 0
	live, err := sessions.Start(context.Background(), store, spec, sessions.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { live.Handle.Stop(); <-live.Recorder.Done() }()
	// The recorder commits in batches and, under load, lags the trainer:
	// wait on what the store holds, not on the trainer's epoch.
	id := waitStored(t, store, 5)
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	m := a.runsScreen()
	if m.detail == nil {
		t.Fatal("the run did not open")
	}
	before := len(m.detail.History)
	waitStored(t, store, before+1)
	send(a, refreshTickMsg{})
	if after := len(a.runsScreen().detail.History); after <= before {
		t.Fatalf("the open run did not follow: %d epochs, then %d", before, after)
	}
	if a.runsScreen().detail.ID != id {
		t.Fatalf("opened %s, want %s", a.runsScreen().detail.ID, id)
	}
}

// waitStored waits until the store's only run holds at least n epochs and
// returns its ID.
func waitStored(t *testing.T, store sessions.Store, n int) string {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := store.ListSummaries(ctx, sessions.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 1 {
			h, err := store.History(ctx, runs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) >= n {
				return runs[0].ID
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the store does not hold a run with %d epochs after 30 s", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCompareResizeKeepsNoBlankRows: scrolled to the end at 80×24, then
// grown to 120×40, Compare shows its top again rather than blank rows
// under the table.
func TestCompareResizeKeepsNoBlankRows(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 80, 24)
	send(a, compareRunsMsg{ids: ids})
	for range 60 {
		press(a, "down")
	}
	send(a, tea.WindowSizeMsg{Width: 120, Height: 40})
	if v := a.View(); !strings.Contains(v, "val_loss  ━ baseline") {
		t.Errorf("the chart stays scrolled off a screen it fits:\n%s", v)
	}
}

// TestCompareDiffShowsWholeValues: a value wider than 12 in the table of
// hyperparameters that differ is shown whole when the screen has room (it
// read "xavier_unif…" beside an empty half of the screen).
func TestCompareDiffShowsWholeValues(t *testing.T) {
	store := tempStore(t)
	var ids []string
	for i, init := range []string{"xavier_uniform", "he_uniform"} {
		spec := trainer.DefaultSpec()
		spec.Model.Init = init
		spec.Epochs = 5
		id := []string{"20261128-120000-aaaaaa", "20261128-120100-bbbbbb"}[i]
		rec := sessions.Record(store, nil, closedQueue(synthEvents(spec, id, 0.05)).Out(), sessions.RecordOptions{})
		for range rec.Events() {
		}
		if err := rec.Err(); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for _, w := range []int{80, 120, 200} {
		a := newApp(t, store, w, 40)
		send(a, compareRunsMsg{ids: ids})
		v := a.View()
		if !regexp.MustCompile(`model\.init\s+xavier_uniform\s+he_uniform`).MatchString(v) {
			t.Errorf("%d columns: the differences cut a value:\n%s", w, v)
		}
	}
}

// TestCompareDiffNamesItsColumns: the table of hyperparameters that
// differ has a heading naming each run above its values, in the same
// column: without colour (NO_COLOR, as these tests draw) nothing else told
// which value was which run's.
func TestCompareDiffNamesItsColumns(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		a := newApp(t, store, size[0], size[1])
		send(a, compareRunsMsg{ids: ids})
		lines := strings.Split(a.View(), "\n")
		head, row := -1, -1
		for i, l := range lines {
			if strings.HasPrefix(l, "setting ") {
				head = i
			}
			if strings.HasPrefix(l, "optimizer.lr ") {
				row = i
			}
		}
		if head < 0 || row != head+1 {
			t.Fatalf("%dx%d: no heading right above the differences:\n%s", size[0], size[1], strings.Join(lines, "\n"))
		}
		h, r := lines[head], lines[row]
		for _, col := range []struct{ name, value string }{{"baseline", "0.01"}, {"fast lr", "0.1"}} {
			if hc, rc := strings.Index(h, " "+col.name), strings.Index(r, " "+col.value+" "); hc < 0 || hc != rc {
				t.Errorf("%dx%d: heading %q at column %d, its value %q at %d:\n%s\n%s", size[0], size[1], col.name, hc, col.value, rc, h, r)
			}
		}
	}
}
