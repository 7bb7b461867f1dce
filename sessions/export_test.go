package sessions

import (
	"testing"
	"time"
)

// SetBusyTimings shortens the wait for another process's write lock
// (busy.go) for one test: the notice after notice, the failure after max,
// SQLite's own wait per try stepMS.
func SetBusyTimings(t testing.TB, notice, max time.Duration, stepMS int) {
	t.Helper()
	n, m, s := busyNoticeAfter, busyWaitMax, busyStepMS
	busyNoticeAfter, busyWaitMax, busyStepMS = notice, max, stepMS
	t.Cleanup(func() { busyNoticeAfter, busyWaitMax, busyStepMS = n, m, s })
}
