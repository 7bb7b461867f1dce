package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportWritesAllAtOnce(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	id := trainRun(t, db)
	out := filepath.Join(dir, "runs.json")
	os.WriteFile(out, []byte("precious"), 0o644)
	// Errors found part way (an unknown ID, a bad format) leave the file.
	for _, args := range [][]string{{"no-such-run"}, {id, "--format", "bogus"}} {
		if _, _, code := cli(t, db, "", append([]string{"runs", "export", "-o", out, "--force"}, args...)...); code == 0 {
			t.Fatalf("export %v succeeded", args)
		}
		if b, _ := os.ReadFile(out); string(b) != "precious" {
			t.Fatalf("export %v left %q", args, b)
		}
	}
	_, errs, code := cli(t, db, "", "runs", "export", id, "-o", out)
	if code == 0 || !strings.Contains(errs, "--force") {
		t.Fatalf("export over a file without --force: exit %d: %s", code, errs)
	}
	if _, errs, code := cli(t, db, "", "runs", "export", id, "-o", out, "--force"); code != 0 {
		t.Fatalf("export --force: %s", errs)
	}
	if b, _ := os.ReadFile(out); !bytes.Contains(b, []byte(id)) {
		t.Fatal("export --force did not replace the file")
	}
	// A symlink at the target is not followed.
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link.png")
	os.Symlink(victim, link)
	if _, _, code := cli(t, db, "", "plot", "--run", id, "-o", link); code == 0 {
		t.Fatal("plot wrote through a symlink without --force")
	}
	if _, errs, code := cli(t, db, "", "plot", "--run", id, "-o", link, "--force"); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatal("plot wrote through a symlink")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("left %s behind", e.Name())
		}
	}
}

func TestImportResumesAndListsSafely(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.db")
	id := trainRun(t, a)
	out, _, code := cli(t, a, "", "runs", "export", id)
	if code != 0 {
		t.Fatal(out)
	}
	// A hostile name in the export, as another program could write it.
	var ex map[string]any
	json.Unmarshal([]byte(out), &ex)
	ex["runs"].([]any)[0].(map[string]any)["name"] = "\x1b[2J\x1b]0;pwned\x07evil"
	raw, _ := json.Marshal(ex)
	b := filepath.Join(dir, "b.db")
	got, errs, code := cli(t, b, string(raw), "runs", "import", "-")
	if code != 0 || !strings.Contains(got, "imported 1 run") {
		t.Fatalf("import: exit %d: %s %s", code, got, errs)
	}
	got, errs, code = cli(t, b, string(raw), "runs", "import", "-")
	if code != 0 || !strings.Contains(got, "imported 0 run") || !strings.Contains(got, "1 already there") {
		t.Fatalf("import again: exit %d: %s %s", code, got, errs)
	}
	for _, args := range [][]string{{"runs", "list"}, {"runs", "show", id}} {
		got, errs, code = cli(t, b, "", args...)
		if code != 0 || strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, "evil") {
			t.Fatalf("%v: exit %d: %q %s", args, code, got, errs)
		}
	}
}

func TestForeignStoreIsRefusedAndLeftAlone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "other.db")
	conn, _ := sql.Open("sqlite", db)
	conn.Exec("CREATE TABLE notes (body TEXT)")
	conn.Close()
	before, _ := os.ReadFile(db)
	for _, args := range [][]string{{"runs", "list"}, {"train", "--epochs", "1"}} {
		_, errs, code := cli(t, db, "", args...)
		if code == 0 || !strings.Contains(errs, "not a workbench database") {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("the foreign file changed")
	}
}

// TestDamagedStoreIsOneLineOnStderr: a store whose pages were overwritten
// is refused with exit 1 and one line on stderr that names the first
// problem; quick_check's report of every damaged page made it dozens.
func TestDamagedStoreIsOneLineOnStderr(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	for i := 0; i < 6; i++ {
		if _, errs, code := cli(t, db, "", "train", "--data", "digits", "--layers", "32", "--epochs", "3"); code != 0 {
			t.Fatal(errs)
		}
	}
	if _, errs, code := cli(t, db, "", "runs", "list"); code != 0 { // checkpoints the WAL into the file
		t.Fatal(errs)
	}
	os.Remove(db + "-wal")
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x17, 0x3C, 0x00}, 4096), fi.Size()/2/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, args := range [][]string{{"runs", "list", "--json"}, {"train", "--epochs", "1"}} {
		out, errs, code := cli(t, db, "", args...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "is damaged (database disk image is malformed") ||
			!strings.HasSuffix(errs, "; move it away to start a new one, or recover it with sqlite3's .recover\n") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// TestUnreachablePostgresIsOneLine: a PostgreSQL store that refuses the
// connection is named in one line on stderr, exit 1; pgx's message put
// each address it tried on a line of its own.
func TestUnreachablePostgresIsOneLine(t *testing.T) {
	url := "postgres://nobody@127.0.0.1:1/x?connect_timeout=5"
	out, errs, code := cli(t, url, "", "runs", "list", "--json")
	if code != 1 || out != "" || strings.Count(errs, "\n") != 1 ||
		!strings.HasPrefix(errs, "workbench runs list: store postgres://nobody@127.0.0.1:1/x?connect_timeout=5: cannot reach 127.0.0.1:1: ") ||
		!strings.Contains(errs, "connection refused") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
