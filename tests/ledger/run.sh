#!/usr/bin/env bash
# The rollover ledger end to end: the real radiusd writing through rlm_sql (the shipped
# mods-available/phonecert_ledger, queries.conf, schema.sql and the policy
# phonecert_ledger_write), real eapol_test phones, a real SQLite file and a real PostgreSQL.
#
#   sqlite      one radiusd, phones through a CAPF rollover (retiring LSCs, re-enrolment to
#               the new CAPF, MIC-only phones, a phone from another cluster, a refusal by the
#               decision with hostile attributes, a TLS 1.2 resumption): the exact rows and
#               history; a database locked by another writer: answers unchanged, gap logged
#   postgresql  two radiusd writing one ledger at once: no lost update, both servers named
#   fault       PostgreSQL stopped in the middle of parallel authentications: every answer
#               right and prompt, radiusd up, the missed writes in the gap log, and the ledger
#               filling again once PostgreSQL is back
#
# usage: tests/ledger/run.sh BUILD_DIR [sqlite|postgresql|fault]...   (default: all three)
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR [sqlite|postgresql|fault]...}
shift
PARTS=${*:-sqlite postgresql fault}
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"
# shellcheck source=tests/lib/postgres.sh
source "$TOP/tests/lib/postgres.sh"

WORK=$BUILD/ledger
LPKI=$WORK/pki
PASS=0
FAIL=0
PIDS=()		# every radiusd this suite started
rm -rf "$WORK"
mkdir -p "$WORK"

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do RADIUSD_PID=$pid stop_radiusd; done
	pg_stop
}
trap cleanup EXIT

ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$1"; }
not_ok() {
	FAIL=$((FAIL + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	if [ -n "${SHOW_LOG:-}" ]; then
		printf '  --- %s (tail)\n' "$SHOW_LOG"
		tail -n 12 "$SHOW_LOG" 2>/dev/null | sed 's/^/  | /'
	fi
}
# same NAME GOT WANT: compare two texts, show the difference.
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "$(printf 'got:\n%s\nwant:\n%s' "$2" "$3")"; fi
}

fingerprint() { # the SHA-256 of a certificate, lower-case hex, as the module writes it
	openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}
serial_of() {
	openssl x509 -in "$1" -noout -serial | sed 's/.*=//' | tr 'A-F' 'a-f'
}

# The trust store of a site in the middle of a rollover: capf-a-old retiring (window open),
# capf-a the new CAPF, the manufacturing CA for MICs.  capf-c (another cluster) is not uploaded.
trust_store() {
	write_phonecert_conf "$1/phonecert/phonecert.conf" <<EOF
[policy]
mic = allow
mac_binding = enforce

[anchor capf-a]
role = lsc
file = @PKI@/capf-a.crt

[anchor capf-a-old]
role = lsc
file = @PKI@/capf-a-old.crt
state = retiring
trust_until = $(date -u -d '+7 days' +%Y-%m-%dT00:00:00Z)

[anchor manufacturing]
role = mic
file = @PKI@/mfg-int.crt
EOF
}

# server NAME DIALECT: a raddb WORK/NAME with the ledger enabled, radiusd started; sets PORT_<NAME>
# (the auth port) and RADDB_<NAME>.
server() {
	local name=$1 dialect=$2 dir=$WORK/$1/raddb port
	port=$(pick_port "${LEDGER_PORT_BASE:-18560}") || { not_ok "$name-start" "no free port"; exit 1; }
	LEDGER=$dialect LEDGER_SERVER=$name make_raddb "$dir" "$port"
	trust_store "$dir"
	if ! start_radiusd "$dir"; then
		not_ok "$name-start" "radiusd did not start"
		tail -n 20 "$dir/run/radius.log" "$dir/run/radiusd.out"
		exit 1
	fi
	PIDS+=("$RADIUSD_PID")
	printf -v "PORT_${name//-/_}" %s "$port"
	printf -v "RADDB_${name//-/_}" %s "$dir"
	printf -v "PID_${name//-/_}" %s "$RADIUSD_PID"
}

# auth SERVER PHONE MAC SWITCH [eapol_test args]: one authentication of LPKI/PHONE (or PKI/PHONE
# when PHONE is "pki:NAME") through SWITCH (a number: NAS-IP-Address 10.1.0.N, NAS-Identifier
# sw-N, NAS-Port-Id Gi1/0/N, or PORT_ID).  Appends "SERVER PHONE ACCEPT|REJECT MILLISECONDS OUT"
# to WORK/auths and prints the same.
auth() {
	local srv=$1 phone=$2 mac=$3 sw=$4 pki=$LPKI port_var out start end rc verdict
	shift 4
	case $phone in pki:*) pki=$PKI; phone=${phone#pki:} ;; esac
	port_var=PORT_${srv//-/_}
	out=$WORK/out/$srv.$phone.$BASHPID.$RANDOM
	mkdir -p "$WORK/out"
	start=$(date +%s%N)
	PKI=$pki run_phone "$phone" "$mac" "${!port_var}" "$out" \
		-N "4:x:$(printf '0a0100%02x' "$sw")" -N "32:s:sw-$sw" -N "87:s:${PORT_ID:-Gi1/0/$sw}" "$@"
	rc=$?
	end=$(date +%s%N)
	verdict=$([ $rc -eq 0 ] && echo ACCEPT || echo REJECT)
	printf '%s %s %s %d %s\n' "$srv" "$phone" "$verdict" "$(((end - start) / 1000000))" "$out" |
		tee -a "$WORK/auths"
}

# expect_auth NAME WANT SERVER PHONE MAC SWITCH [args]: auth, and its answer must be WANT.
expect_auth() {
	local name=$1 want=$2 line
	shift 2
	line=$(auth "$@")
	if [ "$(echo "$line" | cut -d' ' -f3)" = "$want" ]; then ok "$name: $want"
	else not_ok "$name" "expected $want: $line"; fi
}

# The last answers.log line of a server (the reply attributes the outer post-auth saw).
last_answer() { local v=RADDB_${1//-/_}; tail -n 1 "${!v}/run/answers.log"; }
answer_has() { # answer_has NAME SERVER FIELD=VALUE...
	local name=$1 line f
	line=$(last_answer "$2")
	shift 2
	for f in "$@"; do
		if [[ " $line " != *" $f "* ]]; then not_ok "$name" "expected $f in the outer post-auth: '$line'"; return; fi
	done
	ok "$name"
}

"$TOP/tests/ledger/pki.sh" "$PKI" "$LPKI" >"$WORK/pki.log" 2>&1 ||
	{ cat "$WORK/pki.log" >&2; echo "ledger: cannot make the phones' certificates" >&2; exit 1; }
FP_OLD=$(fingerprint "$PKI/capf-a-old.crt")
FP_NEW=$(fingerprint "$PKI/capf-a.crt")
FP_MFG=$(fingerprint "$PKI/mfg-int.crt")
: >"$WORK/auths"

# shellcheck source=tests/ledger/sqlite.sh
source "$(dirname "$0")/sqlite.sh"
# shellcheck source=tests/ledger/postgresql.sh
source "$(dirname "$0")/postgresql.sh"

for part in $PARTS; do
	case $part in
	sqlite) part_sqlite ;;
	postgresql) part_postgresql ;;
	fault) part_fault ;;
	*) echo "ledger: unknown part '$part' (sqlite, postgresql, fault)" >&2; exit 2 ;;
	esac
done

echo "# ledger: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
