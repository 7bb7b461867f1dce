package sessions

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"workbench/datasets"
	"workbench/trainer"
)

// parseMetrics reads a stored metrics object. Listing thousands of runs
// spends most of its time here, so the flat form Metrics.MarshalJSON
// writes is parsed by hand; anything else goes through encoding/json.
func parseMetrics(s string, keep func(key string) bool) (Metrics, error) {
	if m, ok := parseFlatMetrics(s, keep); ok {
		return m, nil
	}
	var m Metrics
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	if keep != nil {
		for k := range m {
			if !keep(k) {
				delete(m, k)
			}
		}
	}
	return m, nil
}

// summaryKeys are the metrics a list shows: each task's key metric
// (trainer.KeyMetric) at the best epoch and on the test split.
var summaryKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
		k := trainer.KeyMetric(t)
		m["best_val_"+k], m["test_"+k] = true, true
	}
	return m
}()

// parseFlatMetrics parses {"key":number-or-"NaN"/"+Inf"/"-Inf",…} with
// keys free of escapes, keeping the keys keep accepts (all when keep is
// nil); ok is false for any other input.
func parseFlatMetrics(s string, keep func(string) bool) (Metrics, bool) {
	m := make(Metrics, 16)
	if !parseFlatMetricsInto(m, s, keep) {
		return nil, false
	}
	return m, true
}

// parseFlatMetricsInto is parseFlatMetrics into m, which may hold part of
// the object when it returns false. JSON whitespace between tokens is
// skipped.
func parseFlatMetricsInto(m Metrics, s string, keep func(string) bool) bool {
	s = trimJSONSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return false
	}
	body := trimJSONSpace(s[1 : len(s)-1])
	for body != "" {
		if body[0] != '"' {
			return false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return false
		}
		key := body[1 : 1+end]
		if strings.IndexByte(key, '\\') >= 0 {
			return false
		}
		body = trimJSONSpace(body[2+end:])
		if len(body) == 0 || body[0] != ':' {
			return false
		}
		body = body[1:]
		val := body
		if comma := strings.IndexByte(body, ','); comma >= 0 {
			val, body = body[:comma], trimJSONSpace(body[comma+1:])
			if body == "" {
				return false // a trailing comma
			}
		} else {
			body = ""
		}
		val = trimJSONSpace(val)
		if keep != nil && !keep(key) {
			continue
		}
		var v float64
		switch val {
		case `"NaN"`:
			v = math.NaN()
		case `"+Inf"`, `"Inf"`:
			v = math.Inf(1)
		case `"-Inf"`:
			v = math.Inf(-1)
		default:
			var err error
			if v, err = strconv.ParseFloat(val, 64); err != nil {
				return false
			}
		}
		m[key] = v
	}
	return true
}

// trimJSONSpace trims JSON's whitespace from both ends of s.
func trimJSONSpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
