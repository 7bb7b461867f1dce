package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCSVPickerListsOnlyWhatItOpens: the picker lists folders and CSV
// files, as the path input's completion offers them, and says how many
// other files it left out; it listed them greyed out, which without
// colour looked like the CSV files and said nothing of why enter refused
// them. Folders, a link to one too, still open with → and enter, and ←
// goes back to the folder left.
func TestCSVPickerListsOnlyWhatItOpens(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "loans.csv"), "x,y\n1,0\n")
	writeFile(t, filepath.Join(dir, "Q3.Csv"), "x,y\n1,0\n")
	writeFile(t, filepath.Join(dir, "notes.json"), "{}")
	writeFile(t, filepath.Join(dir, "readme.md"), "hi")
	writeFile(t, filepath.Join(dir, ".hidden.csv"), "x,y\n1,0\n")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sub", "inner.tsv"), "x\ty\n1\t0\n")
	if err := os.Symlink(filepath.Join(dir, "sub"), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {50, 15}} {
		a := newApp(t, nil, size[0], size[1])
		openCSVPicker(t, a)
		a.setupScreen().files.CurrentDirectory = dir
		run(a, a.setupScreen().files.Init())
		v := a.View()
		for _, want := range []string{"linked/", "sub/", "8B loans.csv", "Q3.Csv", "2 non-CSV files not shown"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%dx%d: the listing lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
		for _, not := range []string{"notes.json", "readme.md", ".hidden"} {
			if strings.Contains(v, not) {
				t.Fatalf("%dx%d: the listing shows %s:\n%s", size[0], size[1], not, v)
			}
		}
	}
	a := newApp(t, nil, 120, 40)
	openCSVPicker(t, a)
	s := a.setupScreen()
	s.files.CurrentDirectory = dir
	run(a, s.files.Init())
	// Folders first: linked/, sub/, then loans.csv. → opens sub.
	press(a, "down", "right")
	if s.files.CurrentDirectory != filepath.Join(dir, "sub") || !strings.Contains(a.View(), "inner.tsv") {
		t.Fatalf("→ on sub/ did not open it: %s\n%s", s.files.CurrentDirectory, a.View())
	}
	if strings.Contains(a.View(), "not shown") {
		t.Errorf("a folder with nothing left out says something was:\n%s", a.View())
	}
	press(a, "left")
	if v := a.View(); s.files.CurrentDirectory != dir || !strings.Contains(v, "› ") || !strings.Contains(v[strings.Index(v, "› "):], "sub/") {
		t.Fatalf("← went to %s, want %s with the cursor on sub/:\n%s", s.files.CurrentDirectory, dir, v)
	}
	press(a, "up", "enter") // enter opens the linked folder too
	if s.files.CurrentDirectory != filepath.Join(dir, "linked") || !s.picking {
		t.Fatalf("enter on linked/: in %s, picking %v", s.files.CurrentDirectory, s.picking)
	}
	press(a, "enter")
	if s.picking || s.spec.Data.Path != filepath.Join(dir, "linked", "inner.tsv") {
		t.Fatalf("enter on inner.tsv: picking %v, data %+v", s.picking, s.spec.Data)
	}
	// A folder of other files says so rather than looking empty.
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "a.json"), "{}")
	openCSVPicker(t, a)
	s.files.CurrentDirectory = other
	run(a, s.files.Init())
	if v := a.View(); !strings.Contains(v, "no folders or CSV files here") || !strings.Contains(v, "1 non-CSV file not shown") {
		t.Fatalf("a folder without CSV files:\n%s", v)
	}
}

func TestFileSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 135: "135B", 999: "999B", 1000: "1.0kB", 4096: "4.1kB", 12_345: "12kB", 5_300_000: "5.3MB", -1: "0B"} {
		if got := fileSize(n); got != want {
			t.Errorf("fileSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestIsCSVFile: the picker and the completion offer .csv, .tsv and .txt
// in any case (a DATA.CSV or x.Txt from another system), nothing else.
func TestIsCSVFile(t *testing.T) {
	for name, want := range map[string]bool{"a.csv": true, "DATA.CSV": true, "q.Csv": true, "t.TSV": true, "x.Txt": true,
		"a.json": false, "csv": false, "a.csv.gz": false, "README": false} {
		if got := isCSVFile(name); got != want {
			t.Errorf("isCSVFile(%q) = %v, want %v", name, got, want)
		}
	}
}
