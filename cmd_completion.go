package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"workbench/datasets"
	"workbench/sessions"
)

func init() {
	register(&command{
		name:    "completion",
		summary: "Print a shell completion script (bash, zsh or fish)",
		usage:   "bash|zsh|fish",
		examples: []string{
			"source <(workbench completion bash)",
			"workbench completion zsh > \"${fpath[1]}/_workbench\"",
			"workbench completion fish > ~/.config/fish/completions/workbench.fish",
		},
		run: runCompletion,
	})
	register(&command{name: "__complete", summary: "", usage: "WORDS…", run: runComplete})
}

const bashCompletion = `# bash completion for workbench
_workbench() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=($(compgen -W "$(workbench __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur"))
  case "$prev" in --data|--spec|--file|-o|--db) COMPREPLY+=($(compgen -f -- "$cur")) ;; esac
}
complete -o default -F _workbench workbench
`

const zshCompletion = `#compdef workbench
_workbench() {
  local -a words_
  words_=(${(f)"$(workbench __complete ${words[2,CURRENT]} 2>/dev/null)"})
  compadd -a words_
  case "${words[CURRENT-1]}" in --data|--spec|--file|-o|--db) _files ;; esac
}
compdef _workbench workbench
`

const fishCompletion = `# fish completion for workbench
complete -c workbench -f -a '(workbench __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`

func runCompletion(e *env, args []string) error {
	fs := newFlags(e, findCommand("completion"))
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name a shell: bash, zsh or fish")
	}
	switch pos[0] {
	case "bash":
		fmt.Fprint(e.stdout, bashCompletion)
	case "zsh":
		fmt.Fprint(e.stdout, zshCompletion)
	case "fish":
		fmt.Fprint(e.stdout, fishCompletion)
	default:
		return usagef("unknown shell %q (bash, zsh or fish)", pos[0])
	}
	return nil
}

var subcommands = map[string][]string{
	"runs":     {"list", "show", "compare", "export", "import", "rm", "rerun", "rename", "tag", "note"},
	"sweep":    {"run", "show", "list"},
	"datasets": {"list", "show"},
}

var flagRe = regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)

// commandFlags lists a command's flags, read from its own --help.
func commandFlags(e *env, name string) []string {
	c := findCommand(name)
	if c == nil {
		return nil
	}
	var buf bytes.Buffer
	sub := &env{stdin: strings.NewReader(""), stdout: &buf, stderr: io.Discard, getenv: e.getenv}
	c.run(sub, []string{"--help"})
	var out []string
	for _, m := range flagRe.FindAllStringSubmatch(buf.String(), -1) {
		out = append(out, "--"+m[1])
	}
	return out
}

// runComplete prints the candidates for the last of the words typed.
func runComplete(e *env, words []string) error {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	var cands []string
	switch {
	case len(words) == 1:
		for _, c := range commands {
			if !strings.HasPrefix(c.name, "__") {
				cands = append(cands, c.name)
			}
		}
	case len(words) >= 2 && words[len(words)-2] == "--data":
		cands = datasets.Names()
	case strings.HasPrefix(cur, "-"):
		cands = commandFlags(e, words[0])
	case len(words) == 2 && subcommands[words[0]] != nil:
		cands = subcommands[words[0]]
	case len(words) >= 3 && (words[0] == "runs" || words[0] == "sweep") || len(words) >= 2 && words[len(words)-2] == "--run":
		if st, err := sessions.Open(sessions.DefaultPath(e.getenv)); err == nil {
			if words[0] == "sweep" {
				sws, _ := st.ListSweeps(context.Background())
				for _, s := range sws {
					cands = append(cands, s.ID)
				}
			} else {
				runs, _ := st.ListRuns(context.Background(), sessions.Query{Limit: 100})
				for _, r := range runs {
					cands = append(cands, r.ID)
				}
			}
			st.Close()
		}
	case words[0] == "datasets" && len(words) == 3:
		cands = datasets.Names()
	case words[0] == "completion":
		cands = []string{"bash", "zsh", "fish"}
	}
	sort.Strings(cands)
	for _, c := range cands {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(e.stdout, c)
		}
	}
	return nil
}
