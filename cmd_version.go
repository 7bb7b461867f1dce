package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func init() {
	register(&command{
		name:    "version",
		summary: "Print the version",
		usage:   "[--json]",
		run: func(e *env, args []string) error {
			fs := newFlags(e, findCommand("version"))
			jsonOut := fs.Bool("json", false, "print JSON")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return usagef("unexpected argument %q", pos[0])
			}
			rev := ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						rev = s.Value
					}
				}
			}
			if *jsonOut {
				return writeJSON(e.stdout, map[string]string{"version": version, "revision": rev, "go": runtime.Version()}, false)
			}
			fmt.Fprintf(e.stdout, "workbench %s %s (%s)\n", version, rev, runtime.Version())
			return nil
		},
	})
}
