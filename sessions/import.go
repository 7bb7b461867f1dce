package sessions

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"workbench/numfmt"
	"workbench/trainer"
)

// ImportRun validates r and inserts it with its history, evaluation and
// weights in one transaction. A run whose ID is present is compared with
// r: the same content gives an error wrapping ErrExists (nothing to do),
// different content one wrapping ErrConflict.
func (s *SQLite) ImportRun(ctx context.Context, r *FullRun) error {
	f, err := prepareImport(r)
	if err != nil {
		return err
	}
	tx, err := s.beginTx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	if err := s.importInto(ctx, tx, f); err != nil {
		if errors.Is(err, errPresent) {
			tx.Rollback()
			return s.compareExisting(ctx, f)
		}
		return err
	}
	return s.wrap(tx.Commit())
}

// errPresent is importInto's answer for an ID already stored.
var errPresent = errors.New("sessions: run present")

// prepareImport validates r and returns the run an import stores.
func prepareImport(r *FullRun) (*FullRun, error) {
	if err := ValidateRun(r); err != nil {
		return nil, err
	}
	f := *r
	f.Run.Tags = append([]string{}, r.Tags...)
	if f.Status == trainer.StatusRunning {
		f.Status, f.Reason = trainer.StatusInterrupted, "imported while running" // its process is not here
	}
	return &f, nil
}

// importInto inserts a prepared run in tx, or returns errPresent when its
// ID is taken; f's sweep is dropped when the store has no such sweep.
func (s *SQLite) importInto(ctx context.Context, tx *sql.Tx, f *FullRun) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM runs WHERE id = ?", f.ID).Scan(&n); err != nil {
		return s.wrap(err)
	}
	if n > 0 {
		return errPresent
	}
	if f.SweepID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sweeps WHERE id = ?", f.SweepID).Scan(&n); err != nil {
			return s.wrap(err)
		}
		if n == 0 {
			f.SweepID = "" // the sweep was not exported with the run
		}
	}
	run := f.Run
	if err := s.insertRun(ctx, tx, &run); err != nil {
		return err
	}
	if err := s.putLineage(ctx, tx, &run); err != nil {
		return err
	}
	if err := s.insertEpochs(ctx, tx, run.ID, f.History); err != nil {
		return err
	}
	if err := s.putLayers(ctx, tx, run.ID, f.History); err != nil {
		return s.wrap(err)
	}
	if f.Evaluation != nil {
		if _, err := tx.ExecContext(ctx, "INSERT INTO evaluations (run_id, data) VALUES (?, ?)", run.ID, mustJSON(f.Evaluation)); err != nil {
			return s.wrap(err)
		}
	}
	if f.Weights != nil {
		if _, err := tx.ExecContext(ctx, "INSERT INTO weights (run_id, data) VALUES (?, ?)", run.ID, f.Weights); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

// compareExisting tells an identical stored run (ErrExists) from a
// different one (ErrConflict), by their exports.
func (s *SQLite) compareExisting(ctx context.Context, f *FullRun) error {
	have, err := LoadFull(ctx, s, f.ID)
	if err != nil {
		return err
	}
	a, err := canonical(have)
	if err != nil {
		return err
	}
	b, err := canonical(f)
	if err != nil {
		return err
	}
	if bytes.Equal(a, b) {
		return fmt.Errorf("%w: %s is already here, identical", ErrExists, f.ID)
	}
	return fmt.Errorf("run %s: %w in this store (they differ %s); delete that run first, or import into another store", f.ID, ErrConflict, firstDiff(a, b))
}

// canonical is a run's export form, with what an import normalizes
// (empty lists, time zones) made equal.
func canonical(f *FullRun) ([]byte, error) {
	c := *f
	c.Tags, c.Features = nonNil(c.Tags), nonNil(c.Features)
	if len(c.Classes) == 0 {
		c.Classes = nil
	}
	if c.History == nil {
		c.History = []Epoch{}
	}
	if c.Metrics == nil {
		c.Metrics = Metrics{}
	}
	c.Created, c.Finished = c.Created.UTC(), c.Finished.UTC()
	return json.Marshal(&c)
}

// firstDiff names where two canonical exports first differ, for messages.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	// The field name is the last "key": before the difference.
	head := string(a[:i])
	if j := strings.LastIndex(head, `":`); j > 0 {
		if k := strings.LastIndex(head[:j], `"`); k >= 0 {
			return "first at " + head[k+1:j]
		}
	}
	return fmt.Sprintf("at byte %d", i)
}

// ImportStats counts what an import did.
type ImportStats struct {
	Imported int // new runs stored
	Skipped  int // runs already present and identical
	Refused  int // invalid runs, and IDs taken by different content
	// Errors holds the first few refusals, each naming its run.
	Errors []error
}

const maxImportErrors = 10

