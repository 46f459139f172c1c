#!/usr/bin/env bash
# Checks are strings evaluated later (SC2016); RC is read inside them (SC2034).
# shellcheck disable=SC2016,SC2034
#
# tests/disconnect/run.sh BUILD_DIR
#
# "phonecert disconnect" end to end.  A real radiusd plays three switches' RFC 5176 listeners
# on loopback addresses (radiusd.conf.in): 127.0.0.1 and 127.0.0.2 share the command's secrets,
# 127.0.0.3 has another one (its requests are dropped: timeouts), and 127.0.0.4 has no entry in
# the command's clients file.  The switches log every request they accept and refuse two
# Calling-Station-Ids with Error-Cause 503.  A SQLite ledger from schema.sql holds phones on the
# closed anchor on those switches, phones on the new anchor, refused and MIC phones.
#
# Each check prints "ok" or "FAIL"; the script ends with "disconnect: N passed, M failed" and
# exits 1 if M > 0.  A failure prints the command, its output and the tail of radiusd's log.
#
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd -P) || exit 2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=../integration/lib.sh
. "$HERE/../integration/lib.sh"
PC=$BUILD/phonecert
[ -x "$PC" ] || { echo "$0: $PC is not built (make cli)" >&2; exit 2; }
for tool in sqlite3 python3 openssl; do
	command -v "$tool" >/dev/null || { echo "$0: $tool is needed" >&2; exit 2; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/phonecert-disconnect.XXXXXX") || exit 2
cleanup() {
	stop_radiusd
	rm -rf "$T"
}
trap cleanup EXIT

pass=0
fail=0
LAST_CMD=
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL  $1"
	fail=$((fail + 1))
	echo "      command: $LAST_CMD"
	sed 's/^/      out: /' "$T/out" | head -40
	sed 's/^/      err: /' "$T/err" | head -10
	tail -15 "$RADDB/run/radius.log" 2>/dev/null | sed 's/^/      radiusd: /'
}
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# pc ARGS...: run the command; its exit status in RC, its output in T/out and T/err.
pc() {
	LAST_CMD="$PC disconnect $*"
	"$PC" disconnect "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
}

# The requests the switches logged since the last call: "type|listener|csid|nas-ip|port|avpair|ts|msg-auth".
LOGGED=0
new_requests() {
	local log=$RADDB/run/requests.log
	: >"$T/requests"
	[ -f "$log" ] || return 0
	tail -n "+$((LOGGED + 1))" "$log" >"$T/requests"
	LOGGED=$(wc -l <"$log")
}

# py EXPR: python3 EXPR is true with d = the JSON document in T/out and by = {device: phone}.
py() {
	PY_EXPR=$1 python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
by = {p["device"]: p for s in d["switches"] for p in s["phones"]}
sys.exit(0 if eval("(" + os.environ["PY_EXPR"] + ")") else 1)' "$T/out" 2>>"$T/err"
}

# ---------------------------------------------------------------- the switches
PORT=$(pick_port 13799) || { echo "$0: no free port" >&2; exit 2; }
RADDB=$T/raddb
mkdir -p "$RADDB/run"
sed -e "s|@RUN@|$RADDB/run|g" -e "s|@RADDB@|$RADDB|g" -e "s|@LIBDIR@|$FR_LIBDIR|g" -e "s|@PORT@|$PORT|g" \
	-e "s|@SECRET1@|sw1-secret|" -e "s|@SECRET2@|sw2-secret|" -e "s|@SECRET3@|sw3-secret|" \
	-e "s/@NAK_CSID@/(00-11-22-33-01-02|00-11-22-33-02-02)/" "$HERE/radiusd.conf.in" >"$RADDB/radiusd.conf"
printf '%s %s/dictionary\n' '$INCLUDE' "$FR_DICTDIR" >"$RADDB/dictionary"
if ! start_radiusd "$RADDB"; then
	echo "$0: radiusd did not start:" >&2
	tail -20 "$RADDB/run/radius.log" "$RADDB/run/radiusd.out" >&2
	exit 1
fi

