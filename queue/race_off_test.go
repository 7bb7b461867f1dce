//go:build !race

package queue_test

const raceOn = false
