package tui

import (
	"strings"
	"testing"
)

// TestRunsBadFilterListsNothingAndSaysWhy: /status=bogus listed every run
// (only the status line erred, and went on erring through later valid
// filters and inside a run); /val_acc>0.9 listed none without "did you
// mean val_accuracy".
func TestRunsBadFilterListsNothingAndSaysWhy(t *testing.T) {
	store := tempStore(t)
	storeSynthRuns(t, store)
	a := newApp(t, store, 120, 40)
	press(a, "3")
	for filter, want := range map[string]string{
		"status=bogus": `unknown status "bogus"`,
		"val_acc>0.9":  "unknown metric val_acc; did you mean val_accuracy?",
	} {
		press(a, "/")
		a.runsScreen().input.SetValue(filter)
		press(a, "enter")
		v := a.View()
		if n := len(a.runsScreen().runs); n != 0 {
			t.Errorf("/%s lists %d runs", filter, n)
		}
		if a.statusOK || !strings.Contains(a.status, want) || !strings.Contains(v, "The filter is refused, so no runs are listed") || !strings.Contains(v, want) {
			t.Errorf("/%s: status %q\n%s", filter, a.status, v)
		}
		// A refresh does not bring the runs back.
		send(a, runsChangedMsg{})
		if n := len(a.runsScreen().runs); n != 0 {
			t.Errorf("/%s: a refresh lists %d runs", filter, n)
		}
		// The next valid filter clears the error.
		press(a, "/")
		a.runsScreen().input.SetValue("val_accuracy>0")
		press(a, "enter")
		if n := len(a.runsScreen().runs); n != 2 || !a.statusOK || a.status != "" {
			t.Errorf("after /%s, a valid filter: %d runs, status %q", filter, n, a.status)
		}
		press(a, "esc") // clears the filter
	}
	// esc after a refused filter clears it, and its error.
	press(a, "/")
	a.runsScreen().input.SetValue("status=bogus")
	press(a, "enter", "esc")
	if n := len(a.runsScreen().runs); n != 2 || a.status != "" {
		t.Errorf("esc after a refused filter: %d runs, status %q", n, a.status)
	}
}

// TestRunsSortsByShownColumnsBestFirst: s went through ARCHITECTURE, TIME
// and DATE where no column showed them, and sorted val ECE descending,
// the worst first.
func TestRunsSortsByShownColumnsBestFirst(t *testing.T) {
	store := tempStore(t)
	storeSynthRuns(t, store)
	a := newApp(t, store, 80, 24)
	press(a, "3")
	m := a.runsScreen()
	shown := map[string]bool{}
	for _, c := range fitColumns(m.w-3, m.content) {
		shown[c.title] = true
	}
	for range 2 * len(runColumns) {
		press(a, "s")
		title := runColumns[m.sortCol].title
		if !shown[title] {
			t.Fatalf("s sorts by %s, not shown: %v", title, shown)
		}
		if title == "BEST VAL" && (!m.desc || !strings.Contains(a.status, "descending, best first")) {
			t.Fatalf("accuracy: desc %v, status %q", m.desc, a.status)
		}
	}
	for runColumns[m.sortCol].title != "BEST VAL" {
		press(a, "s")
	}
	for m.metric != "ece" {
		press(a, "m")
	}
	if m.desc {
		t.Fatal("val ece sorted descending: the worst first")
	}
	press(a, "S")
	if !strings.Contains(a.status, "val ece, descending, worst first") {
		t.Fatalf("status %q", a.status)
	}
}
