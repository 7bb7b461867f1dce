package trainer

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"workbench/datasets"
)

// MemoryEstimate is what a run of a spec needs in memory, in bytes, by
// part. It follows how the trainer allocates: the network (weights,
// gradients, optimizer state, layer buffers) in the spec's precision,
// layer buffers for batches of max(batch size, 256) rows, two float64
// weight copies (the best epoch's and the last) besides the model's own,
// and the data in float64. A float32 network also holds its input and
// logit conversions at the float64 boundary.
type MemoryEstimate struct {
	Params int64 // trainable parameters
	// Weights counts the weights, their gradients and the best and last
	// weight copies (float64 in either precision).
	Weights int64
	// Optimizer counts the optimizer's state: two values per parameter
	// for adam and adamw, one for momentum, nesterov and rmsprop.
	Optimizer int64
	// Activations counts the layers' batch buffers, forward and backward.
	Activations int64
	// Data counts the table and its split, scaled copy.
	Data  int64
	Total int64
}

// EstimateMemory estimates what training s on a table of rows×inputs
// with the given outputs (OutputsFor) takes, before anything is built. It
// saturates rather than overflows, so any spec gives a number.
func EstimateMemory(s *Spec, inputs, outputs, rows int) MemoryEstimate {
	batch := s.BatchSize
	if batch <= 0 || batch > rows {
		batch = rows // 0 is the whole training set
	}
	chunk := float64(max(batch, 256))
	var params, acts float64
	in := float64(inputs)
	layer := func(out float64, act string, bn bool, dropout float64) {
		params += in * out
		if bn {
			params += 2 * out // gamma, beta; the running statistics are not trained
			acts += 4*out + 2*chunk*out
		} else {
			params += out
		}
		acts += 3 * chunk * out // z, dz, dh
		if act != "linear" {
			acts += chunk * out
		}
		if dropout > 0 {
			acts += 2 * chunk * out
		}
		acts += chunk * in // dx
		if in >= packMinIn && !bn {
			acts += chunk * out // dL/dz packed for the weight gradient
		}
		in = out
	}
	for _, l := range s.Model.Hidden {
		layer(float64(l.Units), l.Activation, l.BatchNorm, l.Dropout)
	}
	layer(float64(outputs), "linear", false, 0)
	var opt float64
	switch s.Optimizer.Name {
	case "adam", "adamw":
		opt = 2 * params
	case "momentum", "nesterov", "rmsprop":
		opt = params
	}
	const f64 = 8
	elem := float64(f64)
	if s.Precision == Float32 {
		elem = 4
		// x32 and g32 in float32, the logits in float64.
		acts += chunk*float64(inputs) + chunk*float64(outputs) + 2*chunk*float64(outputs)
	}
	e := MemoryEstimate{
		Params:      saturate(params),
		Weights:     saturate(2*params*elem + 2*params*f64), // weights and gradients; best and last
		Optimizer:   saturate(opt * elem),
		Activations: saturate(acts * elem),
		Data:        saturate(2 * float64(rows) * (float64(inputs) + 1) * f64),
	}
	e.Total = saturate(float64(e.Weights) + float64(e.Optimizer) + float64(e.Activations) + float64(e.Data))
	return e
}

func saturate(v float64) int64 {
	if v >= 1<<62 {
		return 1 << 62
	}
	return int64(v)
}

// String is the estimate for people: "1.2 GiB (weights 512 MiB, …)".
func (e MemoryEstimate) String() string {
	return fmt.Sprintf("%s (weights %s, optimizer %s, activations %s, data %s)", FormatBytes(e.Total),
		FormatBytes(e.Weights), FormatBytes(e.Optimizer), FormatBytes(e.Activations), FormatBytes(e.Data))
}

// FormatBytes writes n bytes with a binary unit: 512 B, 3.1 KiB, 96 GiB.
func FormatBytes(n int64) string {
	v := float64(n)
	for _, u := range []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"} {
		if v < 1024 || u == "PiB" {
			if u == "B" || v >= 100 {
				return fmt.Sprintf("%.0f %s", v, u)
			}
			return fmt.Sprintf("%.1f %s", v, u)
		}
		v /= 1024
	}
	return ""
}

// MemoryShare is the part of the machine's memory a run may plan to use.
const MemoryShare = 0.75

// MemoryLimit returns MemoryShare of this machine's memory (or of the
// process's cgroup limit, when lower), the default limit for CheckMemory,
// and a description such as "75% of this machine's 16 GiB". It returns 0
// when the memory cannot be read (not Linux): then there is no limit.
func MemoryLimit() (int64, string) {
	total := memTotal()
	what := "this machine's"
	if cg := cgroupLimit(); cg > 0 && (total == 0 || cg < total) {
		total, what = cg, "this container's"
	}
	if total <= 0 {
		return 0, ""
	}
	return int64(float64(total) * MemoryShare), fmt.Sprintf("%.0f%% of %s %s", MemoryShare*100, what, FormatBytes(total))
}

func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func cgroupLimit() int64 {
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v > 0 && v < 1<<60 {
			return v
		}
	}
	return 0
}

// CheckMemory estimates what training s on data of rows×inputs for task
// (with classes classes) takes and returns an error when it is more than
// limit bytes; limit 0 means MemoryLimit, and a negative limit turns the
// check off. The error gives the estimate by part and the limit, so a
// 65536×65536 model is refused before anything is allocated.
func CheckMemory(s *Spec, task datasets.Task, inputs, classes, rows int, limit int64) (MemoryEstimate, error) {
	e := EstimateMemory(s, inputs, OutputsFor(task, classes), rows)
	if limit < 0 {
		return e, nil
	}
	what := "the --max-memory limit"
	if limit == 0 {
		limit, what = MemoryLimit()
		if limit == 0 {
			return e, nil
		}
	}
	if e.Total <= limit {
		return e, nil
	}
	return e, fmt.Errorf("model: the run needs about %s for %s parameters, more than %s (%s): use fewer or smaller layers, a smaller batch, or raise the limit with --max-memory",
		e, strconv.FormatInt(e.Params, 10), FormatBytes(limit), what)
}
