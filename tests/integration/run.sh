#!/usr/bin/env bash
# Integration tests: the real radiusd (Debian's freeradius 3.2) on 127.0.0.1 with the
# project's raddb and the module from the build directory; the real eapol_test as the phone.
# Every case asserts Access-Accept/Reject, the reply attributes, and the reason in the log,
# and (when the CLI is built) that `phonecert check` makes the same decision.
#
# usage: tests/integration/run.sh BUILD_DIR
#   IT_PORT_BASE (18120)   first port tried
#   IT_ONLY=FILE           only the cases of tests/integration/FILE.sh (attacks, redteam,
#                          revocation), after the start they share: while working on them
#   VALGRIND=memcheck      every radiusd under valgrind (lib.sh; make test-memcheck)
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR}
source "$(dirname "$0")/lib.sh"

WORK=$BUILD/it
RADDB=$WORK/raddb
RUN=$RADDB/run
CONF=$RADDB/phonecert/phonecert.conf
PORT=$(pick_port "${IT_PORT_BASE:-18120}")
CLI=$BUILD/phonecert
PASS=0
FAIL=0
SKIP=0
mkdir -p "$WORK"
trap 'stop_radiusd; [ -n "${RELAY_PID:-}" ] && kill "$RELAY_PID" 2>/dev/null' EXIT

now_plus() { date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ; }

