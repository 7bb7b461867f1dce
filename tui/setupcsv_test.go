package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"workbench/datasets"
)

// toDataset steps the dataset field to "open CSV…" and presses enter.
func openCSVPicker(t *testing.T, a *App) {
	t.Helper()
	a.setupScreen().cursor = 1
	for i := 0; a.setupScreen().pending != openCSV; i++ {
		press(a, "left")
		if i > 50 {
			t.Fatal("no open CSV… step")
		}
	}
	press(a, "enter")
	if !a.setupScreen().picking || !a.awaitingInput() {
		t.Fatal("enter on open CSV… did not open the file picker")
	}
}

func TestSetupCSVPickerCompletesAndOpens(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "loans.csv"), "id,age,city,approved\n1,25,paris,0\n2,40,lyon,1\n3,35,paris,1\n4,22,nice,0\n")
	writeFile(t, filepath.Join(dir, "notes.md"), "not data")
	a := newApp(t, nil, 120, 40)
	openCSVPicker(t, a)
	if v := a.View(); !strings.Contains(v, "open a CSV file") {
		t.Fatalf("no picker on screen:\n%s", v)
	}
	// Type the folder and the start of the name; tab completes it.
	a.setupScreen().input.SetValue(dir + "/l")
	press(a, "o", "tab")
	if got := a.setupScreen().input.Value(); got != filepath.Join(dir, "loans.csv") {
		t.Fatalf("tab completed to %q", got)
	}
	if got := completePath(dir + "/"); !slices.Equal(got, []string{filepath.Join(dir, "loans.csv")}) {
		t.Fatalf("completions of the folder: %v (notes.md is not a CSV)", got)
	}
	press(a, "enter")
	s := a.setupScreen()
	if s.picking || s.spec.Data.Path != filepath.Join(dir, "loans.csv") || s.table == nil {
		t.Fatalf("not opened: %+v (err %v)", s.spec.Data, s.dataErr)
	}
	// Leaving the Playground's circle takes the usual split, as --data
	// does (Setup kept 0.5, 0.25, 0.25).
	if got := s.spec.Data.Split; !slices.Equal(got[:], datasets.DefaultSplit[:]) {
		t.Errorf("a CSV opened from the circle has split %v, want %v", got, datasets.DefaultSplit)
	}
	// The picker itself: esc leaves the data as it was.
	openCSVPicker(t, a)
	before := a.setupScreen().spec.Data
	press(a, "esc")
	if a.setupScreen().picking || a.setupScreen().spec.Data.Name != before.Name || a.setupScreen().spec.Data.Path != "" {
		t.Fatal("esc did not cancel the picker")
	}
	// ↑↓ and enter pick a file in the listing.
	openCSVPicker(t, a)
	a.setupScreen().files.CurrentDirectory = dir
	run(a, a.setupScreen().files.Init())
	if !strings.Contains(a.View(), "loans.csv") {
		t.Fatalf("the picker does not list the folder:\n%s", a.View())
	}
	press(a, "enter")
	if s := a.setupScreen(); s.picking || s.spec.Data.Path != filepath.Join(dir, "loans.csv") {
		t.Fatalf("enter in the listing did not open the file: %+v", s.spec.Data)
	}
}

