package sessions

import (
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

// exportIDs returns ids in order of creation, or every run when ids is empty.
func exportIDs(ctx context.Context, s Store, ids []string) ([]*Run, error) {
	if len(ids) == 0 {
		runs, err := s.ListRuns(ctx, Query{Sort: "created"})
		return runs, err
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
// in base64. The output is reproducible byte for byte.
func ExportJSON(ctx context.Context, s Store, ids []string, w io.Writer) error {
	runs, err := exportIDs(ctx, s, ids)
	if err != nil {
		return err
	}
	ex := Export{Format: ExportFormat, Version: ExportVersion, Runs: []*FullRun{}}
	for _, r := range runs {
		f, err := LoadFull(ctx, s, r.ID)
		if err != nil {
			return err
		}
		ex.Runs = append(ex.Runs, f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(ex)
}

// ReadExport decodes a JSON export and checks it.
func ReadExport(r io.Reader) (*Export, error) {
	var ex Export
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	if err := dec.Decode(&ex); err != nil {
		return nil, fmt.Errorf("import: not a workbench export: %v", err)
	}
	if ex.Format != ExportFormat {
		return nil, fmt.Errorf("import: format %q is not %q", ex.Format, ExportFormat)
	}
	if ex.Version < 1 || ex.Version > ExportVersion {
		return nil, fmt.Errorf("import: export version %d is not supported (this build reads up to %d)", ex.Version, ExportVersion)
	}
	for i, r := range ex.Runs {
		if r == nil || r.ID == "" {
			return nil, fmt.Errorf("import: run %d has no id", i)
		}
		if r.Status == "" || r.Spec.Model.Init == "" && r.Spec.Epochs == 0 {
			return nil, fmt.Errorf("import: run %s has no status or spec", r.ID)
		}
		for j, e := range r.History {
			// Epochs increase; past ThinAfter a long run keeps a subset.
			if e.Epoch < 1 || (j > 0 && e.Epoch <= r.History[j-1].Epoch) {
				return nil, fmt.Errorf("import: run %s: epoch %d is out of order", r.ID, e.Epoch)
			}
		}
	}
	return &ex, nil
}

// Import inserts every run of an export; it stops at the first run whose
// ID is taken. It returns how many runs it inserted.
func Import(ctx context.Context, s Store, ex *Export) (int, error) {
	n := 0
	for _, r := range ex.Runs {
		if r.Status == "running" {
			r.Status = "interrupted" // its process is not here
		}
		if err := s.ImportRun(ctx, r); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
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
// columns (spec.*), and every summary metric.
func ExportCSV(ctx context.Context, s Store, ids []string, w io.Writer) error {
	runs, err := exportIDs(ctx, s, ids)
	if err != nil {
		return err
	}
	fixed := []string{"id", "name", "status", "dataset", "task", "summary", "params", "epochs_done", "best_epoch", "duration_s", "created", "tags", "notes"}
	specKeys, metricKeys := map[string]bool{}, map[string]bool{}
	flat := make([]map[string]string, len(runs))
	for i, r := range runs {
		flat[i] = FlatSpec(r)
		for k := range flat[i] {
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
	for i, r := range runs {
		row := []string{r.ID, r.Name, string(r.Status), r.Dataset, r.Task, r.Summary, strconv.Itoa(r.Params),
			strconv.Itoa(r.EpochsDone), strconv.Itoa(r.BestEpoch), strconv.FormatFloat(r.Duration.Seconds(), 'f', 3, 64),
			r.Created.Format(time.RFC3339), strings.Join(r.Tags, ";"), r.Notes}
		for _, k := range sk {
			row = append(row, flat[i][k])
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

// ExportHistoryCSV writes one run's history: a row per epoch.
func ExportHistoryCSV(ctx context.Context, s Store, id string, w io.Writer) error {
	hist, err := s.History(ctx, id)
	if err != nil {
		return err
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
	cw.Write(append([]string{"epoch", "lr", "elapsed_s", "samples_per_s"}, mk...))
	for _, e := range hist {
		row := []string{strconv.Itoa(e.Epoch), formatFloat(e.LR), strconv.FormatFloat(e.Elapsed.Seconds(), 'f', 6, 64), formatFloat(e.SamplesPerSec)}
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