# The standard trust store: cluster A's CAPF and its retiring predecessor, cluster B's CAPF
# (disabled), the enterprise CA of CAPF's online-CA mode, the manufacturing intermediate,
# and the SHA-1 manufacturing CA of the legacy phones.
standard_conf() {
	write_phonecert_conf "$CONF" <<EOF
[policy]
mic = ${MIC:-allow}
mic_until = ${MIC_UNTIL:-none}
mac_binding = ${MAC_BINDING:-enforce}
reply_profile = ${REPLY_PROFILE:-cisco}
lsc_vlan = ${LSC_VLAN:-none}
mic_vlan = ${MIC_VLAN:-none}
legacy = ${LEGACY:-no}

[anchor capf-a]
role = lsc
file = @PKI@/capf-a.crt

[anchor capf-a-old]
role = lsc
file = @PKI@/capf-a-old.crt
state = retiring
trust_until = ${OLD_UNTIL:-$(now_plus 86400)}

[anchor capf-b]
role = lsc
file = @PKI@/capf-b.crt
state = ${CAPF_B_STATE:-disabled}

[anchor enterprise-ca]
role = lsc
file = @PKI@/ent-ca.crt

[anchor manufacturing]
role = mic
file = @PKI@/mfg-int.crt

[anchor manufacturing-legacy]
role = mic
file = @PKI@/legacy-int.crt
EOF
}

ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$1"; }
not_ok() {
	FAIL=$((FAIL + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	printf '  --- radius.log (tail)\n'; tail -n 15 "$RUN/radius.log" 2>/dev/null | sed 's/^/  | /'
	[ -f "${LAST_OUT:-}" ] && { printf '  --- eapol_test (tail)\n'; tail -n 5 "$LAST_OUT" | sed 's/^/  | /'; }
	printf '  --- reproduce: radiusd -X -d %s & %s\n' "$RADDB" "${LAST_CMD:-}"
}

LAST_RELOAD=0
# Reload the module through radmin and wait until radiusd has reloaded it (or refused).
reload() {
	local before i
	# FreeRADIUS silently ignores a HUP of a module within 2 s (whole seconds) of the last one.
	while [ $(($(date +%s) - LAST_RELOAD)) -lt 3 ]; do sleep 0.2; done
	before=$(grep -cE 'Reloaded module "phonecert"|HUP failed for module "phonecert"' "$RUN/radius.log")
	radmin -f "$RUN/control.sock" -e "hup phonecert" >"$RUN/radmin.out" 2>&1
	LAST_RELOAD=$(date +%s)
	for i in $(seq 1 $((50 * IT_SLOW))); do
		[ "$(grep -cE 'Reloaded module "phonecert"|HUP failed for module "phonecert"' "$RUN/radius.log")" -gt "$before" ] && return 0
		sleep 0.1
	done
	echo "reload: radiusd did not report reloading phonecert" >&2
}

# expect NAME PHONE MAC ACCEPT|REJECT REASON [field=value ...] [--log TEXT] [--eapol ARGS...]
expect() {
	local name=$1 phone=$2 mac=$3 want=$4 reason=$5
	shift 5
	local checks=() logs=() eapol_args=()
	while [ $# -gt 0 ]; do
		case $1 in
		--log) logs+=("$2"); shift 2 ;;
		--eapol) shift; eapol_args=("$@"); break ;;
		*) checks+=("$1"); shift ;;
		esac
	done

	if unreadable "$phone"; then
		SKIP=$((SKIP + 1))
		printf 'skip %s: %s cannot read %s.crt (PKI/unreadable), nor can eapol_test or radiusd linked with it\n' \
			"$name" "$(openssl version | cut -d' ' -f1,2)" "$phone"
		return
	fi
	local out=$WORK/$name.out before got line rc field
	touch "$RUN/answers.log"
	before=$(wc -l <"$RUN/answers.log")
	local logbefore
	logbefore=$(wc -l <"$RUN/radius.log")
	LAST_OUT=$out
	LAST_CMD="eapol_test -c $out.conf -a 127.0.0.1 -p $PORT -s $SECRET -M $mac ${eapol_args[*]}"
	run_phone "$phone" "$mac" "$PORT" "$out" "${eapol_args[@]}"
	rc=$?
	got=$( [ $rc -eq 0 ] && echo ACCEPT || echo REJECT)
	line=$(tail -n +"$((before + 1))" "$RUN/answers.log" 2>/dev/null | tail -n 1)

	if [ "$got" != "$want" ]; then not_ok "$name" "eapol_test says $got, expected $want; radiusd's answer line is '$line'"; return; fi
	case $line in "$want "*) ;; *) not_ok "$name" "radiusd's answer line is '$line'"; return ;; esac
	if [[ " $line " != *" reason=$reason "* ]]; then not_ok "$name" "expected reason=$reason in '$line'"; return; fi
	for field in "${checks[@]}"; do
		case $field in
		"~"*) [[ $line =~ ${field#\~} ]] || { not_ok "$name" "expected /${field#\~}/ in '$line'"; return; } ;;
		*) [[ " $line " == *" $field "* ]] || { not_ok "$name" "expected $field in '$line'"; return; } ;;
		esac
	done
	local text
	for text in "${logs[@]}"; do
		if ! tail -n +"$((logbefore + 1))" "$RUN/radius.log" | grep -qF -- "$text"; then
			not_ok "$name" "radius.log lacks '$text'"
			return
		fi
	done
	if [ "$want" = REJECT ] && ! tail -n +"$((logbefore + 1))" "$RUN/radius.log" | grep -qE "REJECT reason=$reason\([0-9]+\).*Advice: "; then
		not_ok "$name" "radius.log lacks the one-line reject with reason=$reason and advice"
		return
	fi
	cli_agrees "$name" "$phone" "$mac" "$reason" || return
	ok "$name"
}

# The CLI must reach the module's decision on the same certificate and configuration.
cli_agrees() {
	local name=$1 phone=$2 mac=$3 reason=$4 cli_reason
	[ -x "$CLI" ] || return 0
	[ -n "${NO_CLI_CHECK:-}" ] && return 0
	cli_reason=$("$CLI" check --json --config "$CONF" --calling-station-id "$mac" "$PKI/$phone.chain.pem" 2>&1 |
		python3 -c 'import json,sys
d=json.load(sys.stdin)
d=d[0] if isinstance(d,list) else d
print(d.get("reason",""))' 2>/dev/null)
	if [ "$cli_reason" != "$reason" ]; then
		not_ok "$name" "phonecert check says reason '$cli_reason', the module '$reason'"
		return 1
	fi
	return 0
}

start() {
	if ! start_radiusd "$RADDB"; then
		not_ok "radiusd-start" "radiusd did not start"
		cat "$RUN/radiusd.out" "$RUN/radius.log" 2>/dev/null | tail -n 20
		exit 1
	fi
	# Loading the module counts as its last HUP: FreeRADIUS ignores a reload within 2 s of it.
	LAST_RELOAD=$(date +%s)
}

echo "# integration: radiusd $("$RADIUSD" -v | head -n 1 | sed 's/.*Version //'), eapol_test, port $PORT"
make_raddb "$RADDB" "$PORT"
standard_conf
start

if [ -n "${IT_ONLY:-}" ]; then
	case $IT_ONLY in
	attacks | redteam | revocation) source "$IT_DIR/$IT_ONLY.sh" ;;
	*) echo "run.sh: IT_ONLY=$IT_ONLY: not attacks, redteam or revocation" >&2; exit 2 ;;
	esac
	stop_radiusd
	echo "integration ($IT_ONLY only): $PASS passed, $FAIL failed$([ "$SKIP" -eq 0 ] || echo ", $SKIP skipped")"
	[ "$FAIL" -eq 0 ]
	exit
