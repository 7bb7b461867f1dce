package sessions

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"workbench/trainer"
)

// CleanText makes text from the store safe to print on a terminal: it
// removes escape sequences (CSI such as ESC[2J, OSC such as ESC]0;title BEL,
// DCS, APC and two-byte escapes), turns tabs and line breaks into spaces,
// shows other C0 and C1 control characters, DEL and bidirectional
// overrides as Go escapes (\x07, \u009b, \u202e), and replaces invalid
// UTF-8 with U+FFFD. Printable text comes back unchanged.
func CleanText(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			i = skipEscape(s, i)
			continue
		case c == '\t' || c == '\n' || c == '\r':
			b.WriteByte(' ')
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c < 0x80:
			b.WriteByte(c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size <= 1:
				b.WriteRune(utf8.RuneError)
			case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		i++
	}
	return b.String()
}

// isClean reports whether CleanText would return s unchanged: printable
// ASCII, or valid UTF-8 without controls or direction overrides (a list
// of thousands of runs checks every architecture's "→").
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e ||
			r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f {
			return false
		}
		i += size
	}
	return true
}

// skipEscape returns the index just past the escape sequence at s[i].
func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[': // CSI: parameters and intermediates, then one final byte
		for i++; i < len(s); i++ {
			if c := s[i]; c >= 0x40 && c <= 0x7e {
				return i + 1
			} else if c < 0x20 || c > 0x3f && c < 0x40 || c > 0x7e {
				return i
			}
		}
		return i
	case ']', 'P', 'X', '^', '_': // strings, ended by BEL or ST (ESC \)
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b {
				if i+1 < len(s) && s[i+1] == '\\' {
					return i + 2
				}
				return i
			}
		}
		return i
	}
	// Intermediates (0x20–0x2f), then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// CleanRun returns a copy of r with every text field a terminal shows
// passed through CleanText: ID, name, status, reason, dataset, task,
// summary, monitor, optimizer, tags, notes, classes, features and metric
// names. The spec beyond the optimizer is left as it is (it is data, not
// display); use CleanText on any of it that is printed.
func CleanRun(r *Run) *Run {
	if r == nil {
		return nil
	}
	c := *r
	c.ID, c.Name, c.Reason, c.Notes = CleanText(r.ID), CleanText(r.Name), CleanText(r.Reason), CleanText(r.Notes)
	c.Status = trainer.Status(CleanText(string(r.Status)))
	c.Dataset, c.Task, c.Summary, c.Monitor = CleanText(r.Dataset), CleanText(r.Task), CleanText(r.Summary), CleanText(r.Monitor)
	c.Spec.Optimizer.Name = CleanText(r.Spec.Optimizer.Name)
	c.Spec.Name = CleanText(r.Spec.Name)
	c.Tags = cleanAll(r.Tags)
	c.Classes = cleanAll(r.Classes)
	c.Features = cleanAll(r.Features)
	if r.Metrics != nil {
		dirty := false
		for k := range r.Metrics {
			if CleanText(k) != k {
				dirty = true
				break
			}
		}
		if dirty {
			c.Metrics = make(Metrics, len(r.Metrics))
			for k, v := range r.Metrics {
				c.Metrics[CleanText(k)] = v
			}
		}
	}
	return &c
}

func cleanAll(in []string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = CleanText(s)
	}
	return out
}

// CleanComparison returns a copy of c whose text a terminal can show: its
// runs through CleanRun (IDs kept as stored, since they name the runs),
// and the differing fields, their values and the metric names through
// CleanText.
func CleanComparison(c *Comparison) *Comparison {
	if c == nil {
		return nil
	}
	out := *c
	out.Runs = make([]*Run, len(c.Runs))
	for i, r := range c.Runs {
		cr := CleanRun(r)
		cr.ID = r.ID
		out.Runs[i] = cr
	}
	out.Diff = make([]DiffRow, len(c.Diff))
	for i, d := range c.Diff {
		out.Diff[i] = DiffRow{Field: CleanText(d.Field), Values: cleanAll(d.Values)}
	}
	out.Metrics = make([]MetricRow, len(c.Metrics))
	for i, m := range c.Metrics {
		m.Key = CleanText(m.Key)
		out.Metrics[i] = m
	}
	return &out
}
