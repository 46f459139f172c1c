#!/usr/bin/env bash
#
# tests/fuzz/run.sh BINDIR SECONDS TARGET...     fuzz each target for SECONDS
# tests/fuzz/run.sh -r BINDIR TARGET...          replay each target's committed corpus once
#
# BINDIR holds the target binaries (fuzz_TARGET).  Fuzzing starts from a scratch copy of
# tests/fuzz/corpus/TARGET in BINDIR/corpus/TARGET (it grows there, the committed seeds are
# never written), and crash, leak and timeout inputs go to BINDIR/artifacts.  FUZZ_JOBS
# targets run at once (default 2).  One line per target; the exit status is 1 if any target
# crashed, leaked, timed out or could not run.
#
set -uo pipefail

PROG=${0##*/}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
usage() { echo "usage: $PROG BINDIR SECONDS TARGET... | $PROG -r BINDIR TARGET..." >&2; exit 2; }

REPLAY=0
if [ "${1:-}" = -r ]; then REPLAY=1; shift; fi
[ $# -ge 2 ] || usage
BINDIR=$1
shift
if [ $REPLAY = 0 ]; then
	SECONDS_EACH=$1
	shift
	case $SECONDS_EACH in '' | *[!0-9]*) usage ;; esac
fi
[ $# -ge 1 ] || usage
JOBS=${FUZZ_JOBS:-2}
LOGS=$BINDIR/logs
mkdir -p "$LOGS" "$BINDIR/artifacts"

# Largest input worth trying: a certificate file, a config file, a string.
max_len() {
	case $1 in
	x509 | certload | trust) echo 16384 ;;
	config | record) echo 4096 ;;
	subject) echo 2048 ;;
	*) echo 256 ;;
	esac
}

# fuzz_one TARGET: fuzz it, print its line; status 0 only if it ran clean.
fuzz_one() {
	local t=$1 bin=$BINDIR/fuzz_$1 scratch=$BINDIR/corpus/$1 log=$LOGS/$1.log
	local opts=() status execs secs corpus artifacts
	mkdir -p "$scratch"
	cp -f "$HERE/corpus/$t"/* "$scratch"/ 2>/dev/null
	[ -f "$HERE/$t.dict" ] && opts=(-dict="$HERE/$t.dict")
	# Comparisons of parsed numbers (years, lengths) guide the small-input targets too.
	case $t in x509 | certload | trust) ;; *) opts+=(-use_value_profile=1) ;; esac
	"$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=10 -max_len="$(max_len "$t")" \
		-artifact_prefix="$BINDIR/artifacts/$t-" "${opts[@]}" "$scratch" </dev/null >"$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	corpus=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -n 1)
	if [ $status = 0 ]; then
		echo "fuzz $t: ${execs:-?} execs in ${secs:-?} s, ${corpus:-?} corpus, 0 crashes"
		return 0
	fi
	artifacts=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tr '\n' ' ')
	echo "fuzz $t: FAILED (exit $status) after ${execs:-?} execs: ${artifacts:-no artifact}; log $log"
	grep -m 1 -E '^(==[0-9]+==ERROR|.*property broken|.*runtime error)' "$log" | sed 's/^/    /'
	return 1
}

# replay_one TARGET: run every committed input once.
replay_one() {
	local t=$1 log=$LOGS/$1.replay.log files
	files=("$HERE/corpus/$t"/*)
	[ -e "${files[0]}" ] || { echo "replay $t: no corpus"; return 1; }
	if "$BINDIR/fuzz_$t" "${files[@]}" </dev/null >"$log" 2>&1; then
		echo "replay $t: ${#files[@]} inputs, 0 crashes"
		return 0
	fi
	echo "replay $t: FAILED; log $log"
	grep -m 1 -E '^(==[0-9]+==ERROR|.*property broken|.*runtime error)' "$log" | sed 's/^/    /'
	return 1
}

failed=0
running=0
for t in "$@"; do
	if [ $running -ge "$JOBS" ]; then
		wait -n || failed=1
		running=$((running - 1))
	fi
	if [ $REPLAY = 1 ]; then replay_one "$t" & else fuzz_one "$t" & fi
	running=$((running + 1))
done
while [ $running -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done
exit $failed