// add counts one ImportRun result; it returns err when the import must
// stop (storage failure, cancellation).
func (st *ImportStats) add(err error) error {
	switch {
	case err == nil:
		st.Imported++
	case errors.Is(err, ErrExists):
		st.Skipped++
	case errors.Is(err, ErrConflict) || errors.Is(err, ErrInvalid):
		st.Refused++
		if len(st.Errors) < maxImportErrors {
			st.Errors = append(st.Errors, err)
		}
	default:
		return err
	}
	return nil
}

// Err sums up the refusals, nil when there were none.
func (st ImportStats) Err() error {
	if st.Refused == 0 {
		return nil
	}
	more := ""
	if st.Refused > len(st.Errors) {
		more = fmt.Sprintf("\n… and %d more", st.Refused-len(st.Errors))
	}
	lines := make([]string, len(st.Errors))
	for i, err := range st.Errors {
		lines[i] = strings.TrimPrefix(err.Error(), "import: ")
	}
	return &refusedError{fmt.Sprintf("import: refused %s:\n%s%s", numfmt.Count(st.Refused, "run"), strings.Join(lines, "\n"), more), st.Errors}
}

// ImportFrom reads a JSON export from r one run at a time, so memory stays
// bounded whatever its size, and imports each run atomically (ImportRun).
// Runs already present and identical are skipped and counted, which makes
// an interrupted import resumable: run it again. Invalid runs and runs
// whose ID holds different content are refused and counted, and the
// import goes on; see ImportStats.Err. progress, when set, is called after
// each run.
func ImportFrom(ctx context.Context, s Store, r io.Reader, progress func(ImportStats)) (ImportStats, error) {
	var st ImportStats
	p := newPosReader(r)
	dec := json.NewDecoder(p)
	notExport := func(err error) error {
		line, col := p.placeOf(dec, err)
		var ie *ImportError
		if errors.As(err, &ie) {
			err = ie.Err
		}
		switch {
		case p.base == 0 && len(bytesTrimRight(p.buf)) == 0 && errors.Is(err, io.EOF):
			err = errors.New("the file is empty")
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			err = errors.New("the file ends too soon")
		}
		return &ImportError{Line: line, Col: col, Err: fmt.Errorf("not a workbench export: %v", err)}
	}
	if err := expectDelim(dec, '{'); err != nil {
		return st, notExport(err)
	}
	var format string
	version := 0
	sawRuns := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return st, notExport(err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			if err := decodeAt(dec, p, &format); err != nil {
				return st, notExport(err)
			}
		case "version":
			if err := decodeAt(dec, p, &version); err != nil {
				return st, notExport(err)
			}
		case "runs":
			// Our exports put the version first, but a tool that sorts keys
			// puts it after the runs: then it is checked at the end.
			v := version
			if v == 0 {
				v = ExportVersion
			}
			if err := checkHeader(format, v); err != nil {
				return st, err
			}
			sawRuns = true
			if err := expectDelim(dec, '['); err != nil {
				return st, notExport(err)
			}
			if bi, ok := s.(batchImporter); ok {
				if err := importBatched(ctx, bi, dec, p, &st, progress); err != nil {
					return st, err
				}
			}
			for i := 0; dec.More(); i++ {
				if err := ctx.Err(); err != nil {
					return st, err
				}
				d := decodeRun(dec, p, i)
				if d.stream != nil {
					return st, d.stream
				}
				err := s.ImportRun(ctx, d.f)
				if errors.Is(err, ErrInvalid) {
					err = d.at(err)
				}
				if err := st.add(err); err != nil {
					return st, fmt.Errorf("import: run %d (%s): %w", i+1, d.id, err)
				}
				if progress != nil {
					progress(st)
				}
			}
			if err := expectDelim(dec, ']'); err != nil {
				return st, notExport(err)
			}
		default:
			var skip json.RawMessage
			if err := decodeAt(dec, p, &skip); err != nil {
				return st, notExport(err)
			}
		}
	}
	// A file cut short in its header reads as one without a format or a
	// version: say it ends too soon instead.
	if err := expectDelim(dec, '}'); err != nil {
		return st, notExport(err)
	}
	if err := checkHeader(format, version); err != nil {
		return st, err
	}
	if !sawRuns {
		return st, notExport(errors.New("no runs"))
	}
	return st, nil
}

// refusedError is ImportStats.Err: one message, and every refusal it
// lists for errors.Is and errors.As.
type refusedError struct {
	msg  string
	errs []error
}

func (e *refusedError) Error() string   { return e.msg }
func (e *refusedError) Unwrap() []error { return e.errs }

func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("found %v where %q belongs", tok, d)
	}
	return nil
}

func checkHeader(format string, version int) error {
	if format != ExportFormat {
		return fmt.Errorf("import: format %q is not %q", clip(format), ExportFormat)
	}
	if version < 1 || version > ExportVersion {
		return fmt.Errorf("import: export version %d is not supported (this build reads up to %d)", version, ExportVersion)
	}
	return nil
}