fi

# ------------------------------------------------------------------ LSC
expect lsc-active lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted kind=LSC anchor=capf-a state=active \
	device=SEPB000B4BA0AEE mac=B0:00:B4:BA:0A:EE model=CP-8861 avpair=device-traffic-class=voice
expect lsc-ec-bare-name lsc-a-ec 00:1e:7a:c3:d1:ab ACCEPT lsc-accepted device=SEP001E7AC3D1AB anchor=capf-a
expect lsc-enterprise-ca lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted anchor=enterprise-ca
expect lsc-retiring lsc-a-old 00:a1:b2:c3:d4:e5 ACCEPT lsc-retiring-accepted anchor=capf-a-old state=retiring \
	--log "ACCEPT (flagged) reason=lsc-retiring-accepted" --log "deadline=20"
expect lsc-disabled-capf lsc-b b0:00:b4:ba:0a:ef REJECT capf-disabled anchor=capf-b
expect lsc-other-cluster lsc-c 00:11:22:33:44:c0 REJECT capf-not-uploaded \
	--log "LSC issued by CAPF-0badc0de, which is not uploaded" --log "Upload that cluster's CAPF certificate"
expect lsc-rogue-same-name lsc-rogue b0:00:b4:ba:0a:ee REJECT capf-key-mismatch
expect lsc-rogue-same-ski lsc-rogue-ski b0:00:b4:ba:0a:ee REJECT signature-invalid
expect lsc-expired lsc-expired 00:11:22:33:44:a1 REJECT cert-expired
expect mac-mismatch lsc-a 00:11:22:33:44:55 REJECT mac-mismatch --log "certificate MAC B0:00:B4:BA:0A:EE, Calling-Station-Id 00:11:22:33:44:55"

# ------------------------------------------------------------------ MIC
expect mic-accept mic-8861 2c:31:24:c9:f8:e1 ACCEPT mic-accepted kind=MIC anchor=manufacturing \
	device=SEP2C3124C9F8E1 avpair=device-traffic-class=voice
expect mic-sends-intermediate mic-8861-fullchain 2c:31:24:c9:f8:e2 ACCEPT mic-accepted anchor=manufacturing
expect mic-expired mic-expired 00:1e:7a:c3:d1:ab REJECT mic-expired --log "install an LSC"
expect sudi-switch-not-phone sudi-switch 00:11:22:33:44:55 REJECT not-a-phone
# An old phone's TLS stack signs with SHA-1; eapol_test's own OpenSSL must be told to allow it.
LEGACY_PHONE='openssl_ciphers=DEFAULT@SECLEVEL=0'
EAPOL_GLOBAL=$LEGACY_PHONE expect mic-legacy-sha1-refused mic-legacy 00:1e:7a:c3:d1:ac REJECT weak-signature

