package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
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

// checkOutput refuses an output path writeOutput would refuse for
// existing, before any work is done.
func checkOutput(path string, force bool) error {
	if path == "" || path == "-" || force {
		return nil
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists: pass --force to replace it", path)
	}
	return nil
}

// openStoreToRead opens the store for a command that only reads: a named
// store that does not exist is an error (the default one is created, so
// that a first run just works). It opens read-write when it can (so runs
// and sweeps whose process died are marked and an old schema is upgraded,
// as any open does), else read-only, so that a store on a read-only file,
// directory or mount, or on a full disk, can still be listed and shown.
func openStoreToRead(e *env, cmd *cobra.Command) (*sessions.SQLite, error) {
	path, named, err := storeTarget(e, cmd)
	if err != nil {
		return nil, err
	}
	if named && storeMissing(path) {
		return nil, noStoreError(path)
	}
	return openReadable(path, busyNotice(e))
}

// openReadable opens path read-write, else, when only writing fails
// (read-only, disk full, or another process kept the write lock past the
// wait), read-only.
func openReadable(path string, opts ...sessions.OpenOption) (*sessions.SQLite, error) {
	s, err := sessions.Open(path, opts...)
	if why, full := sessions.StorageFailure(err); !errors.Is(err, sessions.ErrReadOnly) && !errors.Is(err, sessions.ErrBusy) && !(full && why == "disk full") {
		return s, err
	}
	if _, serr := os.Stat(path); serr != nil {
		return nil, err
	}
	return sessions.Open(path, append(opts, sessions.ReadOnly())...)
}

// writeRunsJSON writes the runs each calls back with as one indented JSON
// array, the output of writeJSON for the whole slice, one run at a time.
func writeRunsJSON(w io.Writer, each func(func(*sessions.Run) error) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	n := 0
	err := each(func(r *sessions.Run) error {
		buf.Reset()
		if err := enc.Encode(r); err != nil {
			return err
		}
		if n == 0 {
			bw.WriteString("[\n  ")
		} else {
			bw.WriteString(",\n  ")
		}
		n++
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		bw.WriteString("[]\n")
	} else {
		bw.WriteString("\n]\n")
	}
	return bw.Flush()
}
