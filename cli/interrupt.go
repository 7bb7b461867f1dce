package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// interruptedError ends a command that SIGINT or SIGTERM stopped after it
// saved its work (a run saved as "stopped"): exit status 128 + the
// signal's number, 130 for Ctrl-C and 143 for SIGTERM, as a shell reports
// a process the signal killed, so that a script's `&&` does not go on.
type interruptedError struct {
	sig  syscall.Signal
	what string // what was saved, e.g. "run 2026… saved as stopped"
}

func (i interruptedError) Error() string {
	name := "SIGTERM"
	if i.sig == syscall.SIGINT {
		name = "Ctrl-C (SIGINT)"
	}
	if i.what == "" {
		return "stopped by " + name
	}
	return fmt.Sprintf("stopped by %s: %s", name, i.what)
}

// exitStatus is the shell's status for a process the signal ended.
func (i interruptedError) exitStatus() int { return 128 + int(i.sig) }

// signalContext returns a context cancelled at the first SIGINT or
// SIGTERM, and caught, which says which of them arrived (0 for none).
// stop releases the signals.
func signalContext() (ctx context.Context, caught func() syscall.Signal, stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	var got atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case s := <-ch:
			if n, ok := s.(syscall.Signal); ok {
				got.Store(int32(n))
			}
			cancel()
		case <-ctx.Done():
		}
	}()
	caught = func() syscall.Signal { return syscall.Signal(got.Load()) }
	stop = func() {
		signal.Stop(ch)
		cancel()
		<-done
	}
	return ctx, caught, stop
}
