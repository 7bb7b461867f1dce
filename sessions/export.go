package sessions

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ExportFormat and ExportVersion identify a JSON export.
const (
	ExportFormat  = "workbench-runs"
	ExportVersion = 1
)

// Export is a JSON export: complete runs in order of creation.
type Export struct {
	Format  string     `json:"format"`
	Version int        `json:"version"`
	Runs    []*FullRun `json:"runs"`
}

// LoadFull reads everything about one run.
func LoadFull(ctx context.Context, s Store, id string) (*FullRun, error) {
	r, err := s.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	f := &FullRun{Run: *r}
	if f.History, err = s.History(ctx, id); err != nil {
		return nil, err
	}
	if f.History == nil {
		f.History = []Epoch{}
	}
	if ev, err := s.Evaluation(ctx, id); err == nil {
		f.Evaluation = ev
	}
	if w, err := s.Weights(ctx, id); err == nil {
		f.Weights = w
	}
	return f, nil
}

// exportIDs returns ids in order of creation, or every run when ids is
// empty; it reads only summaries.
func exportIDs(ctx context.Context, s Store, ids []string) ([]*Run, error) {
	if len(ids) == 0 {
		return s.ListSummaries(ctx, Query{Sort: "created"})
	}
	var runs []*Run
	for _, id := range ids {
		r, err := s.GetRun(ctx, id)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	sort.SliceStable(runs, func(i, j int) bool {
		if !runs[i].Created.Equal(runs[j].Created) {
			return runs[i].Created.Before(runs[j].Created)
		}
		return runs[i].ID < runs[j].ID
	})
	return runs, nil
}

// ExportJSON writes runs (all when ids is empty) as a JSON export, weights
// in base64. The output is reproducible byte for byte. It streams: one run
// is in memory at a time, whatever the number of runs.
func ExportJSON(ctx context.Context, s Store, ids []string, w io.Writer) error {
	runs, err := exportIDs(ctx, s, ids)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "{\n \"format\": %q,\n \"version\": %d,\n \"runs\": ", ExportFormat, ExportVersion)
	if len(runs) == 0 {
		bw.WriteString("[]")
	}
	for i, r := range runs {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := LoadFull(ctx, s, r.ID)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(f, "  ", " ")
		if err != nil {
			return fmt.Errorf("export: run %s: %v", r.ID, err)
		}
		if i == 0 {
			bw.WriteString("[\n  ")
		} else {
			bw.WriteString(",\n  ")
		}
		bw.Write(b)
		runs[i] = nil
	}
	if len(runs) > 0 {
		bw.WriteString("\n ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// ReadExport decodes a whole JSON export into memory and checks every run
// (ValidateRun). ImportFrom streams instead.
func ReadExport(r io.Reader) (*Export, error) {
	var ex Export
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	if err := dec.Decode(&ex); err != nil {
		return nil, fmt.Errorf("import: not a workbench export: %v", err)
	}
	if err := checkHeader(ex.Format, ex.Version); err != nil {
		return nil, err
	}
	for i, r := range ex.Runs {
		if r == nil {
			return nil, fmt.Errorf("import: run %d is null", i+1)
		}
		if err := ValidateRun(r); err != nil {
			return nil, fmt.Errorf("import: run %d: %w", i+1, err)
		}
	}
	return &ex, nil
}

// Import inserts every run of an export (see ImportRun), skipping runs
// already present and identical. It returns how many runs it inserted and
// stops at the first refusal.
func Import(ctx context.Context, s Store, ex *Export) (int, error) {
	var st ImportStats
	for _, r := range ex.Runs {
		if err := st.add(s.ImportRun(ctx, r)); err != nil {
			return st.Imported, err
		}
		if err := st.Err(); err != nil {
			return st.Imported, err
		}
	}
	return st.Imported, nil
}

// flatten turns a JSON value into dotted keys: {"a":{"b":1}} → a.b=1.
func flatten(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, x, out)
		}
	case []any:
		if len(t) == 0 {
			out[prefix] = ""
		}
		for i, x := range t {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), x, out)
		}
	case nil:
		out[prefix] = ""
	case string:
		out[prefix] = t
	case float64:
		out[prefix] = strconv.FormatFloat(t, 'g', -1, 64)
	case bool:
		out[prefix] = strconv.FormatBool(t)
	default:
		out[prefix] = fmt.Sprint(t)
	}
}

