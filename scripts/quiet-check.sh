#!/usr/bin/env bash
# Sourced by the benchmark scripts: says what could skew a timing on this
# machine. With the kernel's autogroup on, CPU time is shared between
# sessions (terminals, tmux, agents), not processes, so `nice` does not
# shield a benchmark from another session's work: measured, a nice-0
# benchmark got half a core against nice-19 processes in another session.
if [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ]; then
	echo "note: autogroup is on (/proc/sys/kernel/sched_autogroup_enabled): nice does not shield this run from other sessions; stop them, or as root: echo 0 > /proc/sys/kernel/sched_autogroup_enabled" >&2
fi
echo "load before: $(uptime)" >&2
