package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"

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
	return writeOutput(e, out, force, func(w io.Writer) error { return writePredictions(w, m, enc, preds, jsonOut) })
}

// writePredictions writes one row (CSV) or object (JSON) per prediction.
func writePredictions(w io.Writer, m *sessions.SavedModel, enc *datasets.Encoded, preds []sessions.Prediction, jsonOut bool) error {
	classes := m.Run.Classes
	if jsonOut {
		for i, p := range preds {
			rec := map[string]any{"row": i + 1, "prediction": p.Label}
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

func className(classes []string, i int) string {
	if i < len(classes) {
		return classes[i]
	}
	return fmt.Sprint(i)
}
