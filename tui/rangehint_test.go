package tui

import (
	"strings"
	"testing"

	"workbench/trainer"
)

// TestSetupRangeHintWholeAt80Columns: at 80×24, where the ranges have no
// room beside the values, the line under the form gives the focused
// field's whole range (it cut momentum's "… none for sgd" and the
// threshold's "tuned on validation from the costs"), and the form keeps
// its place from field to field.
func TestSetupRangeHintWholeAt80Columns(t *testing.T) {
	for _, data := range []string{"circle", "credit"} {
		a := newApp(t, nil, 80, 24)
		spec := trainer.DefaultSpec()
		spec.Data.Name = data
		a.setupScreen().setSpec(spec)
		a.setupScreen().refreshDerived()
		run(a, a.setupScreen().Init())
		layout := ""
		for i, f := range a.setupScreen().fields {
			seekField(t, a, f.key)
			view := a.View()
			flat := strings.Join(strings.Fields(stripPanel(view)), " ")
			if want := strings.Join(strings.Fields("range: "+a.setupScreen().fields[i].hint), " "); !strings.Contains(flat, want) {
				t.Errorf("%s, %s: the range %q is not whole:\n%s", data, f.key, want, view)
			}
			// The Train button's row and the range's first row stay put.
			lines := strings.Split(view, "\n")
			pos := ""
			for j, l := range lines {
				if strings.Contains(l, "[ ▶ Train ]") || strings.HasPrefix(l, "range: ") {
					pos += string(rune('a' + j))
				}
			}
			if layout == "" {
				layout = pos
			} else if pos != layout {
				t.Errorf("%s, %s: the form moved (%q, was %q)", data, f.key, pos, layout)
			}
		}
	}
}

// stripPanel keeps the form's side of an 80-column Setup: the 48 columns
// left of the info panel.
func stripPanel(view string) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		r := []rune(l)
		lines[i] = string(r[:min(len(r), 48)])
	}
	return strings.Join(lines, "\n")
}
