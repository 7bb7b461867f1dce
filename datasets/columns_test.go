package datasets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestColumnsNamesAndTypes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loans.csv")
	os.WriteFile(path, []byte("\xef\xbb\xbfid;age;city;income;note;approved\n1;25;paris;NA;;0\n2;40;lyon;52000;;1\n3;;paris;61000;;1\n"), 0o600)
	cols, err := Columns(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Column{{"id", "number", 0}, {"age", "number", 1}, {"city", "text", 0}, {"income", "number", 1}, {"note", "empty", 3}, {"approved", "number", 0}}
	if !reflect.DeepEqual(cols, want) {
		t.Fatalf("got  %+v\nwant %+v", cols, want)
	}
	headless := filepath.Join(dir, "h.csv")
	os.WriteFile(headless, []byte("1,2,0\n3,4,1\n"), 0o600)
	cols, err = Columns(headless)
	if err != nil || len(cols) != 3 || cols[0].Name != "col0" || cols[2].Type != "number" {
		t.Fatalf("headless: %+v %v", cols, err)
	}
	if _, err := Columns(filepath.Join(dir, "none.csv")); err == nil {
		t.Fatal("a missing file gave no error")
	}
	empty := filepath.Join(dir, "e.csv")
	os.WriteFile(empty, nil, 0o600)
	if _, err := Columns(empty); err == nil {
		t.Fatal("an empty file gave no error")
	}
}
