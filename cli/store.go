package cli

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"

	"workbench/sessions"
)

// storePath returns the store a command uses: --db, else $WORKBENCH_DB,
// else $XDG_DATA_HOME/workbench/workbench.db, else
// ~/.local/share/workbench/workbench.db. A relative XDG_DATA_HOME is
// ignored, as the XDG spec says.
func storePath(getenv func(string) string, db string) (string, error) {
	if db != "" {
		return db, nil
	}
	if p := getenv("WORKBENCH_DB"); p != "" {
		return p, nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "workbench", "workbench.db"), nil
	}
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return "", errors.New("no session store: HOME is not set; give --db FILE or set WORKBENCH_DB")
	}
	return filepath.Join(home, ".local", "share", "workbench", "workbench.db"), nil
}

// openStore opens the store that cmd's --db flag or the environment names.
func openStore(e *env, cmd *cobra.Command) (*sessions.SQLite, error) {
	db, _ := cmd.Flags().GetString("db")
	path, err := storePath(e.getenv, db)
	if err != nil {
		return nil, err
	}
	return sessions.Open(path)
}

// resolveRunIDs turns each run reference (an ID, a unique prefix or a
// unique suffix) into its ID.
func resolveRunIDs(store sessions.Store, refs []string) ([]string, error) {
	return sessions.ResolveRuns(context.Background(), store, refs)
}

// resolveRunID resolves one run reference.
func resolveRunID(store sessions.Store, ref string) (string, error) {
	return sessions.ResolveRun(context.Background(), store, ref)
}
