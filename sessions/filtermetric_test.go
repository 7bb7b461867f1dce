package sessions

import (
	"strings"
	"testing"
)

func TestCheckFilterMetric(t *testing.T) {
	for expr, want := range map[string]string{
		"val_accuracy>0.9":      "",
		"best_val_f1_macro>=.5": "",
		"cv_accuracy_std<0.1":   "",
		"test_cost<1":           "",
		"status=done":           "",
		"status=bogus":          "", // ParseFilter says why
		"val_acc>0.9":           "unknown metric val_acc; did you mean val_accuracy?",
		"test_rsme<3":           "did you mean test_rmse?",
		"val_zzzzzzzzzz>1":      "unknown metric val_zzzzzzzzzz (such as",
	} {
		err := CheckFilterMetric(expr)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", expr, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want %q", expr, err, want)
		}
	}
}
