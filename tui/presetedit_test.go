package tui

import (
	"strings"
	"testing"
)

// TestPresetStatusSaysEdited: after a preset, an edit that departs from
// it says so on the status line (it kept "preset: digits" after the
// network changed); undoing the edit names the preset alone again, and a
// line about something else (a layer added) is left as it is.
func TestPresetStatusSaysEdited(t *testing.T) {
	a := newApp(t, nil, 80, 24)
	for a.setupScreen().spec.Data.Name != "digits" {
		press(a, "p")
		if a.setupScreen().preset == 0 {
			t.Fatal("no digits preset")
		}
	}
	line := func() string { return a.lineOf(screenSetup).text }
	if line() != "preset: digits" {
		t.Fatalf("after p: %q", line())
	}
	seekField(t, a, "model.hidden[0].units")
	press(a, "right")
	if got := a.setupScreen().spec.Model.Hidden[0].Units; got == 64 {
		t.Fatal("right did not change the units")
	}
	if line() != "preset: digits (edited)" {
		t.Fatalf("after changing the units: %q", line())
	}
	if v := a.View(); !strings.Contains(v, "preset: digits (edited)") {
		t.Fatalf("the view:\n%s", v)
	}
	press(a, "left")
	if line() != "preset: digits" {
		t.Fatalf("after undoing the change: %q", line())
	}
	press(a, "a")
	if l := line(); strings.Contains(l, "preset") || !strings.Contains(l, "layer 2 added") {
		t.Fatalf("after adding a layer: %q", l)
	}
	// Another change says nothing more of the preset: the line stays.
	press(a, "right")
	if l := line(); !strings.Contains(l, "layer 2 added") {
		t.Fatalf("after a second change: %q", l)
	}
	// A fresh preset starts clean.
	press(a, "p")
	if l := line(); !strings.HasPrefix(l, "preset: Playground") || strings.Contains(l, "edited") {
		t.Fatalf("the next preset: %q", l)
	}
}

// seekField moves Setup's cursor to the field with key.
func seekField(t *testing.T, a *App, key string) {
	t.Helper()
	a.setupScreen().cursor = 0
	for {
		if f := a.setupScreen().current(); f != nil && f.key == key {
			return
		}
		if a.setupScreen().cursor >= len(a.setupScreen().fields) { // the last field is found too
			t.Fatalf("no field %s", key)
		}
		press(a, "down")
	}
}

// TestPresetEditedFitsAt50Columns: at 50 columns the spiral preset's long
// name cut "(edited)" off the status line; the name is cut instead.
func TestPresetEditedFitsAt50Columns(t *testing.T) {
	a := newApp(t, nil, 50, 15)
	for a.setupScreen().spec.Data.Name != "spiral" {
		press(a, "p")
	}
	seekField(t, a, "data.samples")
	press(a, "right")
	if !strings.HasSuffix(a.lineOf(screenSetup).text, "(edited)") {
		t.Fatalf("after an edit: %q", a.lineOf(screenSetup).text)
	}
	lines := strings.Split(a.View(), "\n")
	status := lines[len(lines)-2]
	if !strings.HasPrefix(status, "preset: spiral") || !strings.HasSuffix(status, "… (edited)") || len([]rune(status)) > 50 {
		t.Fatalf("the status line at 50 columns: %q", status)
	}
}
