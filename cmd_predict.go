package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"

	"workbench/sessions"
)

func init() {
	register(&command{
		name:    "predict",
		summary: "Predict new data with a saved run's model and preprocessing",
		usage:   "--run ID --data FILE.csv [-o out.csv] [--json]",
		examples: []string{
			"workbench predict --run 20261128-185456-3fa9c2 --data new.csv -o predictions.csv",
			"cat new.csv | workbench predict --run ID --data -",
		},
		run: runPredict,
	})
}

func runPredict(e *env, args []string) error {
	fs := newFlags(e, findCommand("predict"))
	db := addDBFlag(fs)
	id := fs.String("run", "", "the saved run whose model predicts")
	dataPath := fs.String("data", "", "a CSV with a header naming the model's features (- for stdin)")
	out := fs.String("o", "", "write the CSV here instead of stdout")
	jsonOut := fs.Bool("json", false, "print one JSON object per row instead of CSV")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *id == "" || *dataPath == "" {
		return usagef("--run and --data are required")
	}
	store, err := openStore(e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := sessions.LoadModel(context.Background(), store, *id)
	if err != nil {
		return err
	}
	var r io.Reader = e.stdin
	name := "<stdin>"
	if *dataPath != "-" {
		f, err := os.Open(*dataPath)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, *dataPath
	}
	enc, preds, err := m.PredictCSV(r, name)
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	classes := m.Run.Classes
	if *jsonOut {
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
