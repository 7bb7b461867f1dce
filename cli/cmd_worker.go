package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"workbench/numfmt"
	"workbench/queue"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

func newWorkerCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "worker --db postgres://… [--concurrency N] [--queue NAME]",
		Short: "Train the trials of distributed sweeps from a PostgreSQL store's queue, until stopped",
		Long: `Train the trials of distributed sweeps ('sweep --distributed') from the queue in a PostgreSQL
store, each on one core, until stopped. Start one on every machine that should help. Ctrl-C or
SIGTERM stops the trials that run (saved stopped) and puts their jobs back in the queue.`,
		Example: examples(
			"workbench worker --db postgres://me@db.example/workbench",
			"workbench worker --db postgres://me@db.example/workbench --concurrency 4 --queue big",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	concurrency := fs.Int("concurrency", 0, "trials trained at once, each on one core (0 = the number of cores)")
	queueName := fs.String("queue", queue.DefaultQueue, "the queue to take trials from")
	rescue := fs.Duration("rescue-after", 0, "River hands a job that has run this long to another worker (0 = 24h): longer than any trial (a dead worker is found sooner by its heartbeat)")
	heartbeat := fs.Duration("heartbeat", 5*time.Second, "how often to mark the runs alive; a run silent for 6 heartbeats has lost its worker")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		db, _ := cmd.Flags().GetString("db")
		url, err := storePath(e.getenv, db)
		if err != nil {
			return err
		}
		if !sessions.IsPostgresURL(url) {
			return usagef("worker needs a PostgreSQL store: --db postgres://… or WORKBENCH_DB (it is %s)", url)
		}
		if *concurrency < 0 || *rescue < 0 || *heartbeat < 0 {
			return usagef("--concurrency, --rescue-after and --heartbeat take values of 0 or more")
		}
		store, err := sessions.Open(url)
		if err != nil {
			return err
		}
		defer store.Close()
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		n := parallelism(*concurrency)
		fmt.Fprintln(e.stdout, workerBanner(store.Path(), *queueName, n))
		err = queue.Work(ctx, url, store, queue.WorkerOptions{Concurrency: n, Queue: *queueName, RescueAfter: *rescue,
			Heartbeat: *heartbeat, Log: e.stdout})
		if err == nil {
			fmt.Fprintln(e.stdout, "worker stopped; its running trials went back to the queue")
		}
		return err
	}
	return cmd
}

// workerBanner is the line a worker starts with.
func workerBanner(store, queueName string, n int) string {
	return fmt.Sprintf("worker on %s, queue %s: %s at once; Ctrl-C stops", store, queueName, numfmt.Count(n, "trial"))
}

