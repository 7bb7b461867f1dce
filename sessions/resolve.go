package sessions

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// AmbiguousError is returned by ResolveRun and ResolveSweep when a
// reference matches more than one ID.
type AmbiguousError struct {
	Kind       string   // "run" or "sweep"
	Ref        string   // what was given
	Candidates []string // the matching IDs, sorted
}

func (e *AmbiguousError) Error() string {
	const show = 8
	c := e.Candidates
	more := ""
	if len(c) > show {
		c, more = c[:show], fmt.Sprintf(" and %d more", len(e.Candidates)-show)
	}
	return fmt.Sprintf("%s %q is ambiguous: it matches %s%s", e.Kind, e.Ref, strings.Join(c, ", "), more)
}

// notFoundError says which run or sweep is missing; it is ErrNotFound.
type notFoundError struct{ kind, ref string }

func (e notFoundError) Error() string        { return "no " + e.kind + " " + e.ref }
func (e notFoundError) Is(target error) bool { return target == ErrNotFound }

// ResolveRun returns the ID of the one run that ref names: its full ID,
// a unique prefix of it, or a unique suffix (the short form that Compare
// shows), as git resolves commits. An ambiguous ref returns an
// *AmbiguousError that lists the candidates; an unknown one an error that
// is ErrNotFound.
func ResolveRun(ctx context.Context, s Store, ref string) (string, error) {
	if ref == "" {
		return "", notFoundError{"run", `""`}
	}
	if _, err := s.GetRun(ctx, ref); err == nil {
		return ref, nil
	}
	runs, err := s.ListRuns(ctx, Query{})
	if err != nil {
		return "", err
	}
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	return match("run", ref, ids)
}

// ResolveSweep is ResolveRun for sweeps.
func ResolveSweep(ctx context.Context, s Store, ref string) (string, error) {
	if ref == "" {
		return "", notFoundError{"sweep", `""`}
	}
	sws, err := s.ListSweeps(ctx)
	if err != nil {
		return "", err
	}
	ids := make([]string, len(sws))
	for i, sw := range sws {
		ids[i] = sw.ID
	}
	return match("sweep", ref, ids)
}

// ResolveRuns resolves each of refs with ResolveRun.
func ResolveRuns(ctx context.Context, s Store, refs []string) ([]string, error) {
	out := make([]string, len(refs))
	for i, ref := range refs {
		id, err := ResolveRun(ctx, s, ref)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

func match(kind, ref string, ids []string) (string, error) {
	var found []string
	for _, id := range ids {
		if id == ref {
			return id, nil
		}
		if strings.HasPrefix(id, ref) || strings.HasSuffix(id, ref) {
			found = append(found, id)
		}
	}
	switch len(found) {
	case 0:
		return "", notFoundError{kind, ref}
	case 1:
		return found[0], nil
	}
	sort.Strings(found)
	return "", &AmbiguousError{Kind: kind, Ref: ref, Candidates: found}
}
