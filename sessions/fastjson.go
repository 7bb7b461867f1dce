package sessions

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// parseMetrics reads a stored metrics object. Listing thousands of runs
// spends most of its time here, so the flat form Metrics.MarshalJSON
// writes is parsed by hand; anything else goes through encoding/json.
func parseMetrics(s string) (Metrics, error) {
	if m, ok := parseFlatMetrics(s); ok {
		return m, nil
	}
	var m Metrics
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// parseFlatMetrics parses {"key":number-or-"NaN"/"+Inf"/"-Inf",…} with
// keys free of escapes; ok is false for any other input.
func parseFlatMetrics(s string) (Metrics, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	m := make(Metrics, strings.Count(body, ",")+1)
	if strings.TrimSpace(body) == "" {
		return m, true
	}
	for len(body) > 0 {
		if body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		key := body[1 : 1+end]
		if strings.IndexByte(key, '\\') >= 0 {
			return nil, false
		}
		body = body[2+end:]
		if len(body) == 0 || body[0] != ':' {
			return nil, false
		}
		body = body[1:]
		comma := strings.IndexByte(body, ',')
		val := body
		if comma >= 0 {
			val, body = body[:comma], body[comma+1:]
		} else {
			body = ""
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
				return nil, false
			}
		}
		m[key] = v
	}
	return m, true
}

// parseTags reads a stored JSON array of tags.
func parseTags(s string) ([]string, error) {
	if s == "[]" {
		return []string{}, nil
	}
	var t []string
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, err
	}
	return t, nil
}
