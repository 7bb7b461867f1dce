package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// The help line fits its width at every size and, when keys are left
// out, ends in "…", never in a dangling separator.
func TestShortHelpEndsInAnEllipsis(t *testing.T) {
	bindings := combinedHelp{DefaultTrainKeys(), DefaultGlobalKeys()}.ShortHelp()
	for w := 1; w <= 200; w++ {
		s := fitShortHelp(help.New(), bindings, w)
		if lipgloss.Width(s) > w {
			t.Fatalf("width %d: %d cells: %q", w, lipgloss.Width(s), s)
		}
		if strings.HasSuffix(s, "•") || strings.HasSuffix(s, "• ") {
			t.Fatalf("width %d: ends in a separator: %q", w, s)
		}
	}
}
