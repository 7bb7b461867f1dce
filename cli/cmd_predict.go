package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"workbench/datasets"
	"workbench/sessions"
)

func newPredictCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "predict --run ID --data FILE.csv [-o out.csv] [--json] [--skip-bad]",
		Short: "Predict new data with a saved run's model and preprocessing",
		Example: examples(
			"workbench predict --run 20261128-185456-3fa9c2 --data new.csv -o predictions.csv",
			"cat new.csv | workbench predict --run 3fa9c2 --data -     # any unique part of the ID's start or end",
			"workbench predict --run 3fa9c2 --data messy.csv --skip-bad 2>skipped.txt",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	id := fs.String("run", "", "the saved run whose model predicts (an ID, or a unique prefix or suffix of one)")
	dataPath := fs.String("data", "", "a CSV with a header naming the model's features (- for stdin)")
	out := fs.StringP("output", "o", "", "write the CSV to this `file` instead of stdout")
	jsonOut := fs.Bool("json", false, "print one JSON object per row instead of CSV")
	skipBad := fs.Bool("skip-bad", false, "skip each row that cannot be read (text for a number, a ragged row), naming it on stderr, and predict the rest; without it the first such row fails the file")
	force := addForceFlag(cmd)
	cmd.RegisterFlagCompletionFunc("run", completeRunIDs(e))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return predict(e, cmd, *id, *dataPath, *out, *jsonOut, *force, *skipBad)
	}
	return cmd
}

func predict(e *env, cmd *cobra.Command, id, dataPath, out string, jsonOut, force, skipBad bool) error {
	if id == "" || dataPath == "" {
		return usagef("--run and --data are required")
	}
	if err := checkOutput(out, force); err != nil {
		return err // before the rows are read: stdin is read once
	}
	store, err := openStoreToRead(e, cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	if id, err = resolveRunID(store, id); err != nil {
		return err
	}
	m, err := sessions.LoadModel(context.Background(), store, id)
	if err != nil {
		return err
	}
	var r io.Reader = e.stdin
	name := "<stdin>"
	if dataPath != "-" {
		f, err := os.Open(dataPath)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, dataPath
	}
	var opts []datasets.EncodeOption
	if skipBad {
		opts = append(opts, datasets.SkipBadRows())
	}
	enc, preds, err := m.PredictCSV(r, name, opts...)
	if err != nil {
		return err
	}
	sum := predictSummary(m.Run.Scaler.Impute, enc)
	err = writeOutput(e, out, force, func(w io.Writer) error { return writePredictions(w, m, enc, preds, sum, jsonOut) })
	if err != nil {
		return err
	}
	// After the rows are out: a failed write predicted nothing.
	for _, bad := range enc.Skipped {
		fmt.Fprintf(e.stderr, "predict: skipped %v\n", bad)
	}
	if line := sum.line(); line != "" {
		fmt.Fprintln(e.stderr, line)
	}
	return nil
}

// writePredictions writes one row (CSV) or object (JSON) per prediction,
// and with JSON the summary last.
func writePredictions(w io.Writer, m *sessions.SavedModel, enc *datasets.Encoded, preds []sessions.Prediction, sum predictionSummary, jsonOut bool) error {
	classes := m.Run.Classes
	if jsonOut {
		defer func() { writeJSON(w, map[string]any{"summary": sum}, false) }()
		for i, p := range preds {
			rec := map[string]any{"row": i + 1, "line": enc.Lines[i], "prediction": p.Label}
			if p.Probs != nil {
				probs := map[string]float64{}
				for j, v := range p.Probs {
					probs[className(classes, j)] = v
				}
				rec["probabilities"] = probs
			} else {
				rec["prediction"] = p.Value
			}
			if err := writeJSON(w, rec, false); err != nil {
				return err
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	header := append(append([]string{}, enc.Header...), "prediction")
	if len(preds) > 0 && preds[0].Probs != nil {
		for j := range preds[0].Probs {
			header = append(header, "p_"+className(classes, j))
		}
	}
	cw.Write(header)
	for i, p := range preds {
		row := append(append([]string{}, enc.Rows[i]...), p.Label)
		for _, v := range p.Probs {
			row = append(row, strconv.FormatFloat(v, 'g', 6, 64))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// predictionSummary is how many rows each rule of the run's saved policy
// touched: the last object of 'predict --json', and a stderr line.
type predictionSummary struct {
	Policy         string             `json:"policy"` // impute or refuse
	Rows           int                `json:"rows"`   // data rows read
	Predicted      int                `json:"predicted"`
	ImputedMissing int                `json:"imputed_missing"`
	ImputedUnseen  int                `json:"imputed_unseen"`
	Refused        []datasets.Refusal `json:"refused"`
	// Skipped are the rows --skip-bad left out; absent without the flag.
	Skipped []skippedRow `json:"skipped,omitempty"`
	// Why says why the policy is to refuse ("" when it imputes).
	Why string `json:"why,omitempty"`
}

func predictSummary(im *datasets.Imputer, enc *datasets.Encoded) predictionSummary {
	s := predictionSummary{Policy: datasets.RefusePolicy, Rows: enc.N + len(enc.Refused), Predicted: enc.N,
		ImputedMissing: enc.ImputedMissing, ImputedUnseen: enc.ImputedUnseen, Refused: enc.Refused}
	if im.Imputes() {
		s.Policy = datasets.ImputePolicy
	} else {
		s.Why = im.Why()
	}
	if s.Refused == nil {
		s.Refused = []datasets.Refusal{}
	}
	for _, b := range enc.Skipped {
		s.Skipped = append(s.Skipped, skippedRow{Line: b.Line, Column: b.Column, Name: b.Name, Reason: b.Msg})
		s.Rows++
	}
	return s
}

// skippedRow is a row --skip-bad left out: its line, the column (from 1)
// and name of its first bad cell where it has one, and why.
type skippedRow struct {
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason"`
}

// maxRefusedShown bounds the refused lines the stderr line names.
const maxRefusedShown = 5

// line is the stderr report, or "" when no rule touched a row.
func (s predictionSummary) line() string {
	if s.ImputedMissing+s.ImputedUnseen+len(s.Refused)+len(s.Skipped) == 0 {
		return ""
	}
	var parts []string
	if n := len(s.Skipped); n > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped as bad (--skip-bad; each named above)", n))
	}
	if s.ImputedMissing > 0 {
		parts = append(parts, fmt.Sprintf("%d imputed a missing value with the training mean or mode", s.ImputedMissing))
	}
	if s.ImputedUnseen > 0 {
		parts = append(parts, fmt.Sprintf("%d imputed a category training never saw with the training mode", s.ImputedUnseen))
	}
	if n := len(s.Refused); n > 0 {
		var lines []string
		for _, r := range s.Refused[:min(n, maxRefusedShown)] {
			lines = append(lines, r.String())
		}
		if n > maxRefusedShown {
			lines = append(lines, fmt.Sprintf("… %d more", n-maxRefusedShown))
		}
		parts = append(parts, fmt.Sprintf("%d refused (%s): %s", n, s.Why, strings.Join(lines, "; ")))
	}
	return fmt.Sprintf("predict: %d of %d rows predicted; %s", s.Predicted, s.Rows, strings.Join(parts, "; "))
}

func className(classes []string, i int) string {
	if i < len(classes) {
		return classes[i]
	}
	return fmt.Sprint(i)
}