# ------------------------------------------------------------------ hostile certificates
expect hostile-nul-cn host-nul-cn 00:11:22:33:44:55 REJECT malformed-certificate
expect hostile-two-cn host-two-cn 00:11:22:33:44:66 REJECT malformed-certificate
expect hostile-long-cn host-long-cn 00:11:22:33:44:88 REJECT malformed-certificate
expect hostile-non-ascii host-nonascii 00:11:22:33:44:99 REJECT malformed-certificate
expect hostile-lowercase-sep host-lower-sep 00:11:22:33:44:aa REJECT not-a-phone
expect hostile-short-mac host-short-mac 00:11:22:33:44:55 REJECT not-a-phone
expect hostile-leaf-is-ca host-leaf-ca 00:11:22:33:44:b1 REJECT leaf-is-ca
expect hostile-no-ski-aki host-no-ski-aki 00:11:22:33:44:b2 REJECT malformed-certificate
expect hostile-big-serial host-big-serial 00:11:22:33:44:b3 REJECT malformed-certificate
expect hostile-rsa1024 host-rsa1024 00:11:22:33:44:b4 REJECT weak-key
expect hostile-not-yet-valid host-future 00:11:22:33:44:b5 REJECT cert-not-yet-valid
expect hostile-deep-chain host-deep 00:11:22:33:44:b6 REJECT chain-too-deep
expect hostile-unuploaded-ca host-via-unuploaded 00:11:22:33:44:b7 REJECT issuer-unknown
expect hostile-wrong-eku host-wrong-eku 00:11:22:33:44:b8 REJECT bad-key-purpose

# ------------------------------------------------------------------ attacks (attacks.sh)
source "$IT_DIR/attacks.sh"
source "$IT_DIR/redteam.sh"
source "$IT_DIR/revocation.sh"

# ------------------------------------------------------------------ TLS session resumption
expect resumption-tls12 lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted --eapol -r 1
if [ "$(tail -n 2 "$RUN/answers.log" | grep -c 'ACCEPT user=lsc-a .*reason=lsc-accepted')" = 2 ] &&
	grep -q "resumed=1" "$WORK/resumption-tls12.out"; then
	ok resumption-tls12-decided-twice
else
	not_ok resumption-tls12-decided-twice "expected two decisions, the second on a resumed session"
fi

# Resumption across a policy change: the old CAPF's window closes between the first
# handshake and the resumption; the resumed session must get today's decision.
RELAY_PORT=$(pick_port $((PORT + 40)))
rm -f "$WORK/paused" "$WORK/resume"
python3 "$IT_DIR/relay.py" "$RELAY_PORT" "$PORT" "$WORK/paused" "$WORK/resume" 1 &
RELAY_PID=$!
sleep 0.3
before=$(wc -l <"$RUN/answers.log")
eapol_conf "$WORK/resume-policy.out.conf" lsc-a-old
timeout 60 "$EAPOL_TEST" -c "$WORK/resume-policy.out.conf" -a 127.0.0.1 -p "$RELAY_PORT" -s "$SECRET" \
	-M 00:a1:b2:c3:d4:e5 -r 1 -t 40 >"$WORK/resume-policy.out" 2>&1 &
EAPOL_PID=$!
for _ in $(seq 1 200); do [ -f "$WORK/paused" ] && break; sleep 0.1; done
OLD_UNTIL=$(now_plus -60) standard_conf
reload
touch "$WORK/resume"
wait "$EAPOL_PID"
kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null; RELAY_PID=
answers=$(tail -n +"$((before + 1))" "$RUN/answers.log")
if [ "$(grep -c 'ACCEPT user=lsc-a-old .*reason=lsc-retiring-accepted' <<<"$answers")" = 1 ] &&
	[ "$(grep -c 'REJECT user=lsc-a-old .*reason=capf-window-closed' <<<"$answers")" = 1 ] &&
	grep -q "resumed=1" "$WORK/resume-policy.out"; then
	ok resumption-after-window-closed
else
	LAST_OUT=$WORK/resume-policy.out
	not_ok resumption-after-window-closed "answers were: $answers"
fi

# ------------------------------------------------------------------ policy changes, by reload
expect window-closed lsc-a-old 00:a1:b2:c3:d4:e5 REJECT capf-window-closed --log "re-enrol"