// runDistributed stores spec as a distributed sweep and enqueues its
// trials; with wait it then follows them to the end.
func runDistributed(e *env, store *sessions.SQLite, url string, spec sweeps.Spec, queueName string, wait, jsonOut bool) error {
	ctx := context.Background()
	db, err := queue.Open(ctx, url, 2, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	enq, err := db.Enqueue(ctx, spec, queue.EnqueueOptions{Queue: queueName})
	if err != nil {
		return err
	}
	id := enq.Sweep.ID
	if jsonOut {
		writeJSON(e.stdout, map[string]any{"event": "enqueued", "id": id, "trials": len(enq.Trials), "queue": enq.Queue}, false)
	} else {
		fmt.Fprintf(e.stdout, "sweep %s: %s queued on %s (queue %s)\n", id, numfmt.Count(queued(enq.Trials), "trial"), store.Path(), enq.Queue)
		if n := len(enq.Trials) - queued(enq.Trials); n > 0 {
			fmt.Fprintf(e.stdout, "TPE proposes the other %d from the finished trials, as workers end them\n", n)
		}
	}
	if !wait {
		if !jsonOut {
			fmt.Fprintf(e.stdout, "start workers with: workbench worker --db '%s'\nfollow it with:     workbench sweep show %s\n", store.Path(), id)
		}
		return nil
	}
	return followSweep(e, store, id, len(enq.Trials), jsonOut)
}

// followSweep prints each trial of a distributed sweep as it ends, as a
// local sweep does, then the ranking. Ctrl-C stops following, not the
// sweep.
func followSweep(e *env, store *sessions.SQLite, id string, total int, jsonOut bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	changed, err := store.WatchRuns(ctx)
	if err != nil && !errors.Is(err, sessions.ErrNoWatch) {
		return err
	}
	sw, err := store.GetSweep(ctx, id)
	if err != nil {
		return err
	}
	key := sessions.MetricKey(sw.Objective)
	printed := map[int]bool{}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		// The sweep's state is read before its trials: a sweep that has
		// ended has every trial final, so the trials read after it are
		// all printed before the ranking. Read after them, a trial that
		// ended in between was never printed.
		var finished bool
		if sw, err = store.GetSweep(ctx, id); err == nil {
			finished = sw.Status != "running"
		}
		trials, err := store.Trials(ctx, id)
		if err != nil && ctx.Err() == nil {
			return err
		}
		for _, t := range trials {
			if printed[t.Trial] || !t.Final() {
				continue
			}
			printed[t.Trial] = true
			status, obj, has, epochs := trainer.Status(t.State), math.NaN(), false, 0
			if t.RunID != "" {
				if r, err := store.GetRun(ctx, t.RunID); err == nil {
					status, epochs = r.Status, r.EpochsDone
					obj, has = r.Metrics[key]
					has = has && !math.IsNaN(obj) && !math.IsInf(obj, 0)
				}
			}
			if jsonOut {
				writeJSON(e.stdout, map[string]any{"event": "trial", "index": t.Trial, "run_id": t.RunID, "status": status,
					"objective": jsonFloat(obj, has), "epochs": epochs, "params": t.Params}, false)
				continue
			}
			fmt.Fprintf(e.stdout, "trial %*d/%d %s %-14s %s  %s\n", len(strconv.Itoa(total)), t.Trial+1, total, t.RunID, status, fmtMetric(obj, has), paramLine(t.Params))
		}
		if finished {
			break
		}
		select {
		case <-ctx.Done():
			fmt.Fprintf(e.stderr, "\nstopped following; the sweep goes on (workbench sweep show %s, or sweep cancel %s)\n", id, id)
			return nil
		case <-changed:
		case <-tick.C:
		}
	}
	if jsonOut {
		return writeJSON(e.stdout, map[string]any{"event": "finished", "id": id, "status": sw.Status, "objective": sw.Objective}, false)
	}
	fmt.Fprintln(e.stdout)
	return showSweep(e, store, id, false)
}

func newSweepCancelCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:               "cancel ID",
		Short:             "Cancel a distributed sweep: its waiting trials are dropped, its running ones stop at their next epoch",
		Example:           examples("workbench sweep cancel sweep-20261128-190000-abcdef --db postgres://me@db.example/workbench"),
		Args:              exactArgs(1, "cancel takes one sweep ID"),
		ValidArgsFunction: completeSweepIDs(e),
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		store, err := openExistingStore(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		ctx := context.Background()
		id, err := sessions.ResolveSweep(ctx, store, args[0])
		if err != nil {
			return err
		}
		trials, err := store.Trials(ctx, id)
		if errors.Is(err, sessions.ErrNotDistributed) || (err == nil && len(trials) == 0) {
			return fmt.Errorf("sweep %s is not distributed: stop it with Ctrl-C where it runs", id)
		}
		if err != nil {
			return err
		}
		running := 0
		for _, t := range trials {
			if t.State == sessions.TrialRunning {
				running++
			}
		}
		db, _ := cmd.Flags().GetString("db")
		url, _ := storePath(e.getenv, db)
		q, err := queue.Open(ctx, url, 2, nil)
		if err != nil {
			return err
		}
		defer q.Close()
		n, err := q.Cancel(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "sweep %s cancelled: waiting trials dropped: %d; running trials that stop at their next epoch (saved stopped): %d\n",
			id, max(n-running, 0), running)
		return nil
	}
	return cmd
}

func queued(trials []sessions.TrialRow) int {
	n := 0
	for _, t := range trials {
		if t.State == sessions.TrialQueued {
			n++
		}
	}
	return n
}
