package sessions

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	_ "modernc.org/sqlite"
)

func TestDerivedRunsKeepTheirLineageThroughExportAndImport(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		a := be.open(t)
		ctx := context.Background()
		m1 := recordRun(t, a, testSpec(4))
		m2 := recordRun(t, a, testSpec(5))
		base, err := LoadFull(ctx, a, m1)
		if err != nil {
			t.Fatal(err)
		}
		ens := *base
		ens.ID, ens.Kind, ens.Members, ens.History = "ens-1", KindEnsemble, []string{m1, m2}, []Epoch{}
		comp := *base
		comp.ID, comp.Kind, comp.Parent, comp.History = "comp-1", KindCompressed, m1, []Epoch{}
		for _, r := range []*FullRun{&ens, &comp} {
			if err := a.ImportRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		got, err := a.GetRun(ctx, "ens-1")
		if err != nil || got.Kind != KindEnsemble || !reflect.DeepEqual(got.Members, []string{m1, m2}) {
			t.Fatalf("ensemble row %+v: %v", got, err)
		}
		got, err = a.GetRun(ctx, "comp-1")
		if err != nil || got.Kind != KindCompressed || got.Parent != m1 || got.Members != nil {
			t.Fatalf("compressed row %+v: %v", got, err)
		}
		if got, _ := a.GetRun(ctx, m1); got.Kind != KindTrain || got.Parent != "" || got.Members != nil {
			t.Fatalf("a trained run has lineage: %+v", got)
		}
		runs, err := a.ListRuns(ctx, Query{})
		if err != nil || len(runs) != 4 {
			t.Fatalf("list: %d runs, %v", len(runs), err)
		}
		var first, second bytes.Buffer
		if err := ExportJSON(ctx, a, nil, &first); err != nil {
			t.Fatal(err)
		}
		ex, err := ReadExport(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		b := be.open(t)
		if _, err := Import(ctx, b, ex); err != nil {
			t.Fatal(err)
		}
		if err := ExportJSON(ctx, b, nil, &second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatal("lineage changed through export and import")
		}
		// Deleting a member keeps the ensemble.
		if err := a.DeleteRuns(ctx, m2); err != nil {
			t.Fatal(err)
		}
		if _, err := a.GetRun(ctx, "ens-1"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSchemaOneStoreMigratesToLineage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(migrations[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := recordRun(t, s, testSpec(3))
	if r, err := s.GetRun(context.Background(), id); err != nil || r.Kind != KindTrain {
		t.Fatalf("after migration: %+v %v", r, err)
	}
	var v int
	s.w.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion {
		t.Fatalf("user_version %d", v)
	}
}
