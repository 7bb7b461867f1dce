package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"workbench/atomicfile"
	"workbench/sessions"
)

// addForceFlag gives a command that writes files --force.
func addForceFlag(cmd *cobra.Command) *bool {
	return cmd.Flags().Bool("force", false, "replace the output file if it exists")
}

// writeOutput writes what fill writes to path all at once (see
// atomicfile): an error part way leaves no file, or the old one, behind.
// An existing file is replaced only with force. An empty path or "-"
// means stdout.
func writeOutput(e *env, path string, force bool, fill func(io.Writer) error) error {
	if path == "" || path == "-" {
		return fill(e.stdout)
	}
	err := atomicfile.Write(path, force, fill)
	if errors.Is(err, atomicfile.ErrExists) {
		return fmt.Errorf("%s exists: pass --force to replace it", path)
	}
	return err
}

// openStoreToRead opens the store for a command that only reads: read-write
// when it can (so runs and sweeps whose process died are marked and an old
// schema is upgraded, as any open does), else read-only, so that a store
// on a read-only file, directory or mount can still be listed and shown.
func openStoreToRead(e *env, cmd *cobra.Command) (*sessions.SQLite, error) {
	s, err := openStore(e, cmd)
	if !errors.Is(err, sessions.ErrReadOnly) {
		return s, err
	}
	db, _ := cmd.Flags().GetString("db")
	path, perr := storePath(e.getenv, db)
	if perr != nil {
		return nil, perr
	}
	if _, serr := os.Stat(path); serr != nil {
		return nil, err
	}
	return sessions.Open(path, sessions.ReadOnly())
}
