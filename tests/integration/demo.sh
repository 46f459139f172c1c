#!/usr/bin/env bash
# The main job, for a newcomer: a real radiusd with rlm_phonecert on 127.0.0.1, and demo
# phones (eapol_test) presenting LSCs and MICs from a freshly generated test PKI.  Prints
# each decision, what the module logged and what the rollover ledger recorded, then stops radiusd.
#
# usage: tests/integration/demo.sh BUILD_DIR
set -uo pipefail
BUILD=${1:?usage: demo.sh BUILD_DIR}
source "$(dirname "$0")/lib.sh"

RADDB=$BUILD/demo/raddb
RUN=$RADDB/run
PORT=$(pick_port 18300)
trap stop_radiusd EXIT

# With the rollover ledger (SQLite, beside radius.log): every decision is recorded.
LEDGER=sqlite LEDGER_SERVER=demo make_raddb "$RADDB" "$PORT"
write_phonecert_conf "$RADDB/phonecert/phonecert.conf" <<EOF
[policy]
mic = allow
mac_binding = enforce
mic_vlan = 390

[anchor capf-cluster-a]
role = lsc
file = @PKI@/capf-a.crt

[anchor capf-cluster-a-2023]
role = lsc
file = @PKI@/capf-a-old.crt
state = retiring
trust_until = $(date -u -d '+30 days' +%Y-%m-%dT00:00:00Z)

[anchor cisco-manufacturing]
role = mic
file = @PKI@/mfg-int.crt
EOF

if ! start_radiusd "$RADDB"; then
	echo "demo: radiusd did not start:" >&2
	tail -n 20 "$RUN/radius.log" "$RUN/radiusd.out" >&2
	exit 1
fi
echo "radiusd $("$RADIUSD" -v | head -n 1 | sed 's/.*Version //;s/,.*//') with rlm_phonecert on 127.0.0.1:$PORT (pid $RADIUSD_PID)"
echo "trust store: $RADDB/phonecert/phonecert.conf"
echo

demo() {
	local what=$1 phone=$2 mac=$3 before answer
	touch "$RUN/answers.log"
	before=$(wc -l <"$RUN/answers.log")
	run_phone "$phone" "$mac" "$PORT" "$BUILD/demo/$phone.out"
	answer=$(tail -n +"$((before + 1))" "$RUN/answers.log" | tail -n 1)
	printf '%-44s %s\n' "$what" "${answer%% fp=*}"
}
demo "LSC phone, active CAPF" lsc-a b0:00:b4:ba:0a:ee
demo "LSC phone, CAPF before rollover (retiring)" lsc-a-old 00:a1:b2:c3:d4:e5
demo "MIC-only phone (onboarding VLAN 390)" mic-8861 2c:31:24:c9:f8:e1
demo "phone moved from another cluster" lsc-c 00:11:22:33:44:c0
demo "expired MIC" mic-expired 00:1e:7a:c3:d1:ab
demo "LSC copied to another device" lsc-a 00:11:22:33:44:55
demo "Cisco switch certificate (not a phone)" sudi-switch 00:11:22:33:44:55

echo
echo "What the module logged (radius.log):"
grep -E "rlm_phonecert" "$RUN/radius.log" | sed -E 's/^.{24} : //'

LEDGER_DB=$RUN/phonecert-ledger.sqlite
echo
echo "The rollover ledger ($LEDGER_DB): one row per device, its latest decision"
sqlite3 -header -column "$LEDGER_DB" \
	"SELECT device, kind, anchor, anchor_state AS state, reason, accepted, count, server FROM phonecert_device ORDER BY device"
echo
echo "and its history (first sightings, changes of CAPF):"
sqlite3 -header -column "$LEDGER_DB" \
	"SELECT device, old_anchor, new_anchor, reason, datetime(at, 'unixepoch') AS at FROM phonecert_history ORDER BY id"
echo
echo "The rollover report: phonecert rollover --db $LEDGER_DB --config $RADDB/phonecert/phonecert.conf"
echo "(exit status 1: the retiring CAPF still has a phone, which would be refused once its window closes)"
"$BUILD/phonecert" rollover --db "$LEDGER_DB" --config "$RADDB/phonecert/phonecert.conf" && status=0 || status=$?
[ "$status" -le 1 ] || { echo "demo: phonecert rollover failed (exit $status)" >&2; exit 1; }
