package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportErrorsNameFileLineAndColumn: a broken export is named by file,
// line and column, as a compiler names a source file; it said "run 1:
// invalid character …" with no place.
func TestImportErrorsNameFileLineAndColumn(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	if _, errs, code := cli(t, db, "", "train", "--data", "xor", "--epochs", "1"); code != 0 {
		t.Fatalf("train: %s", errs)
	}
	good, errs, code := cli(t, db, "", "runs", "export")
	if code != 0 {
		t.Fatalf("export: %s", errs)
	}
	lines := strings.Split(good, "\n")
	// Line 8 is the run's status; line 9 its reason or the next field.
	if !strings.HasPrefix(lines[7], `   "status": "done",`) {
		t.Fatalf("line 8 of the export is %q", lines[7])
	}
	cases := []struct {
		name, want string
		edit       func([]string)
	}{
		{"syntax.json", `syntax.json:9:4: run 1: invalid character '"' after object key:value pair (the runs before it are imported; fix the file and import again to resume)`,
			func(l []string) { l[7] = strings.TrimSuffix(l[7], ",") }},
		{"type.json", `type.json:8:14: run 1 (ID): status: a number where a string belongs (the runs before it are imported; fix the file and import again to resume)`,
			func(l []string) { l[7] = `   "status": 7,` }},
		{"invalid.json", "refused 1 run:\ninvalid.json:5:3: run 1 (ID): status: \"dne\" is not a run status (invalid run)",
			func(l []string) { l[7] = `   "status": "dne",` }},
	}
	id := strings.Trim(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[5]), `"id":`)), ","), `"`)
	for _, c := range cases {
		l := append([]string(nil), lines...)
		c.edit(l)
		path := filepath.Join(dir, c.name)
		os.WriteFile(path, []byte(strings.Join(l, "\n")), 0o600)
		_, errs, code := cli(t, filepath.Join(dir, "other-"+c.name+".db"), "", "runs", "import", path)
		want := "workbench runs import: " + strings.ReplaceAll(strings.ReplaceAll(c.want, c.name, path), "(ID)", "("+id+")") + "\n"
		if code != ExitFailed || errs != want {
			t.Errorf("%s: exit %d, stderr\n%q\nwant\n%q", c.name, code, errs, want)
		}
	}
	// From stdin the file is <stdin>.
	l := append([]string(nil), lines...)
	l[7] = strings.TrimSuffix(l[7], ",")
	var in bytes.Buffer
	in.WriteString(strings.Join(l, "\n"))
	_, errs, _ = cli(t, filepath.Join(dir, "stdin.db"), in.String(), "runs", "import", "-")
	if !strings.HasPrefix(errs, "workbench runs import: <stdin>:9:4: run 1: invalid character") {
		t.Errorf("stdin: %q", errs)
	}
}

// TestFailedImportMakesNoStore: importing a file that cannot be read, or
// one whose every run fails, into a --db that does not exist leaves no
// store there and does not announce one; a good import into a new store
// announces it.
func TestFailedImportMakesNoStore(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format": "workbench-runs", "runs": [{"id": }]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{bad, filepath.Join(dir, "missing.json")} {
		db := filepath.Join(dir, "new.db")
		_, errs, code := cliNoEnv(t, "", "runs", "import", file, "--db", db)
		if code == 0 {
			t.Fatalf("import of %s succeeded", file)
		}
		if strings.Contains(errs, "created a new store") {
			t.Errorf("import of %s announced a store:\n%s", file, errs)
		}
		for _, p := range []string{db, db + "-wal", db + "-shm"} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("import of %s left %s behind", file, p)
			}
		}
	}
	src := filepath.Join(dir, "src.db")
	if _, errs, code := cli(t, src, "", "train", "--data", "xor", "--epochs", "1"); code != 0 {
		t.Fatalf("train: %s", errs)
	}
	good, _, _ := cli(t, src, "", "runs", "export")
	goodFile := filepath.Join(dir, "good.json")
	if err := os.WriteFile(goodFile, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "fresh.db")
	out, errs, code := cliNoEnv(t, "", "runs", "import", goodFile, "--db", db)
	if code != 0 || errs != "workbench: created a new store at "+db+"\n" || !strings.Contains(out, "imported 1 run into "+db) {
		t.Errorf("good import: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
