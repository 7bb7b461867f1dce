package sessions

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"workbench/trainer"
)

// A list of thousands of runs is read through one column per run,
// runs.list_row: the fields a list shows packed into one string, so the
// SQLite driver steps one value per row rather than sixteen (each column
// cost about two allocations and a crossing into the driver), and Go
// decodes it without reflection or JSON. On SQLite list_row is a virtual
// generated column whose value the index runs_list (created_at, id,
// list_row) holds: the default order, newest first, reads only that index,
// about 300 bytes a run, never the run's row with its metrics.
//
// Each field is a netstring without the trailing comma: its length in
// bytes, a colon, then its bytes, so any text a name or tag holds is safe.
// The fields, in order, are listFields. The column's expression is part
// of stored schemas (migration 5 on SQLite, 3 on PostgreSQL): it never
// changes; a new field means a new column and a new migration.
var listFields = []string{
	"id", "name", "status", "dataset", "task", "summary", "optimizer", "lr", "created_at",
	"epochs_done", "epochs_total", "duration_ns", "sweep_id", "tags", "key_metrics",
}

// listRowExpr returns the SQL expression of list_row for SQLite, or for
// PostgreSQL with pg.
func listRowExpr(pg bool) string {
	parts := make([]string, len(listFields))
	for i, f := range listFields {
		switch f {
		case "sweep_id":
			f = "COALESCE(sweep_id, '')"
		case "lr":
			// 17 significant digits read back to the same float64.
			if !pg {
				f = "printf('%!.17g', lr)"
			}
		}
		if pg {
			// Explicit casts: text || bigint is only STABLE, and a stored
			// generated column needs IMMUTABLE; float8's text is the
			// shortest that reads back the same.
			parts[i] = fmt.Sprintf("octet_length((%[1]s)::text)::text || ':' || (%[1]s)::text", f)
		} else {
			parts[i] = fmt.Sprintf("length(CAST(%[1]s AS BLOB)) || ':' || %[1]s", f)
		}
	}
	return strings.Join(parts, "\n\t|| ")
}

// keyMetricsJSON returns the metrics of m a list shows (summaryKeys),
// as Metrics.MarshalJSON writes them: the runs.key_metrics column, which
// every write of runs.metrics keeps in step.
func keyMetricsJSON(m Metrics) string {
	sub := make(Metrics, len(summaryKeys))
	for k := range summaryKeys {
		if v, ok := m[k]; ok {
			sub[k] = v
		}
	}
	return sub.text()
}

// sqlKeyMetrics computes key_metrics from a run's metrics in SQL
// (SQLite), keeping each number's text as stored: migration 5 fills the
// column of the runs already stored with it.
const sqlKeyMetrics = `'{' || COALESCE((SELECT group_concat('"' || k.key || '":' || (runs.metrics -> ('$.' || k.key)), ',')
	FROM (SELECT 'best_val_accuracy' AS key UNION ALL SELECT 'best_val_r2' UNION ALL SELECT 'test_accuracy' UNION ALL SELECT 'test_r2') k
	WHERE runs.metrics -> ('$.' || k.key) IS NOT NULL), '') || '}'`

// pgKeyMetrics is sqlKeyMetrics for PostgreSQL.
const pgKeyMetrics = `'{' || COALESCE((SELECT string_agg('"' || k.key || '":' || (runs.metrics::jsonb -> k.key)::text, ',')
	FROM (VALUES ('best_val_accuracy'), ('best_val_r2'), ('test_accuracy'), ('test_r2')) AS k(key)
	WHERE runs.metrics::jsonb -> k.key IS NOT NULL), '') || '}'`

// listRow is a cursor over a list_row value.
type listRow struct {
	s   string
	err bool
}

// next returns the next field, sharing the row's memory.
func (l *listRow) next() string {
	i := strings.IndexByte(l.s, ':')
	if i <= 0 || l.err {
		l.err = true
		return ""
	}
	n := 0
	for _, c := range []byte(l.s[:i]) {
		if c < '0' || c > '9' || n > len(l.s) {
			l.err = true
			return ""
		}
		n = n*10 + int(c-'0')
	}
	if n > len(l.s)-i-1 {
		l.err = true
		return ""
	}
	f := l.s[i+1 : i+1+n]
	l.s = l.s[i+1+n:]
	return f
}

func (l *listRow) int() int64 {
	f := l.next()
	v, err := strconv.ParseInt(f, 10, 64)
	if err != nil {
		l.err = true
	}
	return v
}

// decodeListRow fills r from a list_row value, and m (cleared first) with
// its key metrics. r's strings share row's memory.
func decodeListRow(row string, r *Run, m Metrics) error {
	*r = Run{}
	l := listRow{s: row}
	r.ID, r.Name, r.Status = l.next(), l.next(), trainer.Status(l.next())
	r.Dataset, r.Task, r.Summary, r.Spec.Optimizer.Name = l.next(), l.next(), l.next(), l.next()
	lr, err := strconv.ParseFloat(l.next(), 64)
	if err != nil {
		l.err = true
	}
	r.Spec.Optimizer.LR = lr
	r.Created = fromNanos(l.int())
	r.EpochsDone, r.EpochsTotal = int(l.int()), int(l.int())
	r.Duration = time.Duration(l.int())
	r.SweepID = l.next()
	tags, metrics := l.next(), l.next()
	if l.err || l.s != "" {
		return fmt.Errorf("run %s: bad stored list row", r.ID)
	}
	if err := decodeTags(tags, &r.Tags); err != nil {
		return fmt.Errorf("run %s: bad stored tags: %v", r.ID, err)
	}
	clear(m)
	if !parseFlatMetricsInto(m, metrics, nil) {
		return fmt.Errorf("run %s: bad stored key metrics %q", r.ID, clip(metrics))
	}
	r.Metrics = m
	return nil
}

// decodeTags reads a stored tags array into dst: by hand, sharing s's
// memory, when no tag holds a quote or a backslash, else through
// encoding/json.
func decodeTags(s string, dst *[]string) error {
	switch {
	case s == "[]" || s == "" || s == "null":
		*dst = nil
		return nil
	case len(s) >= 4 && strings.HasPrefix(s, `["`) && strings.HasSuffix(s, `"]`) && !strings.ContainsRune(s, '\\'):
		body := s[2 : len(s)-2]
		if strings.Count(body, `"`) == 2*strings.Count(body, `","`) {
			*dst = strings.Split(body, `","`)
			return nil
		}
	}
	return json.Unmarshal([]byte(s), dst)
}
