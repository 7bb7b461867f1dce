// Package atomicfile writes files all at once or not at all: the content
// goes to a temporary file in the target's directory, which is synced and
// then renamed (or hard-linked) into place, so a failure part way (a bad
// argument found late, a full disk, a kill) leaves any existing file as it
// was and no partial file behind.
//
// It refuses to replace an existing file unless asked to (force), and it
// never follows a symbolic link at the target: with force the link itself
// is replaced, and without it the link counts as an existing file.
//
// Contract:
//   - Concurrency: Write may be called from many goroutines; two writers
//     racing for a new path without force give one winner and one
//     ErrExists, never a mix.
//   - Errors: every failure returns an error naming the path; nothing
//     panics.
package atomicfile