MIC=deny standard_conf; reload
expect mic-denied mic-8861 2c:31:24:c9:f8:e1 REJECT mic-denied
MIC_UNTIL=$(now_plus -3600) standard_conf; reload
expect mic-cutoff-passed mic-8861 2c:31:24:c9:f8:e1 REJECT mic-cutoff-passed
MIC_UNTIL=$(now_plus 86400) standard_conf; reload
expect mic-before-cutoff mic-8861 2c:31:24:c9:f8:e1 ACCEPT mic-accepted "~deadline=[A-Z][a-z]+ [0-9]"
MAC_BINDING=log standard_conf; reload
expect mac-mismatch-logged lsc-a 00:11:22:33:44:55 ACCEPT lsc-accepted --log "mac-mismatch: certificate MAC B0:00:B4:BA:0A:EE"
MAC_BINDING=off standard_conf; reload
expect mac-binding-off lsc-a 00:11:22:33:44:55 ACCEPT lsc-accepted
LSC_VLAN=110 MIC_VLAN=390 standard_conf; reload
expect vlan-lsc lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted vlan=110 tunnel=VLAN avpair=device-traffic-class=voice
expect vlan-mic-onboarding mic-8861 2c:31:24:c9:f8:e1 ACCEPT mic-accepted vlan=390
REPLY_PROFILE=aruba-cx standard_conf; reload
expect reply-aruba-cx lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted aruba=1 avpair=
CAPF_B_STATE=active standard_conf; reload
expect capf-enabled-by-reload lsc-b b0:00:b4:ba:0a:ef ACCEPT lsc-accepted anchor=capf-b

# A rollover window that closes by the clock, with no reload: the old CAPF leaves ca_path (the
# next decision notices) and its phones are refused from the deadline on.
CAPF_HASH=$(openssl x509 -noout -subject_hash -in "$PKI/capf-a-old.crt")
DEADLINE=$(($(date +%s) + 20))
CAPF_B_STATE=active OLD_UNTIL=$(date -u -d "@$DEADLINE" +%Y-%m-%dT%H:%M:%SZ) standard_conf; reload
expect window-open-before-deadline lsc-a-old 00:a1:b2:c3:d4:e5 ACCEPT lsc-retiring-accepted
files_before=$(ls "$RADDB/phonecert/ca.d" | grep -c "^$CAPF_HASH\.")
while [ "$(date +%s)" -le "$DEADLINE" ]; do sleep 0.5; done
expect window-closed-by-clock lsc-a-old 00:a1:b2:c3:d4:e5 REJECT capf-window-closed anchor=capf-a-old
expect window-closed-active-unaffected lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted
files_after=$(ls "$RADDB/phonecert/ca.d" | grep -c "^$CAPF_HASH\.")
if [ "$files_before" = 2 ] && [ "$files_after" = 1 ] && grep -q "a rollover window closed: ca_path and the trusted anchors updated" "$RUN/radius.log"; then
	ok "window-closed-by-clock-leaves-ca-path (files for the CAPF name: $files_before, then $files_after)"
else
	not_ok window-closed-by-clock-leaves-ca-path "files for the CAPF name: $files_before, then $files_after"
fi

# Confirming a reload: phonecert status compares what radiusd loaded with the files on disk.
CAPF_B_STATE=active standard_conf; reload
if "$CLI" status --config "$CONF" >"$WORK/status-1.out" 2>&1 && grep -q "^in force: generation" "$WORK/status-1.out"; then
	ok status-in-force-after-reload
else
	not_ok status-in-force-after-reload "$(cat "$WORK/status-1.out")"
fi
CAPF_B_STATE=active MIC=deny standard_conf
"$CLI" status --config "$CONF" >"$WORK/status-2.out" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "^NOT loaded yet" "$WORK/status-2.out"; then
	ok status-not-loaded-before-reload
else
	not_ok status-not-loaded-before-reload "exit $rc: $(cat "$WORK/status-2.out")"
