#!/usr/bin/env bash
# Reload without restart, under load: radiusd with the module on 127.0.0.1, STRESS_CLIENTS
# eapol_test loops authenticating phones, while the trust store is reloaded again and again,
# alternately by `radmin -e "hup phonecert"` and by SIGHUP.  Some phones must be accepted
# throughout (LSC of a CAPF that stays, MIC); the others change with the reloads: a CAPF
# added, closed, disabled, removed, and broken configurations that must change nothing.
# The plan and the verdict are in plan.py; README.md explains the timing rules.
#
# usage: tests/stress/reload-under-load.sh BUILD_DIR
#   STRESS_SECONDS (60)          how long to reload under load, before the final broken SIGHUP
#   STRESS_CLIENTS (4)           parallel eapol_test loops
#   STRESS_THREADS (2 x clients) radiusd's thread pool
#   STRESS_INTERVAL (3)          seconds between reloads (FreeRADIUS needs 3: README.md)
#   STRESS_PORT_BASE (19000)     first port tried
#   VALGRIND=helgrind|memcheck   run radiusd under valgrind (tests/integration/lib.sh)
set -uo pipefail
BUILD=${1:?usage: reload-under-load.sh BUILD_DIR}
STRESS_DIR=$(cd "$(dirname "$0")" && pwd)
source "$STRESS_DIR/../integration/lib.sh"

SECONDS_TOTAL=${STRESS_SECONDS:-60}
CLIENTS=${STRESS_CLIENTS:-4}
THREADS=${STRESS_THREADS:-$((2 * CLIENTS))}
INTERVAL=${STRESS_INTERVAL:-3}
PLAN=$STRESS_DIR/plan.py
WORK=$BUILD/stress
RADDB=$WORK/raddb
RUN=$RADDB/run
LOG=$RUN/radius.log
CONF=$RADDB/phonecert/phonecert.conf
PORT=$(pick_port "${STRESS_PORT_BASE:-19000}")

now() { echo "$EPOCHREALTIME"; }
whole() { echo "${1%.*}"; }

rm -rf "$WORK"
mkdir -p "$WORK/clients"
CLIENT_PIDS=()
cleanup() {
	touch "$WORK/stop"
	local pid
	for pid in "${CLIENT_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	stop_radiusd
}
trap cleanup EXIT

# The radiusd process must be the same one throughout: checked between every step.
ALIVE=alive
check_alive() {
	if [ "$ALIVE" = alive ] && ! kill -0 "$RADIUSD_PID" 2>/dev/null; then
		ALIVE="DEAD (pid $RADIUSD_PID gone at +$(awk -v a="$(now)" -v b="$T0" 'BEGIN{printf "%.1f", a-b}')s)"
		echo "reload-under-load: radiusd died; radius.log:" >&2
		tail -n 20 "$LOG" >&2
	fi
	[ "$ALIVE" = alive ]
}
# sleep_until EPOCH: wait, watching radiusd.
sleep_until() {
	while awk -v a="$(now)" -v b="$1" 'BEGIN{exit !(a < b)}'; do
		check_alive || return 1
		sleep 0.1
	done
}

