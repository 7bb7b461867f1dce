package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"workbench/numfmt"
	"workbench/trainer"
)

// benchResult is one measured run of a workload.
type benchResult struct {
	Workload    string  `json:"workload"`
	Precision   string  `json:"precision"`
	Workers     int     `json:"workers"`
	SamplesPerS float64 `json:"samples_per_s"`
	GFLOPPerS   float64 `json:"gflop_per_s"` // matrix products only (trainer.SampleFLOPs)
	Epochs      int     `json:"epochs"`
	Rows        int     `json:"rows"`
	WallS       float64 `json:"wall_s"`
	// CPUS is the process's CPU time over the run, every thread: unlike
	// the wall clock it barely moves when other programs share the cores,
	// so 1 and 2 workers compare by it even on a busy machine (it counts
	// the evaluation too).
	CPUS float64 `json:"cpu_s"`
}

// benchOnce trains workload w once in the given precision and pool size.
func benchOnce(w, precision string, workers int) (benchResult, error) {
	spec, data, err := trainer.Workload(w)
	if err != nil {
		return benchResult{}, usageError{err.Error()}
	}
	spec.Precision = precision
	cpu0 := processCPU()
	h, err := trainer.RunWith(context.Background(), spec, data, trainer.Options{Workers: workers})
	if err != nil {
		return benchResult{}, err
	}
	var fin trainer.FinishedEvent
	for ev := range h.Events {
		if f, ok := ev.(trainer.FinishedEvent); ok {
			fin = f
		}
	}
	if fin.Status != trainer.StatusDone {
		return benchResult{}, fmt.Errorf("workload %s ended %s: %s", w, fin.Status, fin.Reason)
	}
	flops := trainer.SampleFLOPs(spec.Model, data.Train.D, trainer.OutputsFor(data.Task(), data.Classes()))
	return benchResult{Workload: w, Precision: precision, Workers: workers, SamplesPerS: fin.SamplesPerSec,
		GFLOPPerS: fin.SamplesPerSec * flops / 1e9, Epochs: fin.Epochs, Rows: data.Train.N, WallS: fin.Elapsed.Seconds(),
		CPUS: (processCPU() - cpu0).Seconds()}, nil
}

// peersScript returns the peers script: $WORKBENCH_PEERS, else
// ../shared/bench/peers.sh from the working directory or the executable's.
func peersScript() (string, error) {
	if p := os.Getenv("WORKBENCH_PEERS"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("--peers: WORKBENCH_PEERS: %v", err)
		}
		return p, nil
	}
	var dirs []string
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, wd)
	}
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "..", "shared", "bench", "peers.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("--peers: ../shared/bench/peers.sh not found (set WORKBENCH_PEERS to the script)")
}

// peerColumns are the peers' columns, keyed as runPeers returns them.
var peerColumns = []string{"torch/float64", "torch/float32", "sklearn/float64"}

// runPeers runs the peers script on workload w and returns samples/s by
// "peer/dtype".
func runPeers(script, w string) (map[string]float64, error) {
	var out bytes.Buffer
	cmd := exec.Command("bash", script, w)
	cmd.Stdout, cmd.Stderr = &out, io.Discard
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("peers %s: %v", w, err)
	}
	got := map[string]float64{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "RESULT ")
		if !ok {
			continue
		}
		var r struct {
			Peer        string  `json:"peer"`
			Dtype       string  `json:"dtype"`
			SamplesPerS float64 `json:"samples_per_s"`
		}
		if json.Unmarshal([]byte(line), &r) == nil {
			got[r.Peer+"/"+r.Dtype] = r.SamplesPerS
		}
	}
	if len(got) == 0 {
		return nil, fmt.Errorf("peers %s: no RESULT lines", w)
	}
	return got, nil
}

// ourColumns are workbench's columns: precision and workers.
var ourColumns = []struct {
	name, precision string
	workers         int
}{{"f64 1w", trainer.Float64, 1}, {"f64 2w", trainer.Float64, 2}, {"f32 1w", trainer.Float32, 1}, {"f32 2w", trainer.Float32, 2}}

// ratioColumns are the table's ratios, each a/b of two columns, taken
// within each round and reported as the median over rounds, so that the
// machine's drift between rounds cancels.
var ratioColumns = []struct{ name, a, b string }{
	{"f64 1w / PyTorch f64", "f64 1w", "torch/float64"},
	{"f32 1w / PyTorch f32", "f32 1w", "torch/float32"},
	{"f64 2w / 1w", "f64 2w", "f64 1w"},
	{"f32 2w / 1w", "f32 2w", "f32 1w"},
}

// benchPeers measures each workload against the peers, interleaved over
// rounds (ours in every configuration, then the peers, per workload and
// round), and writes a Markdown table of medians and median ratios, or
// JSON with every figure.
func benchPeers(out, progress io.Writer, workloads []string, rounds int, jsonOut bool) error {
	script, err := peersScript()
	if err != nil {
		return err
	}
	type cell = map[string][]float64
	all := map[string]cell{}
	ratios := map[string]cell{}
	for r := 1; r <= rounds; r++ {
		for _, w := range workloads {
			if all[w] == nil {
				all[w], ratios[w] = cell{}, cell{}
			}
			round := map[string]float64{}
			for _, c := range ourColumns {
				res, err := benchOnce(w, c.precision, c.workers)
				if err != nil {
					return err
				}
				round[c.name] = res.SamplesPerS
			}
			peers, err := runPeers(script, w)
			if err != nil {
				return err
			}
			for k, v := range peers {
				round[k] = v
			}
			for k, v := range round {
				all[w][k] = append(all[w][k], v)
			}
			for _, rc := range ratioColumns {
				if a, b := round[rc.a], round[rc.b]; a > 0 && b > 0 {
					ratios[w][rc.name] = append(ratios[w][rc.name], a/b)
				}
			}
			fmt.Fprintf(progress, "round %d/%d %s: %s\n", r, rounds, w, formatRound(round))
		}
	}
	if jsonOut {
		return writeJSON(out, map[string]any{"rounds": rounds, "samples_per_s": all, "ratios": ratios}, true)
	}
	fmt.Fprintf(out, "Samples/s, median of %d interleaved rounds; ratios are medians of per-round ratios.\n\n", rounds)
	fmt.Fprint(out, "| workload |")
	for _, c := range ourColumns {
		fmt.Fprintf(out, " workbench %s |", c.name)
	}
	fmt.Fprint(out, " PyTorch f64 1T | PyTorch f32 1T | sklearn f64 |")
	for _, rc := range ratioColumns {
		fmt.Fprintf(out, " %s |", rc.name)
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "|---"+strings.Repeat("|---", len(ourColumns)+len(peerColumns)+len(ratioColumns))+"|")
	for _, w := range workloads {
		fmt.Fprintf(out, "| %s |", w)
		for _, c := range ourColumns {
			fmt.Fprintf(out, " %s |", numfmt.Rate(median(all[w][c.name])))
		}
		for _, p := range peerColumns {
			fmt.Fprintf(out, " %s |", numfmt.Rate(median(all[w][p])))
		}
		for _, rc := range ratioColumns {
			if v := median(ratios[w][rc.name]); v > 0 {
				fmt.Fprintf(out, " **%.2f×** |", v)
			} else {
				fmt.Fprint(out, " – |")
			}
		}
		fmt.Fprintln(out)
	}
	return nil
}

func formatRound(round map[string]float64) string {
	keys := make([]string, 0, len(round))
	for k := range round {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s ", k, numfmt.Rate(round[k]))
	}
	return strings.TrimSpace(b.String())
}

// median returns the median of v, 0 for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
