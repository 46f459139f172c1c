# shellcheck shell=bash
# The check runner of the command-line suites (tests/cli, tests/report): run a command, then
# check its exit status, stdout and stderr.  The caller sets T (a scratch directory) and
# counts with pass and fail.
#
# t NAME EXPECTED_EXIT [CHECK]... -- COMMAND...
#   out=RE / !out=RE   stdout has / lacks a line matching RE (grep -E)
#   err=RE / !err=RE   the same for stderr;  err1: stderr is exactly one line
#   noout              stdout is empty;  json: stdout is valid JSON
#   py=EXPR            a Python expression over d, stdout parsed as JSON, is true
#   clean              no raw control byte on stdout
t() {
	local name=$1 want=$2 c why="" rc
	local -a checks=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do checks+=("$1"); shift; done
	shift
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	[ "$rc" = "$want" ] || why+="; exit status $rc, expected $want"
	for c in "${checks[@]}"; do
		case $c in
		out=*)  grep -qE -- "${c#out=}" "$T/out" || why+="; stdout lacks /${c#out=}/" ;;
		!out=*) ! grep -qE -- "${c#!out=}" "$T/out" || why+="; stdout has /${c#!out=}/" ;;
		err=*)  grep -qE -- "${c#err=}" "$T/err" || why+="; stderr lacks /${c#err=}/" ;;
		!err=*) ! grep -qE -- "${c#!err=}" "$T/err" || why+="; stderr has /${c#!err=}/" ;;
		err1)   [ "$(wc -l <"$T/err")" -eq 1 ] || why+="; stderr is not exactly one line" ;;
		noout)  [ ! -s "$T/out" ] || why+="; stdout is not empty" ;;
		json)   python3 -m json.tool <"$T/out" >/dev/null 2>&1 || why+="; stdout is not valid JSON" ;;
		py=*)
			PY_EXPR=${c#py=} python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(os.environ["PY_EXPR"]) else 1)' "$T/out" 2>/dev/null || why+="; python: not ${c#py=}" ;;
		clean)  ! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$T/out" || why+="; raw control byte on stdout" ;;
		*)      why+="; unknown check '$c'" ;;
		esac
	done
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name: ${why#; }"
		echo "     command: $*"
		sed -n '1,12s/^/     stdout: /p' "$T/out"
		sed -n '1,6s/^/     stderr: /p' "$T/err"
	fi
}
