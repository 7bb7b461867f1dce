package sessions

import (
	"context"
	"database/sql"

	"workbench/trainer"
)

// migrationLayerHealth (schema 3) adds the per-epoch, per-layer health table: one
// row per hidden layer of each recorded epoch (see trainer.LayerHealth).
const migrationLayerHealth = `
CREATE TABLE layer_health (
	run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	epoch        INTEGER NOT NULL,
	layer        INTEGER NOT NULL,
	activation   TEXT NOT NULL,
	units        INTEGER NOT NULL,
	weight_norm  REAL NOT NULL,
	grad_norm    REAL NOT NULL,
	rel_grad     REAL NOT NULL,
	update_ratio REAL NOT NULL,
	dead         REAL NOT NULL,
	saturated    REAL NOT NULL,
	act_mean     REAL NOT NULL,
	act_std      REAL NOT NULL,
	PRIMARY KEY (run_id, epoch, layer)
) WITHOUT ROWID;
`

// sqlInsertLayer is an upsert both SQLite and PostgreSQL run.
const sqlInsertLayer = `INSERT INTO layer_health (run_id, epoch, layer, activation, units, weight_norm, grad_norm, rel_grad,
	update_ratio, dead, saturated, act_mean, act_std) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT (run_id, epoch, layer) DO UPDATE SET activation = excluded.activation, units = excluded.units,
	weight_norm = excluded.weight_norm, grad_norm = excluded.grad_norm, rel_grad = excluded.rel_grad,
	update_ratio = excluded.update_ratio, dead = excluded.dead, saturated = excluded.saturated,
	act_mean = excluded.act_mean, act_std = excluded.act_std`

// layersEvery is the stride of stored layer health past the first
// layersEvery² epochs: a run of thousands of tiny epochs a second would
// otherwise spend most of its store's time on layer rows.
const layersEvery = 10

// keepLayers reports whether an epoch's layer health is stored: every
// epoch up to 100, then every 10th (of the epochs the history keeps).
func keepLayers(epoch int) bool {
	return epoch <= layersEvery*layersEvery || epoch%layersEvery == 0
}

// putLayers inserts the layer health of eps that keepLayers keeps, within
// tx, the epochs' own transaction.
func (s *SQLite) putLayers(ctx context.Context, tx *sql.Tx, id string, eps []Epoch) error {
	if !anyLayers(eps) {
		return nil
	}
	ins := tx.StmtContext(ctx, s.stInsertLayer)
	for _, e := range eps {
		if e.SummaryOnly || !keepLayers(e.Epoch) {
			continue // not in the history, or thinned
		}
		for _, l := range e.Layers {
			l.Sanitize()
			if _, err := ins.ExecContext(ctx, id, e.Epoch, l.Layer, l.Activation, l.Units, l.WeightNorm, l.GradNorm, l.RelGrad,
				l.UpdateRatio, l.Dead, l.Saturated, l.ActMean, l.ActStd); err != nil {
				return err
			}
		}
	}
	return nil
}

func anyLayers(eps []Epoch) bool {
	for _, e := range eps {
		if len(e.Layers) > 0 {
			return true
		}
	}
	return false
}

// attachLayers reads a run's layer health into its epochs, which are in
// increasing order.
func attachLayers(ctx context.Context, db *sql.DB, id string, eps []Epoch) error {
	if len(eps) == 0 {
		return nil
	}
	rows, err := db.QueryContext(ctx, `SELECT epoch, layer, activation, units, weight_norm, grad_norm, rel_grad, update_ratio,
		dead, saturated, act_mean, act_std FROM layer_health WHERE run_id = ? ORDER BY epoch, layer`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	at := make(map[int]int, len(eps))
	for i, e := range eps {
		at[e.Epoch] = i
	}
	for rows.Next() {
		var epoch int
		var l trainer.LayerHealth
		if err := rows.Scan(&epoch, &l.Layer, &l.Activation, &l.Units, &l.WeightNorm, &l.GradNorm, &l.RelGrad, &l.UpdateRatio,
			&l.Dead, &l.Saturated, &l.ActMean, &l.ActStd); err != nil {
			return err
		}
		if i, ok := at[epoch]; ok {
			eps[i].Layers = append(eps[i].Layers, l)
		}
	}
	return rows.Err()
}
