//go:build race

package queue_test

// raceOn: trials are shorter under the race detector, which slows them
// about tenfold.
const raceOn = true