fi
CAPF_B_STATE=active standard_conf

# A broken reload is refused and the previous state keeps serving.
standard_conf
printf '[anchor broken]\nrole = lsc\nfile = %s/lsc-a.crt\n' "$PKI" >>"$CONF"
reload
if grep -q "not a CA certificate" "$RUN/radius.log" && grep -q "Using old configuration" "$RUN/radius.log" &&
	kill -0 "$RADIUSD_PID" 2>/dev/null; then
	ok reload-broken-config-refused
else
	not_ok reload-broken-config-refused "no refusal naming the file in radius.log"
fi
NO_CLI_CHECK=1 expect reload-kept-previous-state lsc-b b0:00:b4:ba:0a:ef ACCEPT lsc-accepted anchor=capf-b

# A CAPF removed from the configuration is refused at once, though OpenSSL may still cache it.
standard_conf
sed -i '/^\[anchor capf-b\]/,/^state/d' "$CONF"
reload
expect capf-removed-by-reload lsc-b b0:00:b4:ba:0a:ef REJECT capf-not-uploaded
stop_radiusd

# Rollover upload: the regenerated CAPF has the same name as one OpenSSL has already looked up
# and cached.  Start trusting only capf-a, let a handshake cache it, then upload capf-a-old
# (same subject, other key) and reload: its phones must be admitted without a restart.
standard_conf
sed -i '/^\[anchor capf-a-old\]/,/^trust_until/d' "$CONF"
start
expect same-name-before-upload lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted anchor=capf-a
standard_conf
reload
expect same-name-capf-uploaded-by-reload lsc-a-old 00:a1:b2:c3:d4:e5 ACCEPT lsc-retiring-accepted anchor=capf-a-old
stop_radiusd

# ------------------------------------------------------------------ startup refusals
startup_refused() {
	local name=$1 text=$2
	if "${RADIUSD_RUN[@]}" -C -d "$RADDB" -l stdout >"$WORK/$name.check" 2>&1; then
		not_ok "$name" "radiusd -C accepted the configuration"
	elif ! grep -qF -- "$text" "$WORK/$name.check"; then
		not_ok "$name" "radiusd -C did not say '$text': $(tail -n 3 "$WORK/$name.check")"
	else
		ok "$name"
	fi
}
standard_conf
sed -i "s|file = $PKI/capf-a.crt|file = $PKI/missing.crt|" "$CONF"
startup_refused startup-missing-file "missing.crt: cannot read"
standard_conf
sed -i "s|file = $PKI/capf-b.crt|file = $PKI/notca.crt|" "$CONF"
startup_refused startup-not-a-ca "notca.crt: not a CA certificate"
standard_conf
sed -i "s|^trust_until = .*|trust_until = 2026-02-30|" "$CONF"
startup_refused startup-bad-time "trust_until: cannot parse time '2026-02-30'"
standard_conf
sed -i "s|file = $PKI/capf-b.crt|file = $PKI/capf-a.crt|" "$CONF"
startup_refused startup-duplicate "duplicate of anchor 'capf-a'"
standard_conf
sed -i 's|ca_path = ${confdir}/phonecert/ca.d|ca_path = ${confdir}/phonecert/ca.d\n\t\tca_file = /etc/ssl/certs/ca-certificates.crt|' "$RADDB/mods-available/eap-phonecert"
startup_refused startup-eap-trusts-more "ca_file = \"/etc/ssl/certs/ca-certificates.crt\" makes EAP-TLS trust"
make_raddb "$RADDB" "$PORT"
standard_conf

# ------------------------------------------------------------------ legacy profile
sed -i -e 's|tls_min_version = "1.2"|tls_min_version = "1.0"|' -e 's|cipher_list = "DEFAULT"|cipher_list = "DEFAULT@SECLEVEL=0"|' \
	"$RADDB/mods-available/eap-phonecert"
