package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBenchPrecisionAndPeers: bench takes --precision (f32 reports
// float32 and a GFLOP/s figure), rejects an unknown one, and --peers runs
// the peers script (a stand-in here) once per workload and round and
// prints the table with workbench's four configurations, the three peers
// and the ratios.
func TestBenchPrecisionAndPeers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "b.db")
	out, errs, code := cli(t, db, "", "bench", "--workload", "w1", "--precision", "f32", "--workers", "1", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var r benchResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Precision != "float32" || r.Workers != 1 || !(r.GFLOPPerS > 0) {
		t.Fatalf("bench --json: %s (%v)", out, err)
	}
	// Its text line formats its numbers for people: it printed "1635333
	// samples/s" and "0.07s wall".
	out, errs, code = cli(t, db, "", "bench", "--workload", "w1", "--workers", "1")
	if line := regexp.MustCompile(`^w1 float64: [0-9.]+[kM]? samples/s, [0-9.]+ GFLOP/s \(100 epochs of 1,000 rows, [0-9.]+(µs|ms|s) wall, [0-9.]+(µs|ms|s) CPU\)\n$`); code != 0 || !line.MatchString(out) {
		t.Errorf("bench: exit %d, %s%s", code, out, errs)
	}
	if _, errs, code = cli(t, db, "", "bench", "--workload", "w1", "--precision", "half"); code != 2 || !strings.Contains(errs, "precision") {
		t.Errorf("--precision half: exit %d, %s", code, errs)
	}

	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	script := filepath.Join(dir, "peers.sh")
	body := `echo "$1" >> ` + calls + `
echo 'noise'
echo 'RESULT {"peer": "torch", "workload": "'$1'", "dtype": "float64", "samples_per_s": 1000}'
echo 'RESULT {"peer": "torch", "workload": "'$1'", "dtype": "float32", "samples_per_s": 2000}'
echo 'RESULT {"peer": "sklearn", "workload": "'$1'", "dtype": "float64", "samples_per_s": 500}'
`
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WORKBENCH_PEERS", script)
	out, errs, code = cli(t, db, "", "bench", "--peers", "--rounds", "2", "w1")
	if code != 0 {
		t.Fatal(errs)
	}
	got, _ := os.ReadFile(calls)
	if string(got) != "w1\nw1\n" {
		t.Errorf("peers ran for %q, want w1 twice", got)
	}
	for _, want := range []string{"| workload | workbench f64 1w | workbench f64 2w | workbench f32 1w | workbench f32 2w | PyTorch f64 1T | PyTorch f32 1T | sklearn f64 |", "| w1 |", "| 1.00k | 2.00k | 500 |", "×** |"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "round 2/2 w1:") {
		t.Errorf("no progress on stderr: %s", errs)
	}
	t.Setenv("WORKBENCH_PEERS", filepath.Join(dir, "missing.sh"))
	if _, errs, code = cli(t, db, "", "bench", "--peers", "w1"); code == 0 || !strings.Contains(errs, "WORKBENCH_PEERS") {
		t.Errorf("a missing script: exit %d, %s", code, errs)
	}
}

// TestBenchScaling: lists of precisions and worker counts run every
// configuration, interleaved, and print samples/s, CPU time and the speed
// against the first count; bad lists are usage errors.
func TestBenchScaling(t *testing.T) {
	db := filepath.Join(t.TempDir(), "b.db")
	out, errs, code := cli(t, db, "", "bench", "--workload", "w1", "--precision", "f64,f32", "--workers", "1,2", "--rounds", "2")
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"w1: medians of 2 interleaved rounds; load average", "| precision | workers | samples/s | CPU ms per 1k samples | speed against 1 worker |",
		"| float64 | 1 |", "| float64 | 2 |", "| float32 | 1 |", "| float32 | 2 |", "×** |"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "round 2/2 w1: float64 1w=") {
		t.Errorf("no progress on stderr: %s", errs)
	}
	out, _, code = cli(t, db, "", "bench", "--workload", "w1", "--workers", "1,2", "--rounds", "1", "--json")
	var r struct {
		Speedup map[string][]float64 `json:"speedup"`
		CPU     map[string][]float64 `json:"cpu_ms_per_1k_samples"`
	}
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil || len(r.Speedup["float64 2w"]) != 1 || !(r.CPU["float64 1w"][0] > 0) {
		t.Fatalf("--json: exit %d: %s (%v)", code, out, err)
	}
	for _, bad := range [][]string{{"--workers", "1,x"}, {"--workers", "-1"}, {"--precision", "f64,half"}, {"--workers", "1,2", "--rounds", "0"}} {
		if _, errs, code := cli(t, db, "", append([]string{"bench", "--workload", "w1"}, bad...)...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, %s", bad, code, errs)
		}
	}
}
