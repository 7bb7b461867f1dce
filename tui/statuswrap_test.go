package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLongStatusIsWhole: an error longer than the terminal is wide reads
// whole, wrapped over the rows it needs above the help line, while the
// screen gives up those rows (the view stays the terminal's height, the
// tab bar first and the help last); a short line gives them back. At 80
// columns one row cut such an error at the edge. Past a third of the
// terminal's height the line ends in "…".
func TestLongStatusIsWhole(t *testing.T) {
	long := "cannot start: sweep trial 3: objective val_cost needs a cost matrix: set the cost false negative field (the cost of a missed positive) and the cost false positive field (of a false alarm), or choose another objective"
	for _, size := range [][2]int{{80, 24}, {120, 40}, {50, 15}} {
		w, h := size[0], size[1]
		a := newApp(t, nil, w, h)
		_, before := a.contentSize()
		send(a, statusMsg{text: long, err: true})
		v := a.View()
		lines := strings.Split(v, "\n")
		if len(lines) != h || !strings.HasPrefix(lines[0], "workbench") || !strings.Contains(lines[h-1], "help") && !strings.Contains(lines[h-1], "…") {
			t.Fatalf("%dx%d: the layout broke (%d lines):\n%s", w, h, len(lines), v)
		}
		rows := (len(long) + w - 1) / w
		var status []string
		for _, l := range lines[h-1-rows-1 : h-1] {
			status = append(status, strings.TrimSpace(l))
		}
		if got := strings.Join(strings.Fields(strings.Join(status, " ")), " "); !strings.Contains(got, long) {
			t.Errorf("%dx%d: the error is not whole above the help line:\n%s", w, h, v)
		}
		if _, after := a.contentSize(); after >= before {
			t.Errorf("%dx%d: the screen kept %d rows under a %d-row status", w, h, after, rows)
		}
		send(a, statusMsg{text: "ok"})
		if _, back := a.contentSize(); back != before || len(strings.Split(a.View(), "\n")) != h {
			t.Errorf("%dx%d: a short line left the screen %d rows, want %d", w, h, back, before)
		}
	}
	a := newApp(t, nil, 80, 24)
	send(a, statusMsg{text: strings.Repeat("very long error ", 200), err: true})
	v := a.View()
	if n := len(strings.Split(v, "\n")); n != 24 || !strings.Contains(v, "…") {
		t.Errorf("a 3,200-character error: %d lines, cut with …: %v\n%s", n, strings.Contains(v, "…"), v)
	}
	send(a, tea.WindowSizeMsg{Width: 120, Height: 40})
	if n := len(strings.Split(a.View(), "\n")); n != 40 {
		t.Errorf("resized under a long error: %d lines, want 40", n)
	}
}