LEGACY=yes standard_conf
start
EAPOL_GLOBAL=$LEGACY_PHONE expect legacy-mic-sha1 mic-legacy 00:1e:7a:c3:d1:ac ACCEPT mic-accepted anchor=manufacturing-legacy
# A TLS 1.0-only phone.  eapol_test's OpenSSL offers TLS 1.0 only at security level 0 (Debian
# 13's refuses to, "no protocols available", otherwise), as an old phone's own TLS stack does.
TLS10_PHONE='phase1="tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=1"'
EAPOL_GLOBAL=$LEGACY_PHONE EAPOL_EXTRA=$TLS10_PHONE NO_CLI_CHECK=1 \
	expect legacy-tls10-phone lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted
stop_radiusd
make_raddb "$RADDB" "$PORT"
standard_conf
start
EAPOL_GLOBAL=$LEGACY_PHONE EAPOL_EXTRA=$TLS10_PHONE NO_CLI_CHECK=1 \
	expect old-tls-refused lsc-a b0:00:b4:ba:0a:ee REJECT old-tls
stop_radiusd

# ------------------------------------------------------------------ lifecycle warnings
# An anchor expiring in 30 days (WARNING) and the shipped Cisco Manufacturing CA, which depends
# on Cisco Root CA 2048 (a note: it ends 2029-05-14): logged at start and again at a reload.
lifecycle_conf() {
	standard_conf
	printf '\n[anchor capf-soon]\nrole = lsc\nfile = %s\n\n[anchor cisco-mfg]\nrole = mic\nfile = %s\n' \
		"$PKI/capf-soon.crt" "$RADDB/phonecert/manufacturing/Cisco_Manufacturing_CA.pem" >>"$CONF"
}
lifecycle_logged() {	# lifecycle_logged COUNT: both findings logged COUNT times
	local soon root
	soon=$(grep -c "lifecycle WARNING (expiring, $PKI/capf-soon.crt): capf-soon expires .* (in [0-9]* days)" "$RUN/radius.log")
	root=$(grep -c "lifecycle note (cisco-root-2048, .*Cisco_Manufacturing_CA.pem): cisco-mfg depends on Cisco Root CA 2048 .*2029-05-14T20:25:42Z" "$RUN/radius.log")
	[ "$soon" = "$1" ] && [ "$root" = "$1" ] || { echo "expiring logged $soon times, Cisco Root CA 2048 $root times (want $1)"; return 1; }
}
make_raddb "$RADDB" "$PORT"
lifecycle_conf
start
if why=$(lifecycle_logged 1); then ok lifecycle-logged-at-start; else not_ok lifecycle-logged-at-start "$why"; fi
reload
if why=$(lifecycle_logged 2) && grep -q 'Reloaded module "phonecert"' "$RUN/radius.log"; then
	ok lifecycle-logged-at-reload
else
	not_ok lifecycle-logged-at-reload "${why:-no reload}"
fi
stop_radiusd

# ------------------------------------------------------------------ TLS 1.3
# TLS 1.3 with the session cache enabled would let a resumed session reach check-eap-tls
# without the certificate: the module refuses to start, naming both settings and the file.
# (A reload runs the same check, but a reload cannot change the eap module's configuration.)
make_raddb "$RADDB" "$PORT"
standard_conf
sed -i 's|tls_max_version = "1.2"|tls_max_version = "1.3"|' "$RADDB/mods-available/eap-phonecert"
startup_refused tls13-with-cache-refused 'tls_max_version = "1.3" and '"$RADDB"'/mods-enabled/eap['
if grep -qE 'mods-enabled/eap\[[0-9]+\]: cache \{ enable = yes \}: TLS 1.3 with session resumption.*set enable = no' "$WORK/tls13-with-cache-refused.check"; then
	ok tls13-with-cache-refused-names-cache
else
	not_ok tls13-with-cache-refused-names-cache "$(grep -i 'tls 1.3' "$WORK/tls13-with-cache-refused.check" | head -n 2)"
fi

