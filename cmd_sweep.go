package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"

	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

func init() {
	register(&command{
		name:    "sweep",
		summary: "Run a hyperparameter sweep in parallel, or show one ranked by its objective",
		usage:   "[run] [--file SWEEP.json|toml] [--grid F=V,…]… [--random F=KIND:…]… [--trials N] [--seeds N] [flags] | show ID | list",
		examples: []string{
			"workbench sweep --data moons --grid lr=1e-3,1e-2,1e-1 --grid layers=8;16,16 --epochs 50",
			"workbench sweep --data breast-cancer --scale standard --random l2=log:1e-6:1e-2 --random lr=log:1e-4:1e-1 --trials 12 --prune",
			"workbench sweep --spec run.json --seeds 5            # the variance over 5 seeds",
			"workbench sweep --file sweep.toml --parallel 2 --json",
			"workbench sweep show sweep-20261128-190000-abcdef",
		},
		run: runSweep,
	})
}

func runSweep(e *env, args []string) error {
	sub := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(e, findCommand("sweep"))
	db := addDBFlag(fs)
	jsonOut := fs.Bool("json", false, "print JSON (run: one line per finished trial, then the result)")
	if sub == "show" || sub == "list" {
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		store, err := openStore(e, *db)
		if err != nil {
			return err
		}
		defer store.Close()
		if sub == "list" {
			sws, err := store.ListSweeps(context.Background())
			if err != nil {
				return err
			}
			if *jsonOut {
				if sws == nil {
					sws = []*sessions.Sweep{}
				}
				return writeJSON(e.stdout, sws, true)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tOBJECTIVE\tTRIALS\tCREATED")
			for _, s := range sws {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", s.ID, s.Name, s.Status, s.Objective, s.Trials, s.Created.Local().Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		}
		if len(pos) != 1 {
			return usagef("show takes one sweep ID")
		}
		return showSweep(e, store, pos[0], *jsonOut)
	}
	if sub != "run" {
		return usagef("unknown subcommand %q (want run, show or list)", sub)
	}
	sf := addSpecFlags(fs)
	file := fs.String("file", "", "a sweep file, JSON or TOML: base, grid, random, trials, seeds, objective, prune")
	var grid []sweeps.Param
	var random []sweeps.Dist
	fs.Func("grid", "a grid axis FIELD=V1,V2,… (';' separates values that hold commas: layers=8;16,16); repeatable", func(s string) error {
		p, err := sweeps.ParseAxis(s)
		grid = append(grid, p)
		return err
	})
	fs.Func("random", "a random axis FIELD=uniform:LO:HI, log:LO:HI, int:LO:HI or choice:A,B; repeatable", func(s string) error {
		d, err := sweeps.ParseDist(s)
		random = append(random, d)
		return err
	})
	trials := fs.Int("trials", 0, "random search: how many samples")
	seeds := fs.Int("seeds", 0, "repeat every configuration over this many seeds")
	parallel := fs.Int("parallel", 0, "trials trained at once (default: the number of cores)")
	objective := fs.String("objective", "", "rank trials by this metric's best value (default val_accuracy, or val_r2 for regression)")
	prune := fs.Bool("prune", false, "median stopping: stop a trial that falls below the median of earlier trials")
	warmup := fs.Int("prune-warmup", 5, "epochs before pruning may stop a trial")
	sweepSeed := fs.Uint64("sweep-seed", 1, "seed of the random search")
	sampler := fs.String("sampler", "", "how --random axes are drawn: random, or tpe (learns from finished trials; deterministic at --parallel 1)")
	pruner := fs.String("pruner", "", "median (as --prune) or asha: successive halving, rungs at --min-epochs × --reduction^k")
	minEpochs := fs.Int("min-epochs", 0, "asha: the first rung, in epochs (default epochs/reduction³, at least 1)")
	reduction := fs.Int("reduction", 0, "asha: keep the top 1/reduction of the trials at each rung (default 3)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	var spec sweeps.Spec
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		if spec, err = sweeps.ParseSpecFile(b); err != nil {
			return usagef("%s: %v", *file, err)
		}
	} else {
		base, data, err := resolveRun(e, sf)
		if err != nil {
			return err
		}
		_ = data
		spec.Base = base
	}
	spec.Grid = append(spec.Grid, grid...)
	spec.Random = append(spec.Random, random...)
	if *trials > 0 {
		spec.Trials = *trials
	}
	if *seeds > 0 {
		spec.Seeds = *seeds
	}
	if *objective != "" {
		spec.Objective = *objective
	}
	if *prune {
		spec.Prune, spec.PruneWarmup = true, *warmup
	}
	if spec.Seed == 0 {
		spec.Seed = *sweepSeed
	}
	if *sampler != "" {
		spec.Sampler = *sampler
	}
	if *pruner != "" {
		spec.Pruner = *pruner
	}
	if *minEpochs != 0 {
		spec.MinEpochs = *minEpochs
	}
	if *reduction != 0 {
		spec.Reduction = *reduction
	}
	if spec.Name == "" {
		spec.Name = sf.name
	}
	budget, err := sweeps.Budget(spec)
	if err != nil {
		return usageError{err.Error()}
	}
	store, err := openStore(e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	// Trials allocate only small per-epoch metric maps; a larger GC target
	// costs a few megabytes and gives the CPU back to training (measured:
	// 2 workers went from 1.73× to about 1.8× the trials/minute of 1).
	debug.SetGCPercent(400)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var total int
	var outMu sync.Mutex // trials end on worker goroutines; one writes at a time
	o := sweeps.Options{Parallel: *parallel,
		OnStart: func(id string, _ []sweeps.Trial) {
			total = budget
			if !*jsonOut {
				fmt.Fprintf(e.stdout, "sweep %s: %d trials, %d at once\n", id, budget, min(budget, parallelism(*parallel)))
			}
		},
		OnTrialDone: func(r sweeps.TrialResult) {
			outMu.Lock()
			defer outMu.Unlock()
			if *jsonOut {
				writeJSON(e.stdout, map[string]any{"event": "trial", "index": r.Trial.Index, "run_id": r.RunID, "status": r.Status,
					"objective": jsonFloat(r.Objective, r.HasObj), "epochs": r.Epochs, "params": r.Trial.Params}, false)
				return
			}
			fmt.Fprintf(e.stdout, "trial %d/%d %s %-14s %s  %s\n", r.Trial.Index+1, total, r.RunID, r.Status, fmtMetric(r.Objective, r.HasObj), paramLine(r.Trial.Params))
		}}
	res, err := sweeps.Run(ctx, store, spec, o)
	if err != nil {
		return err
	}
	if *jsonOut {
		return writeJSON(e.stdout, map[string]any{"event": "finished", "id": res.ID, "status": res.Status, "objective": res.Objective,
			"best": bestTrial(res)}, false)
	}
	fmt.Fprintln(e.stdout)
	return showSweep(e, store, res.ID, false)
}

func parallelism(p int) int {
	if p <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return p
}

func jsonFloat(v float64, ok bool) any {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func paramLine(p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+p[k])
	}
	return strings.Join(parts, " ")
}

func bestTrial(res *sweeps.Result) any {
	best := -1
	for i, t := range res.Trials {
		if !t.HasObj {
			continue
		}
		if best < 0 || (res.Lower && t.Objective < res.Trials[best].Objective) || (!res.Lower && t.Objective > res.Trials[best].Objective) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	t := res.Trials[best]
	return map[string]any{"run_id": t.RunID, "objective": t.Objective, "params": t.Trial.Params}
}

// sweepReport is what 'sweep show --json' prints.
type sweepReport struct {
	Sweep      *sessions.Sweep   `json:"sweep"`
	Fields     []string          `json:"fields"`
	Ranking    []rankedTrial     `json:"ranking"`
	Effects    []sweeps.Effect   `json:"effects"`
	Importance sweeps.Importance `json:"importance"`
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
	ctx := context.Background()
	sw, err := store.GetSweep(ctx, id)
	if err != nil {
		return err
	}
	var spec sweeps.Spec
	if sp, err := sweeps.ParseSpecFile([]byte(sw.Config)); err == nil {
		spec = sp
	}
	fields := spec.Fields()
	runs, err := store.ListRuns(ctx, sessions.Query{SweepID: id, Sort: "-" + sw.Objective})
	if err != nil {
		return err
	}
	if trainer.LowerIsBetter(sw.Objective) {
		runs, _ = store.ListRuns(ctx, sessions.Query{SweepID: id, Sort: sw.Objective})
	}
	rep := sweepReport{Sweep: sw, Fields: fields, Ranking: []rankedTrial{}}
	var specs []trainer.Spec
	var objs []float64
	for i, r := range runs {
		v, ok := r.Metrics[sessions.MetricKey(sw.Objective)]
		params := map[string]string{}
		for _, f := range fields {
			params[f] = sweeps.ParamValue(r.Spec, f)
		}
		rep.Ranking = append(rep.Ranking, rankedTrial{Rank: i + 1, RunID: r.ID, Status: r.Status, Objective: jsonFloat(v, ok), Epochs: r.EpochsDone, Params: params})
		specs = append(specs, r.Spec)
		if !ok {
			v = math.NaN()
		}
		objs = append(objs, v)
	}
	rep.Effects = sweeps.Effects(fields, specs, objs)
	rep.Importance = sweeps.Importances(spec, specs, objs)
	if jsonOut {
		return writeJSON(e.stdout, rep, true)
	}
	printSweep(e.stdout, rep)
	return nil
}

func printSweep(w io.Writer, rep sweepReport) {
	sw := rep.Sweep
	fmt.Fprintf(w, "sweep %s %s: %s, %d trials, ranked by best %s\n\n", sw.ID, sw.Name, sw.Status, sw.Trials, sw.Objective)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "RANK\tRUN\tSTATUS\t%s\tEPOCHS", strings.ToUpper(sw.Objective))
	for _, f := range rep.Fields {
		fmt.Fprintf(tw, "\t%s", f)
	}
	fmt.Fprintln(tw)
	for _, r := range rep.Ranking {
		obj := "—"
		if v, ok := r.Objective.(float64); ok {
			obj = fmt.Sprintf("%.4f", v)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d", r.Rank, r.RunID, r.Status, obj, r.Epochs)
		for _, f := range rep.Fields {
			fmt.Fprintf(tw, "\t%s", r.Params[f])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if len(rep.Effects) > 0 {
		fmt.Fprintf(w, "\neffect of each hyperparameter (mean %s by value):\n", sw.Objective)
		for _, ef := range rep.Effects {
			var parts []string
			for _, v := range ef.Values {
				parts = append(parts, fmt.Sprintf("%s → %.4f (n=%d)", v.Value, v.Mean, v.N))
			}
			fmt.Fprintf(w, "  %-12s %s\n", ef.Field, strings.Join(parts, "   "))
		}
	}
	printImportance(w, sw.Objective, rep.Importance)
}