func TestSetupCSVFieldsReloadTheData(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loans.csv")
	writeFile(t, path, "id,age,city,approved\n1,25,paris,0\n2,NA,lyon,1\n3,35,paris,1\n4,22,nice,0\n5,41,lyon,1\n6,30,nice,0\n")
	a := newApp(t, nil, 120, 40)
	send(a, editSpecMsg{spec: a.setupScreen().spec})
	s := a.setupScreen()
	run(a, s.openCSVPath(path))
	if s.dataErr == nil || !strings.Contains(s.derived.why, "missing") {
		t.Fatalf("a missing value under the error policy: err %v, why %q", s.dataErr, s.derived.why)
	}
	press(a, "t")
	if len(a.trainScreen().runs) != 0 {
		t.Fatal("trained on data that did not load")
	}
	// The missing-value policy: impute, and the data load.
	editField(t, a, "data.missing")
	press(a, "esc")
	for s.spec.Data.Missing != "impute" {
		press(a, "right")
	}
	if s.dataErr != nil || s.table == nil || s.derived.why != "" {
		t.Fatalf("after impute: err %v, why %q", s.dataErr, s.derived.why)
	}
	// The columns' types, from the header.
	if len(s.columns) != 4 || s.columns[2].Type != "text" || s.columns[1].Missing != 1 {
		t.Fatalf("columns %+v", s.columns)
	}
	d := s.table.D
	// Ignore id: enter lists the columns; space marks, enter applies.
	editField(t, a, "data.ignore")
	if !s.choosingCols || !strings.Contains(a.View(), "ignore columns") || !strings.Contains(a.View(), "city") {
		t.Fatalf("no column list:\n%s", a.View())
	}
	press(a, " ", "enter")
	if !slices.Equal(s.spec.Data.Ignore, []string{"id"}) || s.table == nil || s.table.D != d-1 {
		t.Fatalf("ignore: %v, D %v (was %d)", s.spec.Data.Ignore, s.table, d)
	}
	// The target steps through the header's names; the task is a field.
	editField(t, a, "data.target")
	press(a, "esc")
	if got := s.current().get(&s.spec); got != "approved" {
		t.Fatalf("the default target shows %q, want the last column's name", got)
	}
	press(a, "left")
	if s.spec.Data.Target != "city" || s.table == nil || s.table.Meta.Task.String() != "multiclass" {
		t.Fatalf("target %q, table %v", s.spec.Data.Target, s.table)
	}
	editField(t, a, "data.task")
	press(a, "esc")
	if got := s.current().get(&s.spec); got != "auto" {
		t.Fatalf("the task shows %q", got)
	}
}

func TestSetupErrorsNameSetupFields(t *testing.T) {
	for in, want := range map[string]string{
		`x.csv: line 3, column 2 ("age"): missing value "NA" (use --missing drop-rows or impute)`: `(use missing values = drop-rows (Setup) or impute)`,
		`every value of this column is missing (drop it with --ignore "note")`:                    `drop it with ignored columns = "note" (Setup)`,
		`the target has 2000 classes, more than the limit of 1000 (use --task regression?)`:       `use task = regression (Setup)?`,
		`sweep: the space is empty: give --grid, --random or --seeds`:                             `give --grid, --random or --seeds`, // not a Setup field: kept
		`data.seed: default: --seed`: `the seed field`,
	} {
		if got := setupHint(in); !strings.Contains(got, want) {
			t.Errorf("%s\n  → %s\n  want %s", in, got, want)
		}
	}
	// Through the form: a CSV with a missing value under the error policy.
	dir := t.TempDir()
	path := filepath.Join(dir, "m.csv")
	writeFile(t, path, "a,b,y\n1,NA,0\n2,3,1\n4,5,0\n")
	a := newApp(t, nil, 120, 40)
	run(a, a.setupScreen().openCSVPath(path))
	if strings.Contains(a.status, "--") || !strings.Contains(a.status, "missing values = drop-rows") {
		t.Fatalf("status %q", a.status)
	}
	if v := a.View(); strings.Contains(v, "--missing") {
		t.Fatalf("the screen names a flag:\n%s", v)
	}
}

// TestGoldenSetupForms draws Setup while a value is typed over and while
// a CSV file's columns are picked.
func TestGoldenSetupForms(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			a := newApp(t, nil, w, h)
			editField(t, a, "model.hidden[0].units")
			t.Run("replace", func(t *testing.T) { goldenView(t, "replace", a.View()) })
			press(a, "esc")
			run(a, a.setupScreen().openCSVPath("testdata/csv/loans.csv"))
			editField(t, a, "data.missing")
			press(a, "esc", "right") // impute: the file loads
			editField(t, a, "data.ignore")
			press(a, " ", "down")
			t.Run("columns", func(t *testing.T) { goldenView(t, "columns", a.View()) })
		})
	}
}

