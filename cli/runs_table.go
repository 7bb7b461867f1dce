package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"workbench/numfmt"
	"workbench/sessions"
)

// runTable prints runs as an aligned table. It keeps only the table's
// text, never the runs, and formats each row without fmt, so listing
// 100,000 runs holds about 20 MB. Not safe for concurrent use, except
// that fill reads the runs on a goroutine of its own.
type runTable struct {
	out   io.Writer
	t     *table
	extra string // a summary metric's column (the metric --sort names), or ""
	num   []byte // scratch for numbers
}

var runTableHead = []string{"ID", "NAME", "DATASET", "ARCHITECTURE", "OPT", "LR", "STATUS", "BEST VAL", "TEST", "EPOCHS", "DURATION", "CREATED"}

func newRunTable(w io.Writer, extra string) *runTable {
	cols := len(runTableHead)
	if extra != "" {
		cols++
	}
	t := newTable(cols)
	for _, h := range runTableHead {
		t.cell(h)
	}
	if extra != "" {
		t.cell(strings.ToUpper(extra))
	}
	return &runTable{out: w, t: t, extra: extra}
}

// runRow is what one row of the table shows, copied out of a *Run that
// the store refills; its strings share the store's memory.
type runRow struct {
	id, name, dataset, summary, opt, status, kind, metric string
	lr                                                    float64
	done, total                                           int
	dur                                                   time.Duration
	created                                               time.Time
	best, test, extra                                     float64
	okBest, okTest, okExtra                               bool
}

// rowOf copies what r's row shows. It reads only t.extra, so it may run
// beside add.
func (t *runTable) rowOf(r *sessions.Run) runRow {
	m, b, tst, okB, okT := keyMetric(r)
	row := runRow{id: r.ID, name: r.Name, dataset: r.Dataset, summary: r.Summary, opt: r.Spec.Optimizer.Name,
		status: string(r.Status), kind: r.Kind, metric: m, lr: r.Spec.Optimizer.LR, done: r.EpochsDone, total: r.EpochsTotal,
		dur: r.Duration, created: r.Created, best: b, test: tst, okBest: okB, okTest: okT}
	if t.extra != "" {
		row.extra, row.okExtra = r.Metrics[t.extra]
	}
	return row
}

// fillBatch is how many rows go from the reading goroutine to the laying
// out one at a time.
const fillBatch = 512

// fill adds every run each yields (sessions.Store.EachSummary), reading
// and decoding them on one goroutine while this one lays out the rows:
// on two cores, listing 100,000 runs takes about half the time.
func (t *runTable) fill(each func(func(*sessions.Run) error) error) error {
	const buffers = 4
	full := make(chan []runRow, buffers)
	free := make(chan []runRow, buffers)
	for range buffers {
		free <- make([]runRow, 0, fillBatch)
	}
	errc := make(chan error, 1)
	go func() {
		cur := <-free
		err := each(func(r *sessions.Run) error {
			cur = append(cur, t.rowOf(r))
			if len(cur) == fillBatch {
				full <- cur
				cur = <-free
			}
			return nil
		})
		if len(cur) > 0 {
			full <- cur
		}
		close(full)
		errc <- err
	}()
	for rows := range full {
		for i := range rows {
			t.add(&rows[i])
		}
		free <- rows[:0]
	}
	return <-errc
}

// add writes one run's row; names, notes and tags come from anywhere, so
// its text goes through sessions.CleanText.
func (t *runTable) add(r *runRow) {
	arch := r.summary
	if i := strings.LastIndex(arch, ","); i > 0 {
		arch = arch[:i]
	}
	c := sessions.CleanText
	tb := t.t
	tb.cell(c(r.id))
	t.truncCell(c(r.name), nameWidth)
	t.truncCell(c(filepath.Base(r.dataset)), datasetWidth)
	t.truncCell(c(arch), archWidth)
	tb.cell(c(r.opt))
	tb.cell(numfmt.Short(r.lr))
	tb.cell(c(r.status))
	tb.add(c(r.metric))
	tb.add(" ")
	tb.cell(fmtMetric(r.best, r.okBest))
	tb.cell(fmtMetric(r.test, r.okTest))
	if r.kind != sessions.KindTrain {
		tb.cell(c(r.kind)) // a derived run has no epochs of its own
	} else {
		t.num = strconv.AppendInt(t.num[:0], int64(r.done), 10)
		t.num = append(t.num, '/')
		if r.total == 0 {
			t.num = append(t.num, "∞"...) // no limit, as the app shows it
		} else {
			t.num = strconv.AppendInt(t.num, int64(r.total), 10)
		}
		tb.text = append(tb.text, t.num...)
		tb.endCell()
	}
	tb.cell(numfmt.Duration(r.dur))
	tb.text = r.created.Local().AppendFormat(tb.text, "2006-01-02 15:04")
	tb.endCell()
	if t.extra != "" {
		tb.cell(fmtMetric(r.extra, r.okExtra))
	}
}

// truncCell writes s, cut to n runes as truncate cuts it.
func (t *runTable) truncCell(s string, n int) {
	if utf8.RuneCountInString(s) <= n {
		t.t.cell(s)
		return
	}
	t.t.cell(truncate(s, n))
}

// rows returns how many runs the table has.
func (t *runTable) rows() int { return t.t.rows() - 1 }

// flush prints the table, or a hint when it has no rows.
func (t *runTable) flush() error {
	if t.rows() == 0 {
		_, err := fmt.Fprintln(t.out, "no runs yet: try 'workbench train'")
		return err
	}
	return t.t.writeTo(t.out)
}
