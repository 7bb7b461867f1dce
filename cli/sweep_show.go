package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// sweepJSON is a sweep as JSON output shows it: its config is the sweep
// spec as an object, not a string holding one.
type sweepJSON struct {
	*sessions.Sweep
	Config json.RawMessage `json:"config"`
}

// configJSON returns a sweep's stored config as JSON: the object itself,
// or the text as a JSON string if it does not parse.
func configJSON(config string) json.RawMessage {
	if json.Valid([]byte(config)) {
		return json.RawMessage(config)
	}
	b, _ := json.Marshal(config)
	return b
}

// sweepReport is what 'sweep show --json' prints.
type sweepReport struct {
	Sweep      sweepJSON           `json:"sweep"`
	Fields     []string            `json:"fields"`
	Ranking    []rankedTrial       `json:"ranking"`
	Effects    []sweeps.Effect     `json:"effects"`
	Importance sweeps.Importance   `json:"importance"`
	Configs    []sweeps.ConfigStat `json:"configs,omitempty"`
}

type rankedTrial struct {
	Rank      int               `json:"rank"`
	RunID     string            `json:"run_id"`
	Status    trainer.Status    `json:"status"`
	Objective any               `json:"objective"`
	Epochs    int               `json:"epochs"`
	Params    map[string]string `json:"params"`
}

func showSweep(e *env, store sessions.Store, id string, jsonOut bool) error {
	full, err := sweeps.Load(context.Background(), store, id)
	if err != nil {
		return err
	}
	sw := full.Sweep
	rep := sweepReport{Sweep: sweepJSON{sw, configJSON(sw.Config)}, Fields: full.Fields, Ranking: []rankedTrial{},
		Effects: full.Effects, Importance: full.Importance, Configs: full.Configs}
	for i, t := range full.Trials { // ranked: pruned trials after completed ones
		rep.Ranking = append(rep.Ranking, rankedTrial{Rank: i + 1, RunID: t.RunID, Status: t.Status,
			Objective: jsonFloat(t.Objective, t.HasObj), Epochs: t.Epochs, Params: t.Params})
	}
	if jsonOut {
		return writeJSON(e.stdout, rep, true)
	}
	printSweep(e.stdout, rep)
	return nil
}

func printSweep(w io.Writer, rep sweepReport) {
	sw := rep.Sweep.Sweep
	status := sw.Status
	if sw.Reason != "" {
		status += " (" + sw.Reason + ")"
	}
	// A trial the sweep's stop cut short is not finished: the effects and
	// importance leave it out, and the header said "10 finished" over an
	// importance of 9.
	finished, stopped, diverged := 0, 0, 0
	for _, r := range rep.Ranking {
		switch r.Status {
		case trainer.StatusStopped:
			stopped++
		case trainer.StatusDiverged:
			diverged++
		case trainer.StatusRunning, trainer.StatusInterrupted, sessions.TrialQueued, sessions.TrialPending:
		default:
			finished++
		}
	}
	counts := fmt.Sprintf("%d finished", finished)
	if stopped > 0 {
		counts += fmt.Sprintf(", %d stopped", stopped)
	}
	if diverged > 0 {
		counts += fmt.Sprintf(", %d diverged: left out of the effects and importance", diverged)
	}
	title := sessions.CleanText(sw.ID)
	if sw.Name != "" {
		title += " " + sessions.CleanText(sw.Name)
	}
	fmt.Fprintf(w, "sweep %s: %s, %s (%s), ranked by best %s\n\n", title,
		sessions.CleanText(status), numfmt.Count(sw.Trials, "trial"), counts, sessions.CleanText(sw.Objective))
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "RANK\tRUN\tSTATUS\t%s\tEPOCHS", strings.ToUpper(sw.Objective))
	for _, f := range rep.Fields {
		fmt.Fprintf(tw, "\t%s", f)
	}
	fmt.Fprintln(tw)
	for _, r := range rep.Ranking {
		obj := "—"
		if v, ok := r.Objective.(float64); ok {
			obj = numfmt.Value(v)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d", r.Rank, sessions.CleanText(r.RunID), sessions.CleanText(string(r.Status)), obj, r.Epochs)
		for _, f := range rep.Fields {
			fmt.Fprintf(tw, "\t%s", sessions.CleanText(r.Params[f]))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if len(rep.Configs) > 0 {
		fmt.Fprintf(w, "\n%s over seeds, per configuration (mean ± std, n finished seeds):\n", sw.Objective)
		tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
		for _, c := range rep.Configs {
			var parts []string
			for _, f := range rep.Fields {
				if f != "seed" {
					parts = append(parts, f+"="+c.Params[f])
				}
			}
			stat := "—"
			switch {
			case c.N > 0 && c.Std != nil:
				stat = numfmt.Value(c.Mean) + " ± " + numfmt.Value(*c.Std)
			case c.N > 0:
				stat = numfmt.Value(c.Mean)
			}
			if len(parts) == 0 {
				parts = []string{"(the base spec)"}
			}
			fmt.Fprintf(tw, "  %s\t%s\tn=%d/%d\n", strings.Join(parts, " "), stat, c.N, c.Trials)
		}
		tw.Flush()
	}
	// A field's effect has values only from finished trials: a sweep
	// stopped before any finished printed each field's name over nothing.
	var effects []string
	for _, ef := range rep.Effects {
		var parts []string
		for _, v := range ef.Values {
			parts = append(parts, fmt.Sprintf("%s → %s (n=%d)", v.Value, numfmt.Value(v.Mean), v.N))
		}
		if len(parts) > 0 {
			effects = append(effects, fmt.Sprintf("  %-12s %s\n", ef.Field, strings.Join(parts, "   ")))
		}
	}
	switch {
	case len(effects) > 0:
		fmt.Fprintf(w, "\neffect of each hyperparameter (mean %s by value, or by quantile bin of a random range):\n", sw.Objective)
		for _, l := range effects {
			fmt.Fprint(w, l)
		}
	case len(rep.Effects) > 0:
		fmt.Fprintf(w, "\neffect of each hyperparameter: no finished trial to measure it by\n")
	}
	printParamImportance(w, sw.Objective, rep.Importance)
}
