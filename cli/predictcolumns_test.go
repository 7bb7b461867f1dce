package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPredictNamesTheAbsentColumn: predicting a file without the city
// column the model was trained on says the column "city", as the file's
// header would name it, never a one-hot feature such as city=Lyon.
func TestPredictNamesTheAbsentColumn(t *testing.T) {
	dir := t.TempDir()
	db, csvPath := filepath.Join(dir, "p.db"), filepath.Join(dir, "my.csv")
	writeMyCSV(t, csvPath, 300)
	id := trainRun(t, db, "--data", csvPath, "--target", "label", "--ignore", "id", "--missing", "impute")
	_, errs, code := cli(t, db, "id,age,income\n1,30,40000\n", "predict", "--run", id, "--data", "-")
	want := `no column for the model's feature "city" (the header has: id, age, income)`
	if code == 0 || !strings.Contains(errs, want) || strings.Contains(errs, "city=") {
		t.Errorf("exit %d: %s\nwant %s", code, errs, want)
	}
}

// TestPredictRefusesAnExistingOutputFirst: predict -o onto an existing
// file without --force says only that, leaves the file alone and reads
// no rows; it used to predict, say on stderr that every row was
// predicted, and then refuse the file.
func TestPredictRefusesAnExistingOutputFirst(t *testing.T) {
	dir := t.TempDir()
	db, csvPath, outPath := filepath.Join(dir, "p.db"), filepath.Join(dir, "my.csv"), filepath.Join(dir, "out.csv")
	writeMyCSV(t, csvPath, 300)
	id := trainRun(t, db, "--data", csvPath, "--target", "label", "--ignore", "id", "--missing", "impute")
	if err := os.WriteFile(outPath, []byte("keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rows := "id,age,income,city\n1,,40000,Atlantis\n"
	out, errs, code := cli(t, db, rows, "predict", "--run", id, "--data", "-", "-o", outPath)
	if want := "workbench predict: " + outPath + " exists: pass --force to replace it\n"; code != 1 || out != "" || errs != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want stderr %q", code, out, errs, want)
	}
	if b, _ := os.ReadFile(outPath); string(b) != "keep\n" {
		t.Fatalf("the file became %q", b)
	}
	out, errs, code = cli(t, db, rows, "predict", "--run", id, "--data", "-", "-o", outPath, "--force")
	if b, _ := os.ReadFile(outPath); code != 0 || out != "" || !strings.HasPrefix(errs, "predict: 1 of 1 rows predicted; ") ||
		!strings.HasPrefix(string(b), "id,age,income,city,prediction,") {
		t.Fatalf("--force: exit %d, stdout %q, stderr %q, file %q", code, out, errs, b)
	}
}
