package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	for shell, want := range map[string]string{
		"bash":       "complete -o default -F __start_workbench workbench",
		"zsh":        "#compdef workbench",
		"fish":       "complete -c workbench",
		"powershell": "Register-ArgumentCompleter",
	} {
		out, errs, code := cli(t, db, "", "completion", shell)
		if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "__complete") {
			t.Errorf("%s: exit %d %s; script lacks %q", shell, code, errs, want)
		}
	}
	if _, errs, code := cli(t, db, "", "completion", "tcsh"); code != ExitUsage || !strings.Contains(errs, "tcsh") {
		t.Errorf("tcsh: exit %d %q", code, errs)
	}
}

// complete asks cobra's hidden __complete command for the candidates of
// the last word, and returns them without descriptions or the directive.
func complete(t *testing.T, db string, words ...string) []string {
	t.Helper()
	out, errs, code := cli(t, db, "", append([]string{"__complete"}, words...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d %s", words, code, errs)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, ":") || line == "" {
			continue // the directive
		}
		got = append(got, strings.SplitN(line, "\t", 2)[0])
	}
	return got
}

func TestDynamicCompletion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	a := trainRun(t, db, "--data", "xor", "--name", "first")
	b := trainRun(t, db, "--data", "xor")
	for _, words := range [][]string{{"runs", "show", ""}, {"runs", "compare", a, ""}, {"predict", "--run", ""}, {"plot", "--run", ""}} {
		got := strings.Join(complete(t, db, words...), " ")
		if !strings.Contains(got, a) || !strings.Contains(got, b) {
			t.Errorf("%v: %q, want both run IDs", words, got)
		}
	}
	if got := complete(t, db, "runs", "show", b[:len(b)-2]); len(got) != 1 || got[0] != b {
		t.Errorf("prefix: %v", got)
	}
	if got := complete(t, db, "train", "--data", "spi"); strings.Join(got, " ") != "spiral" {
		t.Errorf("--data spi: %v", got)
	}
	if got := complete(t, db, "datasets", "show", "ir"); strings.Join(got, " ") != "iris" {
		t.Errorf("datasets show ir: %v", got)
	}
	if got := complete(t, db, "tr"); strings.Join(got, " ") != "train" {
		t.Errorf("tr: %v", got)
	}
	if got := complete(t, db, "train", "--epo"); strings.Join(got, " ") != "--epochs" {
		t.Errorf("--epo: %v", got)
	}
	out, _, _ := cli(t, db, "", "sweep", "--data", "xor", "--epochs", "1", "--grid", "lr=0.1,0.2", "--json")
	id := out[strings.Index(out, `"id":"`)+6:]
	id = id[:strings.Index(id, `"`)]
	if got := complete(t, db, "sweep", "show", ""); len(got) != 1 || got[0] != id {
		t.Errorf("sweep show: %v, want %s", got, id)
	}
}