// FlatSpec returns a run's spec as dotted keys (optimizer.lr, model.hidden[0].units …).
func FlatSpec(r *Run) map[string]string {
	b, _ := json.Marshal(r.Spec)
	var v any
	json.Unmarshal(b, &v)
	out := map[string]string{}
	flatten("", v, out)
	return out
}

// ExportCSV writes one row per run: identity, hyperparameters flattened to
// columns (spec.*), and every summary metric. It reads the runs twice, the
// first time for the columns, so that one run is in memory at a time.
func ExportCSV(ctx context.Context, s Store, ids []string, w io.Writer) error {
	runs, err := exportIDs(ctx, s, ids)
	if err != nil {
		return err
	}
	fixed := []string{"id", "name", "status", "dataset", "task", "summary", "params", "epochs_done", "best_epoch", "duration_s", "created", "tags", "notes"}
	specKeys, metricKeys := map[string]bool{}, map[string]bool{}
	for _, sr := range runs {
		r, err := s.GetRun(ctx, sr.ID)
		if err != nil {
			return err
		}
		for k := range FlatSpec(r) {
			specKeys[k] = true
		}
		for k := range r.Metrics {
			metricKeys[k] = true
		}
	}
	sk, mk := sortedKeys(specKeys), sortedKeys(metricKeys)
	cw := csv.NewWriter(w)
	header := append([]string{}, fixed...)
	for _, k := range sk {
		header = append(header, "spec."+k)
	}
	header = append(header, mk...)
	cw.Write(header)
	for _, sr := range runs {
		r, err := s.GetRun(ctx, sr.ID)
		if err != nil {
			return err
		}
		flat := FlatSpec(r)
		row := []string{r.ID, r.Name, string(r.Status), r.Dataset, r.Task, r.Summary, strconv.Itoa(r.Params),
			strconv.Itoa(r.EpochsDone), strconv.Itoa(r.BestEpoch), strconv.FormatFloat(r.Duration.Seconds(), 'f', 3, 64),
			r.Created.Format(time.RFC3339), strings.Join(r.Tags, ";"), r.Notes}
		for _, k := range sk {
			row = append(row, flat[k])
		}
		for _, k := range mk {
			if v, ok := r.Metrics[k]; ok {
				row = append(row, formatFloat(v))
			} else {
				row = append(row, "")
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// ExportHistoryCSV writes one run's history: a row per epoch, with a
// folds column for a cross-validated run (how many folds the epoch is the
// mean of).
func ExportHistoryCSV(ctx context.Context, s Store, id string, w io.Writer) error {
	run, err := s.GetRun(ctx, id)
	if err != nil {
		return err
	}
	hist, err := s.History(ctx, id)
	if err != nil {
		return err
	}
	// A cross-validated run's epochs say how many folds each is the mean
	// of (fewer once early-stopped folds have ended); an epoch recorded
	// before the store kept it reads it from the run's evaluation.
	full := &FullRun{Run: *run}
	if run.Spec.CV > 0 {
		if ev, err := s.Evaluation(ctx, id); err == nil {
			full.Evaluation = ev
		}
	}
	keys := map[string]bool{}
	for _, e := range hist {
		for k := range e.Train {
			keys["train_"+k] = true
		}
		for k := range e.Val {
			keys["val_"+k] = true
		}
	}
	mk := sortedKeys(keys)
	cw := csv.NewWriter(w)
	head := []string{"epoch", "lr", "elapsed_s", "samples_per_s"}
	if run.Spec.CV > 0 {
		head = append(head, "folds")
	}
	cw.Write(append(head, mk...))
	for _, e := range hist {
		row := []string{strconv.Itoa(e.Epoch), formatFloat(e.LR), strconv.FormatFloat(e.Elapsed.Seconds(), 'f', 6, 64), formatFloat(e.SamplesPerSec)}
		if run.Spec.CV > 0 {
			folds := ""
			if n, _ := full.EpochFolds(e); n > 0 {
				folds = strconv.Itoa(n)
			}
			row = append(row, folds)
		}
		for _, k := range mk {
			var v float64
			var ok bool
			if strings.HasPrefix(k, "train_") {
				v, ok = e.Train[strings.TrimPrefix(k, "train_")]
			} else {
				v, ok = e.Val[strings.TrimPrefix(k, "val_")]
			}
			if ok {
				row = append(row, formatFloat(v))
			} else {
				row = append(row, "")
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func formatFloat(v float64) string { return string(appendFloat(nil, v)) }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
