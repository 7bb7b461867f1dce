package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"workbench/numfmt"
	"workbench/trainer"
)

// benchConfig is one configuration of a scaling measurement.
type benchConfig struct {
	precision string
	workers   int
}

// parseWorkerList reads --workers: one count or a comma-separated list,
// such as 1,2.
func parseWorkerList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || n > 256 {
			return nil, usagef("--workers %q: want counts from 0 (all cores) to 256, such as 1,2", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// parsePrecisionList reads --precision: one precision or a list, such as
// f64,f32.
func parsePrecisionList(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		p, err := trainer.ParsePrecision(strings.ToLower(strings.TrimSpace(f)))
		if err != nil {
			return nil, usageError{"--" + err.Error()}
		}
		out = append(out, p)
	}
	return out, nil
}

// benchScaling runs workload w in every precision and worker count,
// interleaved over rounds, and writes a Markdown table of median
// samples/s, CPU time per 1,000 samples and, per precision, the median of
// each round's speed against the first worker count; or JSON with every
// figure. The load average is printed before and after, since the wall
// clock of a shared machine depends on it.
func benchScaling(out, progress io.Writer, w string, precisions []string, workers []int, rounds int, jsonOut bool) error {
	var configs []benchConfig
	for _, p := range precisions {
		for _, k := range workers {
			configs = append(configs, benchConfig{p, k})
		}
	}
	name := func(c benchConfig) string { return fmt.Sprintf("%s %dw", c.precision, c.workers) }
	rates, cpus, ratios := map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
	loadBefore := loadAverage()
	for r := 1; r <= rounds; r++ {
		got := map[string]benchResult{}
		for _, c := range configs {
			res, err := benchOnce(w, c.precision, c.workers)
			if err != nil {
				return err
			}
			got[name(c)] = res
			rates[name(c)] = append(rates[name(c)], res.SamplesPerS)
			if res.CPUS > 0 && res.SamplesPerS > 0 {
				cpus[name(c)] = append(cpus[name(c)], res.CPUS/float64(res.Epochs*res.Rows)*1000*1000)
			}
		}
		for _, c := range configs {
			base := got[name(benchConfig{c.precision, workers[0]})]
			if c.workers != workers[0] && base.SamplesPerS > 0 {
				ratios[name(c)] = append(ratios[name(c)], got[name(c)].SamplesPerS/base.SamplesPerS)
			}
		}
		var b strings.Builder
		for _, c := range configs {
			fmt.Fprintf(&b, " %s=%s", name(c), numfmt.Rate(got[name(c)].SamplesPerS))
		}
		fmt.Fprintf(progress, "round %d/%d %s:%s (load %s)\n", r, rounds, w, b.String(), loadAverage())
	}
	loadAfter := loadAverage()
	if jsonOut {
		return writeJSON(out, map[string]any{"workload": w, "rounds": rounds, "samples_per_s": rates,
			"cpu_ms_per_1k_samples": cpus, "speedup": ratios, "load_before": loadBefore, "load_after": loadAfter}, true)
	}
	fmt.Fprintf(out, "%s: medians of %d interleaved rounds; load average %s before, %s after.\n", w, rounds, loadBefore, loadAfter)
	fmt.Fprintln(out, "CPU time counts every thread and the evaluation; equal figures for 1 and 2 workers mean the split costs no extra work.")
	fmt.Fprintln(out)
	fmt.Fprintf(out, "| precision | workers | samples/s | CPU ms per 1k samples | speed against %s |\n|---|---|---|---|---|\n", numfmt.Count(workers[0], "worker"))
	for _, c := range configs {
		ratio := "–"
		if v := median(ratios[name(c)]); v > 0 {
			ratio = fmt.Sprintf("**%.2f×**", v)
		}
		cpu := "–"
		if v := median(cpus[name(c)]); v > 0 {
			cpu = fmt.Sprintf("%.1f", v)
		}
		fmt.Fprintf(out, "| %s | %d | %s | %s | %s |\n", c.precision, c.workers, numfmt.Rate(median(rates[name(c)])), cpu, ratio)
	}
	return nil
}
