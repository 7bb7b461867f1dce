package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDerivedRunsSayTheyKeepNoEpochs: runs show of a compressed run says
// whose training it has, where it read "epochs: 0 of ∞, no best epoch yet,
// 0s, 0 samples/s" as if it were about to train; runs export --format
// history of an ensemble or a compressed run says it keeps no epochs,
// where it wrote a header alone and exited 0. compress says "fine-tune 1
// epoch", not "1 epochs".
func TestDerivedRunsSayTheyKeepNoEpochs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	a := trainRun(t, db, "--data", "moons", "--layers", "8")
	b := trainRun(t, db, "--data", "moons", "--layers", "8", "--seed", "2")
	saved := regexp.MustCompile(`saved as run (\S+) \(kind`)
	derived := map[string]string{}
	for kind, args := range map[string][]string{
		"int8":     {"compress", "--run", a, "--quantize", "int8"},
		"finetune": {"compress", "--run", a, "--prune", "0.5", "--finetune-epochs", "1"},
		"ensemble": {"ensemble", a, b},
	} {
		out, errs, code := cli(t, db, "", args...)
		m := saved.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("%v: exit %d, %s%s", args, code, out, errs)
		}
		derived[kind] = m[1]
		// The tables padded their last column: every row ended in spaces.
		if regexp.MustCompile(`(?m) $`).MatchString(out) {
			t.Errorf("%v: a line ends in a space:\n%q", args, out)
		}
		if kind == "finetune" && !strings.Contains(out, "prune 50% unstructured, fine-tune 1 epoch\n") {
			t.Errorf("compress names its work:\n%s", out)
		}
	}
	for kind, want := range map[string]string{
		"int8":     "training: none of its own: its parent trained\n",
		"finetune": "training: its parent's, then 1 epoch of fine-tuning\n",
	} {
		out, errs, code := cli(t, db, "", "runs", "show", derived[kind])
		if code != 0 || !strings.Contains(out, want) || strings.Contains(out, "no best epoch yet") {
			t.Errorf("runs show of the %s run: exit %d, %s\n%s", kind, code, errs, out)
		}
	}
	for kind, want := range map[string]string{
		"int8":     " is compressed from " + a + " and keeps no epochs of its own; export its parent's\n",
		"ensemble": " is an ensemble: it has no epochs of its own; export a member's (" + a + ", " + b + ")\n",
	} {
		out, errs, code := cli(t, db, "", "runs", "export", derived[kind], "--format", "history")
		if code != 1 || out != "" || !strings.HasSuffix(errs, want) {
			t.Errorf("history of the %s run: exit %d, stdout %q, stderr %q", kind, code, out, errs)
		}
	}
}