# ---------------------------------------------------------------- the command's inputs
# The secrets as the RADIUS servers' clients.conf holds them: 127.0.0.2 through a prefix,
# 127.0.0.3 with a more specific (wrong) entry, 127.0.0.4 in none.
cat >"$T/clients.conf" <<'EOF'
# Access switches of the test campus.
client sw1 {
	ipaddr = 127.0.0.1
	secret = sw1-secret
	nas_type = cisco
}
client pair {
	ipv4addr = 127.0.0.2/31		# .2 and .3
	secret = "sw2-secret"
}
$INCLUDE clients.d/
EOF
mkdir -p "$T/clients.d"
cat >"$T/clients.d/sw3.conf" <<'EOF'
client sw3 {
	ipaddr = 127.0.0.3
	secret = 'not-the-sw3-secret'
	limit {
		max_connections = 16
	}
}
EOF

# The anchor of a --config run: a CA certificate made here, its fingerprint in the ledger.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/capf.key" -out "$T/capf-old.pem" -days 30 \
	-subj "/CN=CAPF-0ld0ld00/O=test" -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || { echo "$0: openssl failed" >&2; exit 2; }
FP=$(openssl x509 -in "$T/capf-old.pem" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)
cat >"$T/phonecert.conf" <<EOF
[policy]
mic = allow
[anchor capf-old]
role = lsc
state = disabled
file = $T/capf-old.pem
EOF
rm -f "$T/capf.key"

LEDGER=$T/ledger.db
sqlite3 "$LEDGER" <"$TOP/raddb/mods-config/sql/phonecert/sqlite/schema.sql" || exit 2
OLD=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
NEW=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
NOW=$(date +%s)
row() { # device anchor fp accepted nas_ip port csid
	printf "INSERT INTO phonecert_device (device, mac, model, kind, anchor, anchor_fp, anchor_state, reason, reason_code, accepted, nas_ip, nas_id, nas_port_id, calling_station_id, server, first_seen, last_seen) VALUES ('%s', '', 'CP-8861', 'lsc', '%s', '%s', 'disabled', '%s', 0, %s, '%s', 'sw', '%s', '%s', 'radius1', %s, %s);\n" \
		"$1" "$2" "$3" "$([ "$4" = 1 ] && echo lsc-accepted || echo capf-window-closed)" "$4" "$5" "$6" "$7" "$((NOW - 7200))" "$((NOW - 600))"
}
{
	row SEP001122330101 capf-old "$OLD" 1 127.0.0.1 Gi1/0/1 00-11-22-33-01-01	# ACK
	row SEP001122330102 capf-old "$OLD" 1 127.0.0.1 Gi1/0/2 00-11-22-33-01-02	# NAK 503
	row SEP001122330201 capf-old "$OLD" 1 127.0.0.2 ''      00-11-22-33-02-01	# ACK, no port known
	row SEP001122330202 capf-old "$OLD" 1 127.0.0.2 Gi2/0/2 00-11-22-33-02-02	# NAK 503
	row SEP001122330301 capf-old "$OLD" 1 127.0.0.3 Gi3/0/1 00-11-22-33-03-01	# wrong secret: timeout
	row SEP001122330401 capf-old "$OLD" 1 127.0.0.4 Gi4/0/1 00-11-22-33-04-01	# no client: no secret
	row SEP001122330501 capf-new "$NEW" 1 127.0.0.1 Gi1/0/5 00-11-22-33-05-01	# other anchor
	row SEP001122330601 capf-old "$OLD" 0 127.0.0.1 Gi1/0/6 00-11-22-33-06-01	# refused: holds no port
	row SEP001122330701 capf-renamed "$FP" 1 127.0.0.1 Gi1/0/7 00-11-22-33-07-01	# the --config anchor
} | sqlite3 "$LEDGER" || exit 2
COMMON=(--db "$LEDGER" --clients "$T/clients.conf" --port "$PORT" --timeout 0.4 --retries 2)

# ---------------------------------------------------------------- dry run
pc "${COMMON[@]}" --anchor capf-old --dry-run
new_requests
check "dry run: exit 1 (a switch without a secret)" '[ "$RC" = 1 ]'
check "dry run: the switches received nothing" '[ ! -s "$T/requests" ]'
check "dry run: 5 phones would be sent, 1 without a secret" \
	'[ "$(grep -c "^  would-send " "$T/out")" = 5 ] && grep -q "^  no-secret  *SEP001122330401" "$T/out"'
