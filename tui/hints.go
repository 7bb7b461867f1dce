package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"workbench/trainer"
)

// The data and trainer packages word their errors for the command line
// ("use --missing drop-rows"); Setup says the same with its own fields.

var (
	flagValue = regexp.MustCompile(`--([a-z][a-z0-9-]*)(?: ("[^"]*"|[A-Za-z0-9_.-]+))?`)
	// flagLabels maps a flag to the Setup label of its field.
	flagLabels = func() map[string]string {
		m := map[string]string{}
		for _, f := range trainer.Fields() {
			if f.Flag != "" {
				m[f.Flag] = strings.TrimSpace(f.Label)
			}
		}
		return m
	}()
	// pathLabels maps a field's spec path to its Setup label.
	pathLabels = func() map[string]string {
		m := map[string]string{}
		for _, f := range trainer.Fields() {
			m[f.Path] = strings.TrimSpace(f.Label)
		}
		return m
	}()
)

// fieldLabel rewrites a message that starts with a field's spec path
// ("data.path: open x.csv: no such file") with its Setup label ("CSV
// path: open x.csv: …").
func fieldLabel(msg string) string {
	path, rest, ok := strings.Cut(msg, ": ")
	if !ok {
		return msg
	}
	if label, ok := pathLabels[path]; ok {
		return label + ": " + rest
	}
	// A layer's field: model.hidden[0].activation is layer 1's activation.
	if m := layerPath.FindStringSubmatch(path); m != nil {
		if label, ok := pathLabels["model.hidden[]"+m[2]]; ok {
			n, _ := strconv.Atoi(m[1])
			return fmt.Sprintf("layer %d %s: %s", n+1, label, rest)
		}
	}
	return msg
}

var layerPath = regexp.MustCompile(`^model\.hidden\[(\d+)\](\..+)$`)

// setupHint rewrites the command-line flags in an error message as the
// Setup fields that set them: "use --missing drop-rows" becomes "use
// missing values = drop-rows (Setup)".
func setupHint(msg string) string {
	msg = fieldLabel(msg)
	if !strings.Contains(msg, "--") {
		return msg
	}
	return flagValue.ReplaceAllStringFunc(msg, func(s string) string {
		m := flagValue.FindStringSubmatch(s)
		label, ok := flagLabels[m[1]]
		if !ok {
			return s
		}
		if m[2] == "" {
			return "the " + label + " field"
		}
		return label + " = " + m[2] + " (Setup)"
	})
}
