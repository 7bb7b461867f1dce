package cli

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"workbench/sessions/pgtest"
)

// storeKinds name a fresh, empty store of each kind: a file and, when a
// server is configured, a PostgreSQL schema.
var storeKinds = []struct {
	name string
	db   func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "w.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.URL(t) }},
}

// TestEveryCommandOnBothStores runs the commands that touch the store on a
// SQLite file and on PostgreSQL, and checks the same results.
func TestEveryCommandOnBothStores(t *testing.T) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) {
			db := k.db(t)
			run := func(stdin string, args ...string) string {
				t.Helper()
				out, errs, code := cli(t, db, stdin, args...)
				if code != 0 {
					t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errs)
				}
				if u, _ := url.Parse(db); u != nil {
					if p, ok := u.User.Password(); ok && strings.Contains(out+errs, p) {
						t.Fatalf("%s: the password shows", strings.Join(args, " "))
					}
				}
				return out
			}
			lastJSON := func(out string) map[string]any {
				lines := strings.Split(strings.TrimSpace(out), "\n")
				var m map[string]any
				if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
					t.Fatalf("not JSON: %s", lines[len(lines)-1])
				}
				return m
			}
			fin := lastJSON(run("", "train", "--data", "seed-example", "--layers", "4", "--act", "tanh", "--loss", "mse",
				"--opt", "adam", "--lr", "0.05", "--batch", "0", "--epochs", "300", "--json"))
			id := fin["id"].(string)
			if fin["status"] != "done" || fin["saved"] != true {
				t.Fatalf("train: %v", fin)
			}
			second := lastJSON(run("", "train", "--data", "xor", "--epochs", "20", "--json"))["id"].(string)
			run("", "runs", "rename", id, "seedy")
			run("", "runs", "tag", id, "alpha", "beta")
			run("", "runs", "note", id, "a note")
			var rows []map[string]any
			if err := json.Unmarshal([]byte(run("", "runs", "list", "--filter", "tag=beta", "--json")), &rows); err != nil || len(rows) != 1 || rows[0]["name"] != "seedy" {
				t.Fatalf("list by tag: %v %v", rows, err)
			}
			if err := json.Unmarshal([]byte(run("", "runs", "list", "--sort", "-name", "--json")), &rows); err != nil || len(rows) != 2 || rows[0]["name"] != "seedy" {
				t.Fatalf("list sorted: %v %v", rows, err)
			}
			if out := run("", "runs", "show", id); !strings.Contains(out, "seed-example") || !strings.Contains(out, "a note") {
				t.Fatalf("show: %s", out)
			}
			if out := run("", "runs", "compare", id, second); !strings.Contains(out, id) || !regexp.MustCompile(`(?m)^  data\.name +seed-example +xor$`).MatchString(out) {
				t.Fatalf("compare: %s", out)
			}
			if out := run("x1,x2\n1,2\n3,4\n", "predict", "--run", id, "--data", "-"); len(strings.Split(strings.TrimSpace(out), "\n")) != 3 {
				t.Fatalf("predict: %s", out)
			}
			sw := lastJSON(run("", "sweep", "--data", "xor", "--epochs", "2", "--grid", "lr=0.01,0.1", "--parallel", "2", "--json"))
			var rep struct {
				Sweep struct {
					Trials int `json:"trials"`
				} `json:"sweep"`
			}
			if err := json.Unmarshal([]byte(run("", "sweep", "show", sw["id"].(string), "--json")), &rep); err != nil || rep.Sweep.Trials != 2 {
				t.Fatalf("sweep show: %+v %v", rep, err)
			}
			export := filepath.Join(t.TempDir(), "runs.json")
			run("", "runs", "export", "-o", export)
			run("", "runs", "rm", id)
			if out := run("", "runs", "import", export); !strings.Contains(out, "imported 1 run") {
				t.Fatalf("import: %s", out)
			}
			if out := run("", "runs", "show", id); !strings.Contains(out, "seedy") {
				t.Fatalf("show after import: %s", out)
			}
		})
	}
}