check "dry run: phones of other anchors and refused phones are not listed" \
	'! grep -qE "SEP0011223305|SEP0011223306|SEP0011223307" "$T/out"'
check "dry run: no secret printed" '! grep -qE "sw[0-9]-secret|not-the-sw3" "$T/out" "$T/err"'

# ---------------------------------------------------------------- Disconnect-Request, JSON
pc "${COMMON[@]}" --anchor capf-old --json
new_requests
check "disconnect: exit 1 (NAK, timeout, no secret)" '[ "$RC" = 1 ]'
check "disconnect: JSON report per phone" 'py "
by[\"SEP001122330101\"][\"result\"] == \"ack\" and by[\"SEP001122330101\"][\"answer\"] == \"Disconnect-ACK\" and
by[\"SEP001122330201\"][\"result\"] == \"ack\" and
by[\"SEP001122330102\"][\"result\"] == \"nak\" and by[\"SEP001122330102\"][\"error_cause\"] == 503 and
by[\"SEP001122330102\"][\"error_cause_name\"] == \"Session-Context-Not-Found\" and
by[\"SEP001122330202\"][\"result\"] == \"nak\" and by[\"SEP001122330202\"][\"answer\"] == \"Disconnect-NAK\" and
by[\"SEP001122330301\"][\"result\"] == \"timeout\" and by[\"SEP001122330301\"][\"sent\"] == 3 and
by[\"SEP001122330401\"][\"result\"] == \"no-secret\" and by[\"SEP001122330401\"][\"sent\"] == 0 and
sorted(by) == [\"SEP001122330101\", \"SEP001122330102\", \"SEP001122330201\", \"SEP001122330202\", \"SEP001122330301\", \"SEP001122330401\"]"'
check "disconnect: JSON per switch and summary" 'py "
[(s[\"nas_ip\"], s[\"client\"]) for s in d[\"switches\"]] == [(\"127.0.0.1\", \"sw1\"), (\"127.0.0.2\", \"pair\"), (\"127.0.0.3\", \"sw3\"), (\"127.0.0.4\", None)] and
d[\"summary\"] == {\"phones\": 6, \"ack\": 2, \"nak\": 2, \"timeout\": 1, \"no-secret\": 1, \"no-switch\": 0, \"no-session\": 0, \"error\": 0, \"would-send\": 0} and
d[\"action\"] == \"disconnect\" and d[\"dry_run\"] is False"'
check "disconnect: answers were signed and verified (Message-Authenticator)" \
	'py "all(by[x][\"message_authenticator\"] for x in (\"SEP001122330101\", \"SEP001122330102\"))"'
# What the switches accepted: exactly these four requests (the 127.0.0.3 ones fail their checks).
check "disconnect: the switches received exactly the four phones' Disconnect-Requests" \
	'[ "$(cut -d"|" -f1-6 "$T/requests" | sort | tr "\n" " ")" = "Disconnect-Request|127.0.0.1|00-11-22-33-01-01|127.0.0.1|Gi1/0/1| Disconnect-Request|127.0.0.1|00-11-22-33-01-02|127.0.0.1|Gi1/0/2| Disconnect-Request|127.0.0.2|00-11-22-33-02-01|127.0.0.2|| Disconnect-Request|127.0.0.2|00-11-22-33-02-02|127.0.0.2|Gi2/0/2| " ]'
check "disconnect: each request had a Message-Authenticator and a current Event-Timestamp" \
	'[ -s "$T/requests" ] && awk -F"|" -v now="$(date +%s)" "{ if (\$8 !~ /^0x[0-9a-f]+\$/ || length(\$8) != 34 || \$7 < now - 60 || \$7 > now + 5) bad = 1 } END { exit bad }" "$T/requests"'
check "disconnect: radiusd refused the requests signed with the wrong secret" \
	'grep -q "Received packet from 127.0.0.1 with invalid Message-Authenticator" "$RADDB/run/radius.log"'

# ---------------------------------------------------------------- CoA reauthenticate, text
pc "${COMMON[@]}" --anchor capf-old --action reauth
new_requests
check "reauth: exit 1" '[ "$RC" = 1 ]'
check "reauth: the switches received CoA-Requests with Cisco's reauthenticate command" \
	'[ "$(wc -l <"$T/requests")" = 4 ] && [ "$(cut -d"|" -f1,6 "$T/requests" | sort -u)" = "CoA-Request|subscriber:command=reauthenticate" ]'
check "reauth: text report" \
	'grep -qE "^  ack +SEP001122330101 .*CoA-ACK" "$T/out" &&
	 grep -qE "^  nak +SEP001122330102 .*CoA-NAK Error-Cause 503 Session-Context-Not-Found" "$T/out" &&
	 grep -qE "^  timeout +SEP001122330301 .*no answer after 3 tries" "$T/out" &&
	 grep -qE "^  no-secret +SEP001122330401" "$T/out" &&
	 grep -qE "^switch 127.0.0.4 \(no client in .*clients.conf" "$T/out" &&
	 grep -qE "^2 acknowledged, 2 refused \(NAK\), 1 timed out, 1 without a secret" "$T/out"'
check "reports never show a secret" '! grep -qE "sw[0-9]-secret|not-the-sw3" "$T/out" "$T/err"'

# ---------------------------------------------------------------- all acknowledged
pc "${COMMON[@]}" --anchor capf-new
new_requests
check "one phone, acknowledged: exit 0" '[ "$RC" = 0 ] && grep -qE "^  ack +SEP001122330501" "$T/out"'
check "one phone: one request" '[ "$(cut -d"|" -f1,3 "$T/requests")" = "Disconnect-Request|00-11-22-33-05-01" ]'

# ---------------------------------------------------------------- --config: by fingerprint
pc "${COMMON[@]}" --anchor capf-old --config "$T/phonecert.conf" --json
new_requests
check "--config: the anchor's fingerprint selects the phones, whatever name the ledger has" \
	'[ "$RC" = 0 ] && py "sorted(by) == [\"SEP001122330701\"] and d[\"anchor_fingerprint\"] == \"$FP\""'
check "--config: one request" '[ "$(cut -d"|" -f3 "$T/requests")" = "00-11-22-33-07-01" ]'
pc "${COMMON[@]}" --anchor capf-gone --config "$T/phonecert.conf"
check "--config: an unknown anchor name is an error naming it and the file" \
	'[ "$RC" = 2 ] && [ ! -s "$T/out" ] && grep -q "phonecert.conf: no anchor named .capf-gone. (anchors: capf-old)" "$T/err"'

# ---------------------------------------------------------------- input errors
printf 'client x {\n\tipaddr = 10.0.0.1\n\tsecret = "open\n}\n' >"$T/broken.conf"
pc --db "$LEDGER" --anchor capf-old --clients "$T/broken.conf"
check "a broken clients file: exit 2 naming file and line" \
	'[ "$RC" = 2 ] && grep -q "broken.conf:3: unterminated quoted string" "$T/err" && [ ! -s "$T/out" ]'
pc --db "$LEDGER" --anchor capf-old --clients "$T/absent.conf"
check "a missing clients file: exit 2 naming it" '[ "$RC" = 2 ] && grep -q "absent.conf: No such file" "$T/err"'
pc --db "$T/absent.db" --anchor capf-old --clients "$T/clients.conf"
check "a missing ledger: exit 2" '[ "$RC" = 2 ] && grep -q "absent.db" "$T/err"'
pc --db "$LEDGER" --anchor capf-old --clients "$T/clients.conf" --action kick
check "a bad --action: exit 2" '[ "$RC" = 2 ] && grep -q "expected disconnect or reauth" "$T/err"'
pc --db "$LEDGER" --clients "$T/clients.conf"
check "no --anchor: exit 2" '[ "$RC" = 2 ] && grep -q "anchor NAME is required" "$T/err"'
pc --db "$LEDGER" --anchor capf-old --port 0
check "--port 0: exit 2" '[ "$RC" = 2 ]'
new_requests
check "input errors sent nothing" '[ ! -s "$T/requests" ]'

echo "disconnect: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
