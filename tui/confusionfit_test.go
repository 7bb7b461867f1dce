package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestTenClassConfusionFitsTrain: fashion-mnist's matrix with 3-digit
// counts in Train's panel at 120×40 (44 columns) shows all 10 classes,
// the row names cut shorter; it showed 9 and a message that was cut.
// Too narrow for them all, the message still fits.
func TestTenClassConfusionFitsTrain(t *testing.T) {
	st := DefaultStyles()
	names := []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
	cm := make([][]int, 10)
	for i := range cm {
		cm[i] = make([]int, 10)
		cm[i][i] = 180 + i
	}
	v := ansi.Strip(confusionView(cm, names, &st, 44))
	lines := strings.Split(v, "\n")
	if len(lines) != 11 || strings.Contains(v, "of 10 classes") || !strings.HasSuffix(lines[10], "189") || !strings.HasPrefix(lines[10], "Ank") {
		t.Fatalf("at 44 columns:\n%s", v)
	}
	for _, w := range []int{44, 20} {
		for _, l := range strings.Split(ansi.Strip(confusionView(cm, names, &st, w)), "\n") {
			if ansi.StringWidth(l) > w {
				t.Fatalf("at %d columns, %q is wider", w, l)
			}
		}
	}
}
