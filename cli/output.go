package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mattn/go-isatty"

	"workbench/numfmt"
)

// writeJSON writes v as JSON, indented or on one line. It does not escape
// <, > and &, so rules such as val_accuracy>=0.97 read as written.
func writeJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}

// isTerminal reports whether a stream is a terminal.
func isTerminal(s any) bool {
	f, ok := s.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// fmtMetric formats a metric for people, or "—" when there is none.
func fmtMetric(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return numfmt.Value(v)
}

// sortMetricKeys sorts metric names loss first, then alphabetically.
func sortMetricKeys(keys []string) {
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "loss") != (keys[j] == "loss") {
			return keys[i] == "loss"
		}
		return keys[i] < keys[j]
	})
}

// metricLine formats metrics "name: value", loss first, then
// alphabetically, joined by " - ".
func metricLine(prefix string, m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortMetricKeys(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s%s: %s", prefix, k, numfmt.Value(m[k]))
	}
	return strings.Join(parts, " - ")
}

// Column widths that keep tables (runs, sweeps) bounded however long a name is.
const (
	nameWidth    = 24
	datasetWidth = 20
	archWidth    = 32
)

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}
