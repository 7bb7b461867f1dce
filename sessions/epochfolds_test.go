package sessions

import (
	"context"
	"encoding/csv"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"workbench/trainer"
)

// foldsRun creates a cross-validated run of 5 folds in s.
func foldsRun(t *testing.T, s *SQLite, id string) {
	t.Helper()
	spec := testSpec(10)
	spec.CV = 5
	if err := s.CreateRun(context.Background(), &Run{ID: id, Status: trainer.StatusRunning, Spec: spec, Created: time.Now(), Metrics: Metrics{}}); err != nil {
		t.Fatal(err)
	}
}

// epochFolds returns each stored epoch's Folds.
func epochFolds(t *testing.T, s *SQLite, id string) []int {
	t.Helper()
	h, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, e := range h {
		out = append(out, e.Folds)
	}
	return out
}

// TestEpochsKeepTheirFolds: each epoch of a cross-validated run keeps how
// many folds it is the mean of, written one at a time (the recorder's
// way) or several at once (an import's), on both stores: a run still
// training had nothing else to say it.
func TestEpochsKeepTheirFolds(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		foldsRun(t, s, "cv")
		ep := func(n, folds int) Epoch {
			return Epoch{Epoch: n, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Folds: folds}
		}
		if err := s.AppendEpoch(ctx, "cv", ep(1, 5)); err != nil {
			t.Fatal(err)
		}
		if err := s.AppendEpochs(ctx, "cv", []Epoch{ep(2, 5), ep(3, 4), ep(4, 3)}, 4); err != nil {
			t.Fatal(err)
		}
		if got := epochFolds(t, s, "cv"); !slices.Equal(got, []int{5, 5, 4, 3}) {
			t.Fatalf("folds %v, want [5 5 4 3]", got)
		}
		f, err := LoadFull(ctx, s, "cv")
		if err != nil {
			t.Fatal(err)
		}
		if n, of := f.FoldsTraining(); n != 3 || of != 5 {
			t.Errorf("FoldsTraining %d/%d, want 3/5", n, of)
		}
	})
}

// TestSchema5StoreOpensWithEpochFolds: a store of schema 5, whose epochs
// had no folds, migrates: its epochs read 0 (nothing said), and new ones
// keep theirs.
func TestSchema5StoreOpensWithEpochFolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v5.db")
	stmts := append([]string{}, migrations[1:6]...)
	stmts = append(stmts, "PRAGMA user_version = 5", "PRAGMA journal_mode = WAL",
		`INSERT INTO runs (id, name, status, dataset, task, summary, optimizer, lr, created_at, epochs_done)
		 VALUES ('20260101-000000-abcdef', 'old', 'running', 'circle', 'binary', '2-1', 'sgd', 0.03, 1, 1)`,
		`INSERT INTO run_data (run_id, spec) VALUES ('20260101-000000-abcdef', '{"cv":5}')`,
		`INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val) VALUES ('20260101-000000-abcdef', 1, 0.03, 5, 1, '{"loss":1}', '{"loss":1}')`)
	sqliteFile(t, path, stmts...)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ver int
	s.r.QueryRow("PRAGMA user_version").Scan(&ver)
	if ver != SchemaVersion || ver < 6 {
		t.Fatalf("user_version %d", ver)
	}
	id := "20260101-000000-abcdef"
	if err := s.AppendEpoch(context.Background(), id, Epoch{Epoch: 2, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Folds: 4}); err != nil {
		t.Fatal(err)
	}
	if got := epochFolds(t, s, id); !slices.Equal(got, []int{0, 4}) {
		t.Fatalf("folds %v, want [0 4]", got)
	}
}

// TestPGSchema4StoreOpensWithEpochFolds is the PostgreSQL migration's
// test: a store of schema 4 (epochs without folds) opens, and its epochs
// read 0.
func TestPGSchema4StoreOpensWithEpochFolds(t *testing.T) {
	u := pgURL(t)
	s, err := Open(u)
	if err != nil {
		t.Fatal(err)
	}
	foldsRun(t, s, "cv")
	if err := s.AppendEpoch(context.Background(), "cv", Epoch{Epoch: 1, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Folds: 5}); err != nil {
		t.Fatal(err)
	}
	// Schema 4 is schema 5 without the column.
	if _, err := s.w.Exec("ALTER TABLE epochs DROP COLUMN folds"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("UPDATE workbench_schema SET version = 4"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ver int
	s.w.QueryRow("SELECT version FROM workbench_schema").Scan(&ver)
	if ver != PGSchemaVersion || ver < 5 {
		t.Fatalf("schema %d", ver)
	}
	if err := s.AppendEpoch(context.Background(), "cv", Epoch{Epoch: 2, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Folds: 4}); err != nil {
		t.Fatal(err)
	}
	if got := epochFolds(t, s, "cv"); !slices.Equal(got, []int{0, 4}) {
		t.Fatalf("folds %v, want [0 4]", got)
	}
}

// TestImportRefusesFoldsBeyondTheSpec: an imported epoch cannot be the
// mean of more folds than its run has.
func TestImportRefusesFoldsBeyondTheSpec(t *testing.T) {
	spec := testSpec(3)
	spec.CV = 3
	f := &FullRun{Run: Run{ID: "20260101-000000-abcdef", Status: trainer.StatusRunning, Task: "binary", Spec: spec, EpochsDone: 1, Metrics: Metrics{}},
		History: []Epoch{{Epoch: 1, Train: Metrics{}, Val: Metrics{}, Folds: 4}}}
	err := ValidateRun(f)
	if !errors.Is(err, ErrInvalid) || err == nil || !strings.Contains(err.Error(), "history[0].folds: 4 of the spec's 3") {
		t.Fatalf("ValidateRun: %v", err)
	}
	f.History[0].Folds = 3
	if err := ValidateRun(f); err != nil {
		t.Fatalf("3 of 3 folds: %v", err)
	}
}

// TestHistoryCSVHasFolds: a cross-validated run's history export has a
// folds column with each epoch's count (5, 5, 4, 3 as folds stop early);
// a run without cross-validation has none.
func TestHistoryCSVHasFolds(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	foldsRun(t, s, "cv")
	var eps []Epoch
	for i, folds := range []int{5, 5, 4, 3} {
		eps = append(eps, Epoch{Epoch: i + 1, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}, Folds: folds})
	}
	if err := s.AppendEpochs(ctx, "cv", eps, 4); err != nil {
		t.Fatal(err)
	}
	rows := historyCSV(t, s, "cv")
	col := slices.Index(rows[0], "folds")
	if col < 0 {
		t.Fatalf("no folds column: %v", rows[0])
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[col])
	}
	if want := []string{"5", "5", "4", "3"}; !slices.Equal(got, want) {
		t.Errorf("folds %v, want %v", got, want)
	}

	plain := testSpec(2)
	if err := s.CreateRun(ctx, &Run{ID: "plain", Status: trainer.StatusRunning, Spec: plain, Created: time.Now(), Metrics: Metrics{}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendEpochs(ctx, "plain", eps[:2], 2); err != nil {
		t.Fatal(err)
	}
	if head := historyCSV(t, s, "plain")[0]; slices.Contains(head, "folds") {
		t.Errorf("a run without cross-validation has a folds column: %v", head)
	}
}

func historyCSV(t *testing.T, s Store, id string) [][]string {
	t.Helper()
	var b strings.Builder
	if err := ExportHistoryCSV(context.Background(), s, id, &b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