// TestSetupIgnoringTheBadColumnReloads follows the error's advice in the
// form: a column with no values blocks loading until it is ignored.
func TestSetupIgnoringTheBadColumnReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.csv")
	writeFile(t, path, "x,note,y\n1,,0\n2,,1\n3,,0\n4,,1\n")
	a := newApp(t, nil, 120, 40)
	s := a.setupScreen()
	run(a, s.openCSVPath(path))
	if s.dataErr == nil || !strings.Contains(a.status, "missing values") {
		t.Fatalf("err %v, status %q", s.dataErr, a.status)
	}
	editField(t, a, "data.ignore")
	press(a, "down", " ", "enter") // note
	if !slices.Equal(s.spec.Data.Ignore, []string{"note"}) || s.dataErr != nil || s.table == nil || s.derived.why != "" {
		t.Fatalf("ignore %v: err %v, why %q", s.spec.Data.Ignore, s.dataErr, s.derived.why)
	}
	if !a.statusOK || !strings.Contains(a.status, "loaded") {
		t.Fatalf("the old error stays on the status line: %q", a.status)
	}
	// The task, changed after a failure, reloads too.
	s.spec.Data.Ignore = nil
	run(a, s.openCSVPath(path))
	editField(t, a, "data.task")
	press(a, "esc", "right")
	if s.spec.Data.Task != "binary" || s.dataKey != dataSpecKey(s.spec.Data) {
		t.Fatalf("task %q: not reloaded (key %q)", s.spec.Data.Task, s.dataKey)
	}
}

// TestSetupCSVPickerLayout: the listing puts a space between a file's size
// and its name, says when a folder is empty, and its hint fits the panel.
func TestSetupCSVPickerLayout(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b.csv"), "x,y\n1,0\n")
	a := newApp(t, nil, 120, 40)
	openCSVPicker(t, a)
	a.setupScreen().files.CurrentDirectory = dir
	run(a, a.setupScreen().files.Init())
	v := a.View()
	if !strings.Contains(v, "8B b.csv") || strings.Contains(v, "›8B") {
		t.Fatalf("the listing does not show the size, a space and the name:\n%s", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "enter picks") && !strings.Contains(line, "tab completes") {
			t.Fatalf("the hint is cut: %q", line)
		}
	}
	empty := t.TempDir()
	a.setupScreen().files.CurrentDirectory = empty
	run(a, a.setupScreen().files.Init())
	if v := a.View(); !strings.Contains(v, "this folder is empty") {
		t.Fatalf("an empty folder shows nothing:\n%s", v)
	}
	if got := pickerHint(30); len([]rune(got)) > 30 {
		t.Fatalf("the narrowest hint is %d wide", len([]rune(got)))
	}
}

// TestSetupOpenCSVFitsAt80: the "open CSV…" step and the picker's path
// input say what to do within the form's value column at 80×24 (they read
// "(enter to c" and "type a path (tab compl").
func TestSetupOpenCSVFitsAt80(t *testing.T) {
	a := newApp(t, nil, 80, 24)
	a.setupScreen().cursor = 1
	for i := 0; a.setupScreen().pending != openCSV; i++ {
		press(a, "left")
		if i > 50 {
			t.Fatal("no open CSV… step")
		}
	}
	if v := a.View(); !strings.Contains(v, "‹ open CSV… (enter) ›") {
		t.Errorf("the open CSV… step at 80×24:\n%s", v)
	}
	press(a, "enter")
	if v := a.View(); !strings.Contains(v, "type a path or pick →") {
		t.Errorf("the path input at 80×24:\n%s", v)
	}
}

