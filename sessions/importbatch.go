package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// An import goes in batches: one transaction holds up to importBatchRuns
// runs or importBatchTime of work, each run inside it under a savepoint,
// so it goes in whole or not at all, as with ImportRun. A commit per run
// was a third of an import's time. A kill loses at most the open batch,
// which the next import of the same file adds again (the runs before it
// are skipped as identical). The time bound keeps the store's write lock
// free often enough for runs training beside the import.
const (
	importBatchRuns = 64
	importBatchTime = 250 * time.Millisecond
)

// batchImporter is a Store that imports many runs per transaction.
type batchImporter interface {
	beginImport(ctx context.Context) (*importBatch, error)
}

var _ batchImporter = (*SQLite)(nil)

// importBatch is one transaction of an import. Not safe for concurrent
// use.
type importBatch struct {
	s       *SQLite
	tx      *sql.Tx
	ids     map[string]bool
	results []error // each run's outcome, counted once the batch commits
	started time.Time
}

func (s *SQLite) beginImport(ctx context.Context) (*importBatch, error) {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return nil, s.wrap(err)
	}
	return &importBatch{s: s, tx: tx, ids: map[string]bool{}, started: time.Now()}, nil
}

// full reports whether the batch should commit before it takes more.
func (b *importBatch) full() bool {
	return len(b.results) >= importBatchRuns || time.Since(b.started) >= importBatchTime
}

// add imports a prepared run (see prepareImport) under a savepoint. A run
// that is present (identical or not) becomes a result; an error is the
// store's, and ends the batch.
func (b *importBatch) add(ctx context.Context, f *FullRun) error {
	s, tx := b.s, b.tx
	if _, err := tx.ExecContext(ctx, "SAVEPOINT import_run"); err != nil {
		return s.wrap(err)
	}
	err := s.importInto(ctx, tx, f)
	if err == nil {
		b.ids[f.ID] = true
		b.results = append(b.results, nil)
		_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT import_run")
		return s.wrap(err)
	}
	if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_run"); rerr != nil {
		return s.wrap(rerr)
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT import_run"); rerr != nil {
		return s.wrap(rerr)
	}
	if errors.Is(err, errPresent) {
		err = s.compareExisting(ctx, f)
	}
	if errors.Is(err, ErrExists) || errors.Is(err, ErrConflict) || errors.Is(err, ErrInvalid) {
		b.results = append(b.results, err)
		return nil
	}
	return err
}

// commit ends the batch and returns its runs' outcomes.
func (b *importBatch) commit() ([]error, error) {
	if err := b.tx.Commit(); err != nil {
		return nil, b.s.wrap(err)
	}
	return b.results, nil
}

// decodedRun is a run read from an export and prepared for import, or the
// reason it cannot be.
type decodedRun struct {
	i         int
	id        string
	line, col int // where the run starts in the file
	f         *FullRun
	err       error // the run's own: invalid
	stream    error // the file's: nothing after it can be read
}

// decodeRun reads run i (from 0) of an export's array from dec, which
// reads p.
func decodeRun(dec *json.Decoder, p *posReader, i int) decodedRun {
	d := decodedRun{i: i, f: &FullRun{}}
	start := dec.InputOffset()
	err := decodeAt(dec, p, d.f)
	// After the decode, which read the run whole, p holds its first byte.
	d.line, d.col = p.pos(p.firstToken(start))
	if err != nil {
		ie := err.(*ImportError)
		ie.Run, ie.ID = i+1, d.f.ID
		ie.Err = fmt.Errorf("%w (the runs before it are imported; fix the file and import again to resume)", ie.Err)
		d.stream = ie
	}
	d.id = d.f.ID
	return d
}

// at places a refusal of the run at its start in the file.
func (d decodedRun) at(err error) error {
	return &ImportError{Line: d.line, Col: d.col, Run: d.i + 1, ID: d.id, Err: err}
}

// importBatched imports the runs of an export's array, dec standing at its
// first run, through bi, in three stages that overlap: one goroutine
// decodes the next runs, another validates them, and this one stores
// them, in order, in batches.
func importBatched(ctx context.Context, bi batchImporter, dec *json.Decoder, p *posReader, st *ImportStats, progress func(ImportStats)) error {
	rctx, cancel := context.WithCancel(ctx)
	decoded := make(chan decodedRun, 4)
	go func() {
		defer close(decoded)
		for i := 0; dec.More(); i++ {
			d := decodedRun{i: i, stream: rctx.Err()}
			if d.stream == nil {
				d = decodeRun(dec, p, i)
			}
			select {
			case decoded <- d:
			case <-rctx.Done():
				return
			}
			if d.stream != nil {
				return
			}
		}
	}()
	runs := make(chan decodedRun, 4)
	go func() {
		defer close(runs)
		for d := range decoded {
			if d.stream == nil {
				var f *FullRun
				if f, d.err = prepareImport(d.f); d.err != nil {
					d.err = d.at(d.err)
				}
				d.f = f
			}
			select {
			case runs <- d:
			case <-rctx.Done():
				for range decoded { // let the decoder finish
				}
				return
			}
		}
	}()
	defer func() {
		cancel()
		for range runs { // the decoder is done with dec when runs closes
		}
	}()
	var b *importBatch
	defer func() {
		if b != nil {
			b.tx.Rollback()
		}
	}()
	flush := func() error {
		if b == nil {
			return nil
		}
		results, err := b.commit()
		b = nil
		if err != nil {
			return err
		}
		for _, r := range results {
			st.add(r) // a result is never an error that stops the import
			if progress != nil {
				progress(*st)
			}
		}
		return nil
	}
	for d := range runs {
		if d.stream != nil {
			if err := flush(); err != nil {
				return err
			}
			return d.stream
		}
		if d.err != nil {
			if err := st.add(d.err); err != nil {
				return fmt.Errorf("import: run %d (%s): %w", d.i+1, d.id, err)
			}
			if progress != nil {
				progress(*st)
			}
			continue
		}
		// A run whose ID this batch holds is compared with the stored one
		// after the batch commits.
		if b != nil && (b.full() || b.ids[d.id]) {
			if err := flush(); err != nil {
				return fmt.Errorf("import: run %d (%s): %w", d.i+1, d.id, err)
			}
		}
		if b == nil {
			var err error
			if b, err = bi.beginImport(ctx); err != nil {
				return fmt.Errorf("import: run %d (%s): %w", d.i+1, d.id, err)
			}
		}
		if err := b.add(ctx, d.f); err != nil {
			return fmt.Errorf("import: run %d (%s): %w", d.i+1, d.id, err)
		}
	}
	return flush()
}
