package cli

import (
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