// Once a CSV is the data, the dataset row reads "open CSV…": enter there
// opens the picker again, in the file's folder, so that a file that did not
// load (or any other) can be swapped for another.
func TestSetupEnterOnOpenCSVRowPicksAnotherFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bad.csv"), "a,b,label\n1,2,0\n3,4\n")
	writeFile(t, filepath.Join(dir, "good.csv"), "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
	a := newApp(t, nil, 120, 40)
	openCSVPicker(t, a)
	a.setupScreen().input.SetValue(filepath.Join(dir, "bad.csv"))
	press(a, "enter")
	s := a.setupScreen()
	if s.picking || s.spec.Data.Path != filepath.Join(dir, "bad.csv") || s.dataErr == nil {
		t.Fatalf("bad.csv: picking %v, data %+v, err %v", s.picking, s.spec.Data, s.dataErr)
	}
	if s.cursor != 1 || s.current().key != "data.name" || s.current().get(&s.spec) != openCSV {
		t.Fatalf("cursor %d is not on the dataset row reading %q", s.cursor, openCSV)
	}
	press(a, "enter")
	s = a.setupScreen()
	if !s.picking || s.files.CurrentDirectory != dir {
		t.Fatalf("enter on the dataset row: picking %v in %q, editing %v, want the picker in %s", s.picking, s.files.CurrentDirectory, s.editing, dir)
	}
	a.setupScreen().input.SetValue(filepath.Join(dir, "good.csv"))
	press(a, "enter")
	if s := a.setupScreen(); s.picking || s.spec.Data.Path != filepath.Join(dir, "good.csv") || s.dataErr != nil || s.table == nil {
		t.Fatalf("good.csv: picking %v, data %+v, err %v", s.picking, s.spec.Data, s.dataErr)
	}
	// A built-in set's name typed in the picker, with no such file,
	// leaves the CSV for it, as typing it on the row did before.
	press(a, "enter")
	a.setupScreen().input.SetValue("moons")
	press(a, "enter")
	if s := a.setupScreen(); s.picking || s.spec.Data.Path != "" || s.spec.Data.Name != "moons" || s.dataErr != nil {
		t.Fatalf("moons: picking %v, data %+v, err %v", s.picking, s.spec.Data, s.dataErr)
	}
}

// TestSetupCSVRowCountFollowsTheSettings: the status line kept "4 rows"
// after imputing made the table 6; each reload says its rows.
func TestSetupCSVRowCountFollowsTheSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mixed.csv")
	writeFile(t, path, "a,b,y\n1,2,0\nNA,3,1\n3,4,1\n4,NA,0\n5,6,1\n6,7,0\n")
	a := newApp(t, nil, 120, 40)
	s := a.setupScreen()
	run(a, s.openCSVPath(path))
	editField(t, a, "data.missing")
	press(a, "esc")
	for _, c := range []struct{ policy, rows string }{{"drop-rows", "4 rows"}, {"impute", "6 rows"}} {
		for s.spec.Data.Missing != c.policy {
			press(a, "right")
		}
		if !a.statusOK || !strings.Contains(a.status, "mixed.csv loaded: "+c.rows) {
			t.Fatalf("missing values %s: status %q", c.policy, a.status)
		}
	}
}

// TestSetupCSVPathRowCompletesWithTab: the row showed ‹ › that ←/→ did
// nothing with, and Tab did not complete there (only in the picker).
func TestSetupCSVPathRowCompletesWithTab(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first.csv")
	writeFile(t, first, "x,y\n1,0\n2,1\n3,0\n4,1\n")
	writeFile(t, filepath.Join(dir, "loans-2024.csv"), "x,y\n1,0\n2,1\n3,0\n4,1\n")
	a := newApp(t, nil, 120, 40)
	s := a.setupScreen()
	run(a, s.openCSVPath(first))
	seekField(t, a, "data.path")
	for _, l := range strings.Split(a.View(), "\n") {
		if strings.Contains(l, "CSV path") && strings.Contains(l, "‹") {
			t.Fatalf("the path row promises ←/→: %q", l)
		}
	}
	press(a, "enter")
	if bar := a.View(); !strings.Contains(bar, "tab complete") {
		t.Fatalf("typing the path, the help line does not say tab completes:\n%s", bar)
	}
	s.replace = false // as after a first key
	s.input.SetValue(dir + string(filepath.Separator))
	s.input.CursorEnd()
	press(a, "l", "o", "tab")
	if got, want := s.input.Value(), filepath.Join(dir, "loans-2024.csv"); got != want {
		t.Fatalf("tab completed to %q, want %q", got, want)
	}
	press(a, "enter")
	if s.spec.Data.Path != filepath.Join(dir, "loans-2024.csv") {
		t.Fatalf("path %q", s.spec.Data.Path)
	}
}
