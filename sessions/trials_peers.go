package sessions

import "context"

// PeerQuery selects the epochs of a distributed sweep's other trials,
// by their current attempts, for a pruner.
type PeerQuery struct {
	SweepID string
	Trial   int  // the asking trial, left out
	Earlier bool // only trials of a lower index
	From    int  // epochs From..To
	To      int
	Reached int // only trials whose current run has done this many epochs
}

// PeerEpoch is one epoch of another trial.
type PeerEpoch struct {
	Trial int
	Epoch int
	Train Metrics
	Val   Metrics
}

// PeerEpochs returns the epochs that q selects.
func (s *SQLite) PeerEpochs(ctx context.Context, q PeerQuery) ([]PeerEpoch, error) {
	if !s.pg {
		return nil, ErrNotDistributed
	}
	cmp := "<>"
	if q.Earlier {
		cmp = "<"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT t.trial, e.epoch, e.train, e.val FROM sweep_trials t
		JOIN runs r ON r.id = t.run_id JOIN epochs e ON e.run_id = t.run_id
		WHERE t.sweep_id = ? AND t.trial `+cmp+` ? AND e.epoch BETWEEN ? AND ? AND r.epochs_done >= ?
		ORDER BY t.trial, e.epoch`, q.SweepID, q.Trial, q.From, q.To, q.Reached)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []PeerEpoch
	for rows.Next() {
		var p PeerEpoch
		var train, val string
		if err := rows.Scan(&p.Trial, &p.Epoch, &train, &val); err != nil {
			return nil, s.wrap(err)
		}
		if p.Train, err = parseMetrics(train, nil); err != nil {
			return nil, err
		}
		if p.Val, err = parseMetrics(val, nil); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, s.wrap(rows.Err())
}
