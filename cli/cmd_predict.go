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
		Use:   "predict --run ID --data FILE.csv [-o out.csv] [--json]",
		Short: "Predict new data with a saved run's model and preprocessing",
		Example: examples(
			"workbench predict --run 20261128-185456-3fa9c2 --data new.csv -o predictions.csv",
			"cat new.csv | workbench predict --run 3fa9c2 --data -     # any unique part of the ID's start or end",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	id := fs.String("run", "", "the saved run whose model predicts (an ID, or a unique prefix or suffix of one)")
	dataPath := fs.String("data", "", "a CSV with a header naming the model's features (- for stdin)")
	out := fs.StringP("output", "o", "", "write the CSV to this `file` instead of stdout")
	jsonOut := fs.Bool("json", false, "print one JSON object per row instead of CSV")
	force := addForceFlag(cmd)
	cmd.RegisterFlagCompletionFunc("run", completeRunIDs(e))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return predict(e, cmd, *id, *dataPath, *out, *jsonOut, *force)
	}
	return cmd
}

func predict(e *env, cmd *cobra.Command, id, dataPath, out string, jsonOut, force bool) error {
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
	enc, preds, err := m.PredictCSV(r, name)
	if err != nil {
		return err
	}
	sum := predictSummary(m.Run.Scaler.Impute, enc)
	err = writeOutput(e, out, force, func(w io.Writer) error { return writePredictions(w, m, enc, preds, sum, jsonOut) })
	if line := sum.line(); line != "" && err == nil {
		fmt.Fprintln(e.stderr, line) // after the rows are out: a failed write predicted nothing
	}
	return err
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
	return s
}

// maxRefusedShown bounds the refused lines the stderr line names.
const maxRefusedShown = 5

// line is the stderr report, or "" when no rule touched a row.
func (s predictionSummary) line() string {
	if s.ImputedMissing+s.ImputedUnseen+len(s.Refused) == 0 {
		return ""
	}
	var parts []string
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