# The TLS 1.3 profile (mods-available/eap-phonecert, "tls13:"): 1.3 allowed, cache off.  A
# TLS 1.3 phone is admitted, and asking to resume (-r 1) gets a second full handshake,
# decided on its certificate again.
sed -i '/^\t\tcache {$/,/^\t\t}$/s|enable = yes|enable = no|' "$RADDB/mods-available/eap-phonecert"
fr_release=$("$TOP/scripts/fr-version.sh" --radiusd "$RADIUSD")
case $fr_release in
3.0.*)
	# FreeRADIUS 3.0 does not finish EAP-TLS over TLS 1.3: the profile is refused at start.
	startup_refused tls13-profile-refused-on-3.0 "does not finish EAP-TLS over TLS 1.3"
	;;
*)
start
touch "$RUN/answers.log"
before=$(wc -l <"$RUN/answers.log")
LAST_OUT=$WORK/tls13.out
LAST_CMD="eapol_test -c $WORK/tls13.out.conf -a 127.0.0.1 -p $PORT -s $SECRET -M b0:00:b4:ba:0a:ee -r 1"
EAPOL_EXTRA='phase1="tls_disable_tlsv1_3=0"' run_phone lsc-a b0:00:b4:ba:0a:ee "$PORT" "$WORK/tls13.out" -r 1
rc=$?
answers=$(tail -n +"$((before + 1))" "$RUN/answers.log")
tls13=$(grep -c "Using TLS version TLSv1.3" "$WORK/tls13.out")
full=$(grep -c "CTRL-EVENT-EAP-SUCCESS" "$WORK/tls13.out")	# -r 1: two authentications
decided=$(grep -c 'ACCEPT user=lsc-a .*reason=lsc-accepted' <<<"$answers")
if [ "$rc" = 0 ] && [ "$tls13" -ge 2 ] && [ "$full" = 2 ] && [ "$decided" = 2 ] && [ "$(wc -l <<<"$answers")" = 2 ] &&
	! grep -q "resumed=1" "$WORK/tls13.out"; then
	ok "tls13-profile-full-handshakes (authentications: $full, none resumed, decisions on the certificate: $decided)"
else
	not_ok tls13-profile-full-handshakes "eapol_test exit $rc, TLS 1.3 lines $tls13, authentications $full, answers: $answers"
fi
NO_CLI_CHECK=1 EAPOL_EXTRA='phase1="tls_disable_tlsv1_3=0"' expect tls13-profile-mic mic-8861 2c:31:24:c9:f8:e1 ACCEPT mic-accepted
if grep -q "Using TLS version TLSv1.3" "$WORK/tls13-profile-mic.out"; then
	ok tls13-profile-mic-used-tls13
else
	not_ok tls13-profile-mic-used-tls13 "eapol_test did not report TLS 1.3"
fi
stop_radiusd
;;
esac
make_raddb "$RADDB" "$PORT"
standard_conf

# The decision hook itself, given no certificate attributes (what a resumed TLS 1.3 session
# brings): a probe server runs the same unlang as check-eap-tls, driven by radclient.
PROBE_PORT=$(pick_port $((PORT + 20)))
cat >"$RADDB/sites-enabled/probe" <<EOF
server probe {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $PROBE_PORT
	}
	authorize {
		phonecert
		if (ok || updated) {
			update config {
				&Auth-Type := Accept
			}
		}
		else {
			reject
		}
	}
	post-auth {
		Post-Auth-Type REJECT {
			test_log_reject
		}
	}
}
EOF
start
printf 'User-Name = "SEPB000B4BA0AEE"\nCalling-Station-Id = "B0-00-B4-BA-0A-EE"\n' |
	radclient -x -t 3 -r 1 "127.0.0.1:$PROBE_PORT" auth "$SECRET" >"$WORK/probe.out" 2>&1
if grep -q "Access-Reject" "$WORK/probe.out" && tail -n 1 "$RUN/answers.log" | grep -q "reason=no-cert-facts"; then
	ok probe-no-facts-refused
else
	not_ok probe-no-facts-refused "$(cat "$WORK/probe.out")"
fi
stop_radiusd

echo "integration: $PASS passed, $FAIL failed$([ "$SKIP" -eq 0 ] || echo ", $SKIP skipped")"
[ "$FAIL" -eq 0 ]
