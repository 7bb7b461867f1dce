package sweeps

import (
	"math"
	"sort"
	"strings"
)

// ConfigStat is one configuration of a sweep run over several seeds
// (--seeds N): the mean and spread of its objective.
type ConfigStat struct {
	// Params are the swept fields other than the seed.
	Params map[string]string `json:"params"`
	// Mean and Std are over the seeds that finished (candidates); Std is the
	// sample standard deviation, nil below two such seeds.
	Mean float64  `json:"mean"`
	Std  *float64 `json:"std"`
	// N is how many seeds finished with an objective, of Trials.
	N      int      `json:"n"`
	Trials int      `json:"trials"`
	RunIDs []string `json:"run_ids"`
}

// SeedStats groups trials by their swept fields other than "seed" and
// returns each configuration's mean ± std, best mean first (by lower);
// configurations with no finished seed come last. Pruned trials are left
// out of the mean, as they are of the ranking.
func SeedStats(fields []string, lower bool, trials []ReportTrial) []ConfigStat {
	var out []ConfigStat
	idx := map[string]int{}
	var sums []float64
	var vals [][]float64
	for _, t := range trials {
		var key strings.Builder
		params := map[string]string{}
		for _, f := range fields {
			if f == "seed" {
				continue
			}
			params[f] = t.Params[f]
			key.WriteString(f + "=" + t.Params[f] + "\x00")
		}
		j, ok := idx[key.String()]
		if !ok {
			j = len(out)
			idx[key.String()] = j
			out = append(out, ConfigStat{Params: params})
			sums = append(sums, 0)
			vals = append(vals, nil)
		}
		c := &out[j]
		c.Trials++
		c.RunIDs = append(c.RunIDs, t.RunID)
		if t.Standing().Candidate() {
			c.N++
			sums[j] += t.Objective
			vals[j] = append(vals[j], t.Objective)
		}
	}
	for j := range out {
		c := &out[j]
		if c.N == 0 {
			c.Mean = math.NaN()
			continue
		}
		c.Mean = sums[j] / float64(c.N)
		if c.N > 1 {
			ss := 0.0
			for _, v := range vals[j] {
				ss += (v - c.Mean) * (v - c.Mean)
			}
			sd := math.Sqrt(ss / float64(c.N-1))
			c.Std = &sd
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if (x.N > 0) != (y.N > 0) {
			return x.N > 0
		}
		if lower {
			return x.Mean < y.Mean
		}
		return x.Mean > y.Mean
	})
	return out
}
