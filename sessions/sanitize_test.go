package sessions

import (
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain name", "plain name"},
		{"héllo wörld ✓", "héllo wörld ✓"},
		{"\x1b[2Jcleared", "cleared"},
		{"\x1b[38;5;196mred\x1b[0m", "red"},
		{"\x1b]0;pwned\x07title", "title"},
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"\x1bPdcs stuff\x1b\\after", "after"},
		{"\x1bcreset", "reset"},
		{"\x1b(Bcharset", "charset"},
		{"bell\x07", `bell\x07`},
		{"line\nbreak\ttab\rret", "line break tab ret"},
		{"del\x7f", `del\x7f`},
		{"c1 \u009b2J", `c1 \u009b2J`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"trailing esc \x1b", "trailing esc "},
		{"\x1b[", ""},
	} {
		if got := CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzCleanText(f *testing.F) {
	f.Add("\x1b]0;x\x07\x1b[2J\u009b\xff")
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanText(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("CleanText(%q) = %q keeps %U", s, out, r)
			}
		}
		if CleanText(out) != out && !strings.Contains(out, `\`) {
			t.Fatalf("not idempotent on %q", out)
		}
	})
}

func TestCleanRun(t *testing.T) {
	r := &Run{ID: "a", Name: "\x1b[2Jname", Notes: "n\x1b]0;t\x07", Tags: []string{"\x07t"}, Metrics: Metrics{"best_val_\x1b[1macc": 1}}
	c := CleanRun(r)
	if c.Name != "name" || c.Notes != "n" || c.Tags[0] != `\x07t` || c.Metrics["best_val_acc"] != 1 {
		t.Fatalf("%+v", c)
	}
	if r.Name != "\x1b[2Jname" || r.Tags[0] != "\x07t" {
		t.Fatal("CleanRun changed its argument")
	}
}
