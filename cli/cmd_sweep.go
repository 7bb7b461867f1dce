package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/analysis"
	"workbench/numfmt"
	"workbench/queue"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

func newSweepCmd(e *env) *cobra.Command {
	ex := examples(
		"workbench sweep --data moons --grid lr=1e-3,1e-2,1e-1 --grid 'layers=8;16,16' --epochs 50",
		"workbench sweep --data breast-cancer --scale standard --random l2=log:1e-6:1e-2 --random lr=log:1e-4:1e-1 --trials 12 --prune",
		"workbench sweep --spec run.json --seeds 5            # the variance over 5 training seeds, one split",
		"workbench sweep --data credit --cost-fn 10 --grid lr=1e-3,1e-2 --objective val_cost   # the cheapest first",
		"workbench sweep --file sweep.toml --parallel 2 --json",
		"workbench sweep show sweep-20261128-190000-abcdef",
	)
	cmd := &cobra.Command{
		Use:     "sweep [flags]",
		Short:   "Run a hyperparameter sweep in parallel, or show one ranked by its objective",
		Long:    "Run a hyperparameter sweep in parallel ('sweep' alone is 'sweep run'), or list sweeps and show one ranked by its objective.",
		Example: ex,
		Args:    unknownCommand,
	}
	cmd.RunE = addSweepRunFlags(e, cmd)
	runCmd := &cobra.Command{
		Use:     "run [--file SWEEP.json|toml] [--grid F=V,...]... [--random F=KIND:...]... [--trials N] [--seeds N] [flags]",
		Short:   "Run a hyperparameter sweep in parallel",
		Example: ex,
		Args:    noArgs,
	}
	runCmd.RunE = addSweepRunFlags(e, runCmd)
	show := &cobra.Command{
		Use:               "show ID [--json]",
		Short:             "Show a sweep: its trials ranked by the objective and the effect of each hyperparameter",
		Example:           examples("workbench sweep show sweep-20261128-190000-abcdef", "workbench sweep show abcdef --json"),
		Args:              exactArgs(1, "show takes one sweep ID"),
		ValidArgsFunction: completeSweepIDs(e),
	}
	showJSON := show.Flags().Bool("json", false, "print JSON")
	show.RunE = func(cmd *cobra.Command, args []string) error {
		store, err := openStoreToRead(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		id, err := sessions.ResolveSweep(context.Background(), store, args[0])
		if err != nil {
			return err
		}
		return showSweep(e, store, id, *showJSON)
	}
	list := &cobra.Command{
		Use:     "list [--json]",
		Short:   "List sweeps, newest first",
		Example: examples("workbench sweep list", "workbench sweep list --json"),
		Args:    noArgs,
	}
	listJSON := list.Flags().Bool("json", false, "print JSON")
	list.RunE = func(cmd *cobra.Command, _ []string) error {
		store, err := openStoreToRead(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		sws, err := store.ListSweeps(context.Background())
		if err != nil {
			return err
		}
		if *listJSON {
			out := []sweepJSON{}
			for _, s := range sws {
				out = append(out, sweepJSON{s, configJSON(s.Config)})
			}
			return writeJSON(e.stdout, out, true)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tOBJECTIVE\tTRIALS\tCREATED")
		for _, s := range sws {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", sessions.CleanText(s.ID), truncate(sessions.CleanText(s.Name), nameWidth), sessions.CleanText(s.Status),
				sessions.CleanText(s.Objective), s.Trials, s.Created.Local().Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	}
	cmd.AddCommand(runCmd, show, list, newSweepCancelCmd(e))
	return cmd
}

// addSweepRunFlags gives cmd the flags of a sweep run and returns its
// action.
func addSweepRunFlags(e *env, cmd *cobra.Command) func(*cobra.Command, []string) error {
	fs := cmd.Flags()
	fs.SortFlags = false
	jsonOut := fs.Bool("json", false, "print JSON: one line per finished trial, then the result")
	sf := addSpecFlags(fs)
	file := fs.String("file", "", "a sweep `file`, JSON or TOML: base, grid, random, trials, seeds, objective, prune (run flags change its base)")
	grid := fs.StringArray("grid", nil, "a grid `axis` FIELD=V1,V2,… (';' separates values that hold commas: layers=8;16,16); repeatable")
	random := fs.StringArray("random", nil, "a random `axis` FIELD=uniform:LO:HI, log:LO:HI, int:LO:HI or choice:A,B; repeatable")
	trials := fs.Int("trials", 0, "random search: how many samples")
	seeds := fs.Int("seeds", 0, "repeat every configuration over this many seeds (0 = once)")
	parallel := fs.Int("parallel", 0, "trials trained at once (0 = the number of cores)")
	objective := fs.String("objective", "", "rank trials by this `metric` at their best epoch (default val_accuracy, or val_r2 for regression; val_loss and val_cost, the expected cost with --cost-fn/--cost-fp, rank lowest first)")
	prune := fs.Bool("prune", false, "median stopping: stop a trial that falls below the median of earlier trials")
	warmup := fs.Int("prune-warmup", 5, "epochs before pruning may stop a trial")
	sweepSeed := fs.Uint64("sweep-seed", 1, "seed of the random search")
	sampler := fs.String("sampler", "", "how --random axes are drawn: random, or tpe (learns from finished trials; deterministic at --parallel 1)")
	pruner := fs.String("pruner", "", "median (as --prune), or asha: successive halving with rungs at --min-epochs × --reduction^k")
	minEpochs := fs.Int("min-epochs", 0, "asha: the first rung, in epochs (0 = epochs/reduction³, at least 1)")
	reduction := fs.Int("reduction", 0, "asha: only the top 1/reduction of the trials at a rung go on (0 = 3)")
	ensembleTop := fs.Int("ensemble-top", 0, "then combine the `K` best trials into an ensemble run (the trials must share their data)")
	distributed := fs.Bool("distributed", false, "queue the trials in the PostgreSQL store for 'workbench worker's on any machines, print the sweep ID and return")
	wait := fs.Bool("wait", false, "with --distributed: follow the trials as they end instead of returning")
	queueName := fs.String("queue", queue.DefaultQueue, "with --distributed: the queue to put the trials on")
	completeSpecFlags(e, cmd)
	cmd.RegisterFlagCompletionFunc("objective", fixedCompletion(metricNames("val_", "train_")...))
	cmd.RegisterFlagCompletionFunc("sampler", fixedCompletion(sweeps.SamplerRandom, sweeps.SamplerTPE))
	cmd.RegisterFlagCompletionFunc("pruner", fixedCompletion(sweeps.PrunerMedian, sweeps.PrunerASHA))
	return func(cmd *cobra.Command, _ []string) error {
		var spec sweeps.Spec
		// fileOnly: the file alone gives the base (no run flag changes
		// it) or the whole sweep (no flag shapes it either), so an error
		// there is the file's, named by it and without the usage hint.
		fileBase, fileOnly := false, false
		fileErr := func(err error) error { return fileError{fmt.Sprintf("%s: %v", *file, err)} }
		if *file != "" {
			if sf.set("spec") {
				return usagef("--file and --spec both give the base spec: put it in the file's base, or give --spec without --file")
			}
			b, err := os.ReadFile(*file)
			if err != nil {
				return err
			}
			if spec, err = sweeps.ParseSpecFile(b); err != nil {
				return fileErr(err)
			}
			sf.base, sf.baseLoss = &spec.Base, sweeps.BaseGivesLoss(b)
			fileBase = !sf.anySet()
			fileOnly = fileBase && !anyChanged(cmd, "grid", "random", "trials", "seeds", "objective", "prune",
				"prune-warmup", "sweep-seed", "sampler", "pruner", "min-epochs", "reduction")
			if spec.Objective != "" && !cmd.Flags().Changed("objective") {
				if err := checkMetric("objective", spec.Objective, metricNames("val_", "train_")); err != nil {
					return fileErr(err)
				}
			}
		}
		base, data, err := resolveRun(e, sf)
		if err != nil {
			if fileBase && errors.As(err, new(usageError)) {
				return fileErr(fmt.Errorf("base: %v", err))
			}
			return err
		}
		spec.Base = base
		for _, g := range *grid {
			p, err := sweeps.ParseAxis(g)
			if err != nil {
				return usageError{err.Error()} // it names the flag
			}
			spec.Grid = append(spec.Grid, p)
		}
		for _, r := range *random {
			d, err := sweeps.ParseDist(r)
			if err != nil {
				return usageError{err.Error()} // it names the flag
			}
			spec.Random = append(spec.Random, d)
		}
		if *trials < 0 {
			return usagef("--trials %d is not a valid trial count; want a positive number of random draws", *trials)
		}
		if *trials > 0 {
			spec.Trials = *trials
		}
		if *seeds > 0 {
			spec.Seeds = *seeds
		}
		if *objective != "" {
			if err := checkMetric("--objective", *objective, metricNames("val_", "train_")); err != nil {
				return err
			}
			spec.Objective = *objective
		}
		if *prune {
			spec.Prune = true
		}
		// A sweep file's prune = true takes --prune-warmup too; it was
		// dropped unless --prune was given again.
		if *prune || cmd.Flags().Changed("prune-warmup") {
			spec.PruneWarmup = *warmup
		}
		if spec.Seed == 0 || cmd.Flags().Changed("sweep-seed") {
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
		if spec.Name == "" || sf.set("name") {
			spec.Name = sf.text("name")
		}
		// Each was dropped without a word when nothing it tunes was on.
		median := spec.Prune || spec.Pruner == sweeps.PrunerMedian
		switch {
		case cmd.Flags().Changed("prune-warmup") && !median:
			return usagef("--prune-warmup is for median stopping: add --prune (or --pruner median), or drop --prune-warmup")
		case anyChanged(cmd, "min-epochs", "reduction") && spec.Pruner != sweeps.PrunerASHA:
			return usagef("--min-epochs and --reduction are for --pruner asha: add it, or drop them")
		case cmd.Flags().Changed("trials") && len(spec.Random) == 0:
			return usagef("--trials counts the draws of --random axes, and this sweep has none: a grid runs each of its points once")
		}
		if *file != "" {
			// Expand would name the flags alone.
			switch {
			case len(spec.Grid) == 0 && len(spec.Random) == 0 && spec.Seeds <= 1:
				return fileErr(errors.New("the space is empty: give grid or random axes, or seeds = N (or --grid, --random, --seeds)"))
			case len(spec.Random) > 0 && spec.Trials == 0:
				return fileErr(errors.New("random axes need a trial budget: trials = N (or --trials N)"))
			}
		}
		if _, err := sweeps.Expand(spec); err != nil {
			if fileOnly {
				return fileErr(errors.New(strings.TrimPrefix(err.Error(), "sweep: ")))
			}
			return usageError{err.Error()}
		}
		// An objective no trial computes (val_cost without costs) is
		// refused before a trial trains or is queued.
		if _, err := sweeps.CheckObjective(spec, data.Task()); err != nil {
			if fileOnly {
				return fileErr(errors.New(strings.TrimPrefix(err.Error(), "sweep: ")))
			}
			return usageError{err.Error()}
		}
		if !*distributed && (*wait || cmd.Flags().Changed("queue")) {
			return usagef("--wait and --queue go with --distributed")
		}
		if *distributed && (*ensembleTop > 0 || *parallel > 0) {
			return usagef("--ensemble-top and --parallel do not go with --distributed (workers set their own --concurrency)")
		}
		if *distributed {
			db, _ := cmd.Flags().GetString("db")
			url, err := storePath(e.getenv, db)
			if err != nil {
				return err
			}
			if !sessions.IsPostgresURL(url) {
				// A usage error, as worker's on SQLite is (it exited 1).
				return usagef("--distributed needs a PostgreSQL store (--db postgres://… or WORKBENCH_DB) that workers on every machine reach; %s is a SQLite file", url)
			}
			store, err := sessions.Open(url)
			if err != nil {
				return err
			}
			defer store.Close()
			return runDistributed(e, store, url, spec, *queueName, *wait, *jsonOut)
		}
		store, err := openStore(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		res, err := runSweep(e, store, spec, *parallel, *jsonOut)
		if err != nil || *ensembleTop == 0 {
			return err
		}
		return ensembleSweep(e, store, res, *ensembleTop, *jsonOut)
	}
}

// runSweep runs spec, printing each trial as it ends, then the ranking.
func runSweep(e *env, store sessions.Store, spec sweeps.Spec, parallel int, jsonOut bool) (*sweeps.Result, error) {
	// Trials allocate only small per-epoch metric maps; a larger GC target
	// costs a few megabytes and gives the CPU back to training (measured:
	// 2 workers went from 1.73× to about 1.8× the trials/minute of 1).
	debug.SetGCPercent(400)
	ctx, caught, stop := signalContext()
	defer stop()
	total, err := sweeps.Budget(spec) // TPE makes its trials as it goes
	if err != nil {
		return nil, usageError{err.Error()}
	}
	var outMu sync.Mutex // trials end on worker goroutines; one writes at a time
	o := sweeps.Options{Parallel: parallel,
		OnStart: func(id string, _ []sweeps.Trial) {
			if !jsonOut {
				fmt.Fprintf(e.stdout, "sweep %s: %s, %d at once\n", id, numfmt.Count(total, "trial"), min(total, parallelism(parallel)))
			}
		},
		OnTrialDone: func(r sweeps.TrialResult) {
			outMu.Lock()
			defer outMu.Unlock()
			if jsonOut {
				writeJSON(e.stdout, map[string]any{"event": "trial", "index": r.Trial.Index, "run_id": r.RunID, "status": r.Status,
					"objective": jsonFloat(r.Objective, r.HasObj), "epochs": r.Epochs, "params": trialParams(r.Trial)}, false)
				return
			}
			fmt.Fprintf(e.stdout, "trial %*d/%d %s %-14s %s  %s\n", len(strconv.Itoa(total)), r.Trial.Index+1, total, r.RunID, r.Status, fmtMetric(r.Objective, r.HasObj), paramLine(trialParams(r.Trial)))
		}}
	res, err := sweeps.Run(ctx, store, spec, o)
	if err != nil {
		return nil, err
	}
	if jsonOut {
		err = writeJSON(e.stdout, map[string]any{"event": "finished", "id": res.ID, "status": res.Status, "objective": res.Objective,
			"best": bestTrial(res)}, false)
	} else {
		fmt.Fprintln(e.stdout)
		err = showSweep(e, store, res.ID, false)
	}
	if sig := caught(); err == nil && sig != 0 && res.Status == "stopped" {
		err = interruptedError{sig: sig, what: "sweep " + res.ID + " saved as stopped"}
	}
	if err == nil && res.Status == "done" && bestTrial(res) == nil {
		err = noBestError(res)
	}
	return res, err
}

// noBestError fails a sweep that ran every trial to an end but has no best
// trial to show for it (each diverged, failed or was pruned): as a
// diverged 'train' does, it exits 1, its JSON "best" being null.
func noBestError(res *sweeps.Result) error {
	counts := map[trainer.Status]int{}
	for _, t := range res.Trials {
		counts[t.Status]++
	}
	statuses := slices.Sorted(maps.Keys(counts))
	parts := make([]string, len(statuses))
	for i, st := range statuses {
		parts[i] = fmt.Sprintf("%d %s", counts[st], st)
	}
	return fmt.Errorf("sweep %s has no best trial: of %s, %s", res.ID, numfmt.Count(len(res.Trials), "trial"), strings.Join(parts, ", "))
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
		if !t.Standing().Candidate() {
			continue // a pruned trial is never the best
		}
		if best < 0 || sweeps.RanksAbove(res.Lower, t.Standing(), res.Trials[best].Standing()) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	t := res.Trials[best]
	return map[string]any{"run_id": t.RunID, "objective": t.Objective, "params": trialParams(t.Trial)}
}

// trialParams are t's swept fields as its spec holds them: the values
// 'sweep show' prints (0.01 for a grid's 1e-2), so that a script can
// match a trial from the sweep's own lines with its ranking.
func trialParams(t sweeps.Trial) map[string]string {
	p := make(map[string]string, len(t.Params))
	for f, v := range t.Params {
		if got := sweeps.ParamValue(t.Spec, f); got != "" {
			v = got
		}
		p[f] = v
	}
	return p
}

// ensembleSweep combines the k best trials of a finished sweep into an
// ensemble run and prints it.
func ensembleSweep(e *env, store sessions.Store, res *sweeps.Result, k int, jsonOut bool) error {
	ens, err := sweeps.EnsembleTop(context.Background(), store, res, k, analysis.EnsembleOptions{})
	if err != nil {
		return err
	}
	if jsonOut {
		return writeJSON(e.stdout, struct {
			Event string `json:"event"`
			*analysis.EnsembleResult
		}{"ensemble", ens}, false)
	}
	fmt.Fprintln(e.stdout)
	printEnsemble(e.stdout, ens)
	return nil
}

// anyChanged reports whether any of the named flags was given.
func anyChanged(cmd *cobra.Command, names ...string) bool {
	for _, n := range names {
		if cmd.Flags().Changed(n) {
			return true
		}
	}
	return false
}
