package tui

import (
	"regexp"
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
)

// setupHint rewrites the command-line flags in an error message as the
// Setup fields that set them: "use --missing drop-rows" becomes "use
// missing values = drop-rows (Setup)".
func setupHint(msg string) string {
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
