package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"

	_ "modernc.org/sqlite"
)

func main() {
	n := flag.Int("n", 1000, "how many runs")
	db := flag.String("db", "", "the store to fill (created if missing)")
	flag.Parse()
	if *db == "" {
		fmt.Fprintln(os.Stderr, "makestore: -db is required")
		os.Exit(2)
	}
	if err := run(*n, *db); err != nil {
		fmt.Fprintln(os.Stderr, "makestore:", err)
		os.Exit(1)
	}
}

func run(n int, db string) error {
	ctx := context.Background()
	store, err := sessions.Open(db)
	if err != nil {
		return err
	}
	defer store.Close()
	tmpl, err := template(ctx, store)
	if err != nil {
		return err
	}
	store.Close()
	t0 := time.Now()
	if err := clone(db, tmpl.ID, n); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "cloned %d runs in %v\n", n, time.Since(t0).Round(time.Millisecond))
	store, err = sessions.Open(db)
	if err != nil {
		return err
	}
	// The template itself goes, so the store holds exactly n runs.
	return store.DeleteRuns(ctx, tmpl.ID)
}

// clone copies run id n times in one transaction, in SQL: fresh IDs,
// names, dates one minute apart, datasets, tags, learning rates and
// metrics spread over [0.5, 1) of the template's. The store's triggers
// number the changes.
func clone(db, id string, n int) error {
	conn, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?) `
	const newID = `printf('%s-%06x', strftime('%Y%m%d-%H%M%S', (t.created_at - (? - i) * 60000000000) / 1e9, 'unixepoch'), i)`
	stmts := []string{
		series + `INSERT INTO runs (id, name, status, reason, dataset, task, summary, optimizer, lr, params, data_hash,
			tags, notes, created_at, finished_at, heartbeat_at, epochs_done, epochs_total, best_epoch, monitor, duration_ns,
			samples_per_s, metrics, key_metrics)
			SELECT ` + newID + `, printf('%s %d', json_extract('["baseline","wide","deep","dropout","tuned lr","small batch"]', printf('$[%d]', i % 6)), i),
			status, reason, json_extract('["digits","iris","spiral","moons","wine"]', printf('$[%d]', (i * 7) % 5)), task, summary,
			optimizer, json_extract('[0.001,0.003,0.01,0.03]', printf('$[%d]', (i * 3) % 4)), params, data_hash,
			json_array(json_extract('["baseline","wide","deep"]', printf('$[%d]', i % 3))), notes,
			t.created_at - (? - i) * 60000000000, finished_at, heartbeat_at, epochs_done, epochs_total, best_epoch, monitor,
			duration_ns, samples_per_s,
			json_set(metrics, '$.best_val_accuracy', json_extract(metrics, '$.best_val_accuracy') * (0.5 + ((i * 7919) % 1000) / 2000.0),
				'$.test_accuracy', json_extract(metrics, '$.test_accuracy') * (0.5 + ((i * 7919) % 1000) / 2000.0)),
			-- The metrics a list shows, as the store keeps them (the template is digits).
			printf('{"best_val_accuracy":%!.17g,"test_accuracy":%!.17g}',
				json_extract(metrics, '$.best_val_accuracy') * (0.5 + ((i * 7919) % 1000) / 2000.0),
				json_extract(metrics, '$.test_accuracy') * (0.5 + ((i * 7919) % 1000) / 2000.0))
			FROM n, runs t WHERE t.id = ?`,
		series + `INSERT INTO run_data (run_id, spec, scaler, features, classes)
			SELECT ` + newID + `, d.spec, d.scaler, d.features, d.classes FROM n, runs t JOIN run_data d ON d.run_id = t.id WHERE t.id = ?`,
		series + `INSERT INTO run_metrics (run_id, key, value, nonfinite)
			SELECT ` + newID + `, m.key, m.value * (0.5 + ((i * 7919) % 1000) / 2000.0), m.nonfinite
			FROM n, runs t JOIN run_metrics m ON m.run_id = t.id WHERE t.id = ?`,
		series + `INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val)
			SELECT ` + newID + `, e.epoch, e.lr, e.elapsed_ns, e.samples_per_s, e.train, e.val
			FROM n, runs t JOIN epochs e ON e.run_id = t.id WHERE t.id = ?`,
		series + `INSERT INTO evaluations (run_id, data) SELECT ` + newID + `, v.data FROM n, runs t JOIN evaluations v ON v.run_id = t.id WHERE t.id = ?`,
		series + `INSERT INTO weights (run_id, data) SELECT ` + newID + `, w.data FROM n, runs t JOIN weights w ON w.run_id = t.id WHERE t.id = ?`,
	}
	for i, q := range stmts {
		args := []any{n, n}
		if i == 0 {
			args = append(args, n)
		}
		if _, err := tx.Exec(q, append(args, id)...); err != nil {
			return fmt.Errorf("clone step %d: %v", i+1, err)
		}
	}
	return tx.Commit()
}

// template trains and records one digits run and returns it whole.
func template(ctx context.Context, store sessions.Store) (*sessions.FullRun, error) {
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "digits", Split: datasets.DefaultSplit, Seed: 1, Scale: "standard"}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 32, Activation: "relu"}}
	spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
	spec.Epochs = 20
	spec.Loss = "ce"
	data, err := datasets.Build(spec.Data)
	if err != nil {
		return nil, err
	}
	h, err := trainer.Run(ctx, spec, data)
	if err != nil {
		return nil, err
	}
	rec := sessions.Record(store, data, h.Events, sessions.RecordOptions{Name: "template"})
	for range rec.Events() {
	}
	if err := rec.Err(); err != nil {
		return nil, err
	}
	return sessions.LoadFull(ctx, store, h.ID)
}
