package analysis

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestResultsMarshalInfiniteMetrics: a compression or ensemble of a run
// whose test loss overflowed (a run that diverged) still prints as JSON,
// the value "+Inf" as runs show --json writes it; encoding/json refused
// the whole result, after the derived run was saved.
func TestResultsMarshalInfiniteMetrics(t *testing.T) {
	inf := map[string]float64{"loss": math.Inf(1), "r2": math.Inf(-1), "mae": 2}
	for _, v := range []any{
		CompressResult{Before: ModelStats{Test: inf}, After: ModelStats{Test: inf}},
		EnsembleResult{Members: []MemberResult{{Val: inf, Test: inf}}, Val: inf, Test: inf},
	} {
		b, err := json.Marshal(v)
		if err != nil || !strings.Contains(string(b), `"test":{"loss":"+Inf","mae":2,"r2":"-Inf"}`) {
			t.Errorf("%T: %v %s", v, err, b)
		}
	}
}