# client ID: authenticate phones in turn until told to stop; one line per attempt.
client() {
	local id=$1 out=$WORK/clients/$1.tsv i=$1 phone mac start rc
	local -a phones macs
	while read -r phone mac; do phones+=("$phone"); macs+=("$mac"); done < <("$PLAN" phones)
	while [ ! -e "$WORK/stop" ]; do
		phone=${phones[i % ${#phones[@]}]}
		mac=${macs[i % ${#phones[@]}]}
		i=$((i + 1))
		start=$(now)
		run_phone "$phone" "$mac" "$PORT" "$WORK/clients/$id.$phone.out"
		rc=$?
		printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$phone" "$start" "$(now)" "$rc" >>"$out"
	done
}

LAST_CONFIRM=0
LAST_SIGHUP=0
INDEX=0
# reload STATE BROKEN MECHANISM: write STATE's configuration, ask radiusd to reload by
# MECHANISM (radmin|sighup), and wait for radiusd to say it reloaded or refused.
reload() {
	local name=$1 broken=$2 mechanism=$3 begin offset outcome=unconfirmed why="" confirm deadline new
	# FreeRADIUS 3.2.1 ignores, silently, a module HUP within 2 whole seconds of the last
	# one, and a SIGHUP within 5 whole seconds of the last SIGHUP: count from the moment
	# the previous one was seen done, which is no earlier than radiusd's own clock read.
	local earliest=$(($(whole "$LAST_CONFIRM") + INTERVAL))
	[ "$mechanism" = sighup ] && [ $(($(whole "$LAST_SIGHUP") + 6)) -gt "$earliest" ] &&
		earliest=$(($(whole "$LAST_SIGHUP") + 6))
	sleep_until "$earliest" || return 1
	INDEX=$((INDEX + 1))
	begin=$(now)
	offset=$(stat -c %s "$LOG")
	"$PLAN" conf "$name" "$PKI" >"$CONF.tmp" && mv "$CONF.tmp" "$CONF"
	if [ "$mechanism" = radmin ]; then
		radmin -f "$RUN/control.sock" -e "hup phonecert" >"$WORK/radmin.out" 2>&1
	else
		kill -HUP "$RADIUSD_PID"
	fi
	deadline=$(awk -v a="$begin" -v s="$IT_SLOW" 'BEGIN{printf "%.1f", a + 10 * s}')
	while check_alive && awk -v a="$(now)" -v b="$deadline" 'BEGIN{exit !(a < b)}'; do
		new=$(tail -c +"$((offset + 1))" "$LOG")
		if grep -q 'Reloaded module "phonecert"' <<<"$new"; then
			outcome=reloaded
		elif grep -q 'HUP failed for module "phonecert"' <<<"$new"; then
			outcome=refused
			# The reason: the module's error line (workers may log between it and "HUP failed").
			why=$(grep ' : Error: ' <<<"$new" | grep -v 'HUP failed' | grep -m1 'phonecert\.conf' | sed 's/^.* : Error: //')
			[ -n "$why" ] || why=$(grep ' : Error: ' <<<"$new" | grep -v 'HUP failed' | head -n 1 | sed 's/^.* : Error: //')
		elif grep -qE 'Ignoring HUP|HUP - No files changed|HUP - Last HUP was too recent|HUP - Cannot read' <<<"$new"; then
			why=$(grep -E 'Ignoring HUP|HUP - ' <<<"$new" | head -n 1 | sed 's/^.* : Info: //')
			break
		fi
		[ "$outcome" != unconfirmed ] && break
		sleep 0.05
	done
	confirm=$(now)
	[ "$outcome" = unconfirmed ] && [ -z "$why" ] && why="radiusd said nothing within $((10 * IT_SLOW)) s"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$INDEX" "$mechanism" "$name" "$broken" "$begin" "$confirm" \
		"$outcome" "$why" >>"$WORK/reloads.tsv"
	printf '  reload %3d at +%5.1fs %-6s %-20s %s%s\n' "$INDEX" "$(awk -v a="$begin" -v b="$T0" 'BEGIN{print a-b}')" \
		"$mechanism" "$name" "$outcome" "${why:+: $why}"
	LAST_CONFIRM=$confirm
	[ "$mechanism" = sighup ] && LAST_SIGHUP=$confirm
	check_alive
}

echo "# reload-under-load: radiusd $("$RADIUSD" -v | head -n 1 | sed 's/.*Version //'), port $PORT," \
	"$CLIENTS clients, $THREADS threads, ${SECONDS_TOTAL}s, a reload every ${INTERVAL}s${VALGRIND:+, under valgrind $VALGRIND}"
make_raddb "$RADDB" "$PORT" "$THREADS"
"$PLAN" conf base "$PKI" >"$CONF"
if ! start_radiusd "$RADDB"; then
	echo "reload-under-load: radiusd did not start" >&2
	tail -n 20 "$RUN/radiusd.out" "$LOG" >&2
	exit 1
fi
T0=$(now)
LAST_CONFIRM=$T0
printf '0\tstart\tbase\t0\t%s\t%s\treloaded\t\n' "$T0" "$T0" >"$WORK/reloads.tsv"

for c in $(seq 1 "$CLIENTS"); do
	client "$c" &
	CLIENT_PIDS+=($!)
done

mapfile -t CYCLE < <("$PLAN" schedule)
END=$(awk -v a="$T0" -v s="$SECONDS_TOTAL" 'BEGIN{printf "%.1f", a + s}')
step=0
while check_alive && awk -v a="$(now)" -v b="$END" 'BEGIN{exit !(a < b)}'; do
	read -r name broken <<<"${CYCLE[step % ${#CYCLE[@]}]}"
	# radmin at even steps, SIGHUP at odd ones; a broken configuration always by radmin
	# (README.md: after a refused SIGHUP reload, FreeRADIUS 3.2.1 stops watching the file).
	mechanism=radmin
	[ $((step % 2)) -eq 1 ] && [ "$broken" = 0 ] && mechanism=sighup
	reload "$name" "$broken" "$mechanism" || break
	step=$((step + 1))
done

# The last reload: a broken configuration by SIGHUP, then one more window of load, judged
# against the state before it.
check_alive && reload "$("$PLAN" final)" 1 sighup
check_alive && sleep_until "$(awk -v a="$(now)" -v i="$INTERVAL" 'BEGIN{printf "%.1f", a + 2 * i}')"
now >"$WORK/end"
touch "$WORK/stop"
for pid in "${CLIENT_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
CLIENT_PIDS=()
check_alive
# A full re-read after the refused SIGHUP (FreeRADIUS's fallback) is worth seeing in the output.
if grep -q "HUP - Re-reading configuration files" "$LOG"; then
	echo "  note: after the refused SIGHUP reload FreeRADIUS re-read its whole configuration (README.md)"
fi
if grep -qE "Segmentation|talloc abort|Exiting due to internal error|CAUGHT SIGNAL" "$LOG" "$RUN/radiusd.out"; then
	ALIVE="crashed: $(grep -hE "Segmentation|talloc abort|internal error|CAUGHT SIGNAL" "$LOG" "$RUN/radiusd.out" | head -n 1)"
fi
echo "$ALIVE" >"$WORK/alive"
stop_radiusd
"$PLAN" judge "$WORK"
