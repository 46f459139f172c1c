# shellcheck shell=bash
# Revocation cases of the integration tests: the deny-list ([policy] deny = FILE) and the
# enterprise CA's CRL ([anchor enterprise-ca] crl = FILE) in the running radiusd, full
# handshakes and TLS 1.2 resumptions.  Sourced by run.sh while radiusd runs with
# standard_conf; uses run.sh's expect, reload, standard_conf, start, now_plus, ok and not_ok.
# Leaves radiusd running with a fresh raddb and standard_conf.  The certificates and CRLs:
# tests/pki/gen.sh (lsc-ent, lsc-ent-revoked, ent-ca*.crl.*).

DENY=$RADDB/phonecert/deny.conf

# rev_conf: standard_conf, plus (from the environment) DENY_LIST=yes for "deny = deny.conf"
# (relative to phonecert.conf, as the README shows), CRL=FILE (in the PKI) for the enterprise
# CA's crl, CRL_STALE=refuse|log|ignore.
rev_conf() {
	standard_conf
	[ -n "${DENY_LIST:-}" ] && sed -i '/^\[policy\]$/a deny = deny.conf' "$CONF"
	[ -n "${CRL_STALE:-}" ] && sed -i "/^\[policy\]\$/a crl_stale = $CRL_STALE" "$CONF"
	[ -n "${CRL:-}" ] && sed -i "\\|^file = $PKI/ent-ca.crt\$|a crl = $PKI/$CRL" "$CONF"
	if { [ -n "${DENY_LIST:-}" ] && ! grep -qx 'deny = deny.conf' "$CONF"; } ||
		{ [ -n "${CRL:-}" ] && ! grep -qx "crl = $PKI/$CRL" "$CONF"; }; then
		echo "rev_conf: could not write $CONF" >&2
	fi
}

# fingerprint PHONE: the SHA-256 of PKI/PHONE.crt as openssl prints it (AB:CD:...).
fingerprint() {
	openssl x509 -noout -fingerprint -sha256 -in "$PKI/$1.crt" | sed 's/^.*=//'
}

# log_since LINE: radius.log after its first LINE lines.
log_since() { tail -n +"$(($1 + 1))" "$RUN/radius.log"; }

# ------------------------------------------------------------------ the deny-list, full handshakes
cat >"$DENY" <<EOF
# Phones shut out (integration test).
device SEP001E7AC3D1AB note=stolen 2026-11-20, ticket 4711
mac 2c:31:24:c9:f8:e1 note=lost in building 4
fingerprint $(fingerprint mic-ec) note=one certificate copied
device SEP0011223344E0 expires=$(now_plus -60) note=found again
EOF
logbefore=$(wc -l <"$RUN/radius.log")
DENY_LIST=yes rev_conf
reload
if log_since "$logbefore" | grep -q "deny-list $DENY: 3 entries in force, 1 expired" &&
	log_since "$logbefore" | grep -q "deny-list $DENY:5: entry 'device SEP0011223344E0' expired"; then
	ok deny-loaded-expired-said
else
	not_ok deny-loaded-expired-said "the load log does not count 3 entries in force and name the expired one"
fi
expect deny-device lsc-a-ec 00:1e:7a:c3:d1:ab REJECT device-denied device=SEP001E7AC3D1AB anchor=capf-a \
	--log "deny-list $DENY:2 (device SEP001E7AC3D1AB): stolen 2026-11-20, ticket 4711"
expect deny-mac mic-8861 2c:31:24:c9:f8:e1 REJECT device-denied kind=MIC \
	--log "(mac 2C3124C9F8E1): lost in building 4"
expect deny-fingerprint mic-ec 2c:31:24:c9:f8:e3 REJECT device-denied \
	--log "(fingerprint $(fingerprint mic-ec | tr -d : | tr 'A-F' 'a-f')): one certificate copied"
expect deny-expired-entry-ignored lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted device=SEP0011223344E0
expect deny-others-admitted lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted

# Attacks on the deny-list with the MAC binding off (so that only the deny-list stands in the
# way): the lost phone's certificate copied to a device behind another port (the switch reports
# another MAC: the certificate's own MAC is on the list), and another phone's valid certificate
# presented from the lost phone's port (the switch's Calling-Station-Id is on the list).
MAC_BINDING=off DENY_LIST=yes rev_conf
reload
expect deny-mac-copied-to-other-port mic-8861 02:00:00:00:0b:01 REJECT device-denied \
	--log "(mac 2C3124C9F8E1): lost in building 4"
expect deny-mac-other-cert-on-denied-port lsc-a 2c:31:24:c9:f8:e1 REJECT device-denied \
	--log "(mac 2C3124C9F8E1): lost in building 4"
expect deny-mac-binding-off-others-admitted lsc-a 02:00:00:00:0b:02 ACCEPT lsc-accepted
DENY_LIST=yes rev_conf
reload

# ------------------------------------------------------------------ the deny-list, TLS 1.2 resumption
# resume_denied NAME ENTRY: lsc-a authenticates through the relay, which then holds the
# resumption; ENTRY is appended to the deny-list and the module reloaded; the resumed
# session must be refused (device-denied), not carried by the session cache.
resume_denied() {
	local name=$1 entry=$2 answers
	RELAY_PORT=$(pick_port $((PORT + 40)))
	rm -f "$WORK/paused" "$WORK/resume"
	python3 "$IT_DIR/relay.py" "$RELAY_PORT" "$PORT" "$WORK/paused" "$WORK/resume" 1 &
	RELAY_PID=$!
	# The relay is ready when its port is bound.
	for _ in $(seq 1 100); do ss -Hlun "( sport = :$RELAY_PORT )" | grep -q . && break; sleep 0.05; done
	touch "$RUN/answers.log"
	local before logbefore_r
	before=$(wc -l <"$RUN/answers.log")
	eapol_conf "$WORK/$name.out.conf" lsc-a
	timeout $((60 * IT_SLOW)) "$EAPOL_TEST" -c "$WORK/$name.out.conf" -a 127.0.0.1 -p "$RELAY_PORT" -s "$SECRET" \
		-M b0:00:b4:ba:0a:ee -r 1 -t $((40 * IT_SLOW)) >"$WORK/$name.out" 2>&1 &
	local eapol_pid=$!
	for _ in $(seq 1 $((200 * IT_SLOW))); do [ -f "$WORK/paused" ] && break; sleep 0.1; done
	cp "$DENY" "$DENY.saved"
	printf '%s\n' "$entry" >>"$DENY"
	logbefore_r=$(wc -l <"$RUN/radius.log")
	reload
	touch "$WORK/resume"
	wait "$eapol_pid"
	kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null; RELAY_PID=
	# The list without the entry again, in force before the next round's first handshake.
	mv "$DENY.saved" "$DENY"
	reload
	answers=$(tail -n +"$((before + 1))" "$RUN/answers.log")
	if [ "$(grep -c 'ACCEPT user=lsc-a .*reason=lsc-accepted' <<<"$answers")" = 1 ] &&
		[ "$(grep -c 'REJECT user=lsc-a .*reason=device-denied' <<<"$answers")" = 1 ] &&
		[ "$(wc -l <<<"$answers")" = 2 ] && grep -q "resumed=1" "$WORK/$name.out" &&
		log_since "$logbefore_r" | grep -q "REJECT reason=device-denied(60).*resumed after reload"; then
		ok "$name"
	else
		LAST_OUT=$WORK/$name.out
		not_ok "$name" "answers were: $answers"
	fi
}
resume_denied deny-device-resumed "device SEPB000B4BA0AEE note=resumed after reload"
resume_denied deny-mac-resumed "mac B0-00-B4-BA-0A-EE note=resumed after reload"
resume_denied deny-fingerprint-resumed "fingerprint $(fingerprint lsc-a) note=resumed after reload"
# The list without those entries again: lsc-a is admitted.
expect deny-resumed-entries-gone lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted

# ------------------------------------------------------------------ phonecert deny, status
if "$CLI" deny add --config "$CONF" device CP-8861-SEPB000B4BA0AEE --note "stolen, added with the CLI" \
	>"$WORK/deny-add.out" 2>&1 &&
	"$CLI" deny add --config "$CONF" serial enterprise-ca \
		"$(openssl x509 -noout -serial -in "$PKI/lsc-ent.crt" | sed 's/^serial=//')" >>"$WORK/deny-add.out" 2>&1; then
	ok deny-cli-add
else
	not_ok deny-cli-add "$(cat "$WORK/deny-add.out")"
fi
"$CLI" status --config "$CONF" >"$WORK/deny-status-1.out" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "^NOT loaded yet" "$WORK/deny-status-1.out"; then
	ok deny-cli-add-not-loaded-before-reload
else
	not_ok deny-cli-add-not-loaded-before-reload "exit $rc: $(cat "$WORK/deny-status-1.out")"
fi
reload
if "$CLI" status --config "$CONF" >"$WORK/deny-status-2.out" 2>&1 && grep -q "^in force: generation" "$WORK/deny-status-2.out"; then
	ok deny-cli-add-in-force-after-reload
else
	not_ok deny-cli-add-in-force-after-reload "$(cat "$WORK/deny-status-2.out")"
fi
expect deny-cli-device lsc-a b0:00:b4:ba:0a:ee REJECT device-denied --log "(device SEPB000B4BA0AEE): stolen, added with the CLI"
expect deny-cli-anchor-serial lsc-ent 00:11:22:33:44:e0 REJECT device-denied anchor=enterprise-ca \
	--log "(serial $(openssl x509 -noout -fingerprint -sha256 -in "$PKI/ent-ca.crt" | sed 's/^.*=//' | tr -d : | tr 'A-F' 'a-f') "
if "$CLI" deny remove --config "$CONF" device SEPB000B4BA0AEE >"$WORK/deny-remove.out" 2>&1; then
	reload
	expect deny-cli-removed lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted
else
	not_ok deny-cli-removed "$(cat "$WORK/deny-remove.out")"
fi

# ------------------------------------------------------------------ the enterprise CA's CRL
CRL=ent-ca.crl.pem rev_conf
reload
expect crl-revoked lsc-ent-revoked 00:11:22:33:44:e1 REJECT cert-revoked anchor=enterprise-ca \
	--log "revoked" --log "by the CRL of anchor enterprise-ca ($PKI/ent-ca.crl.pem)"
expect crl-unrevoked-admitted lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted anchor=enterprise-ca
expect crl-other-anchor-unaffected lsc-a b0:00:b4:ba:0a:ee ACCEPT lsc-accepted anchor=capf-a
CRL=ent-ca.crl.der rev_conf
reload
expect crl-der-revoked lsc-ent-revoked 00:11:22:33:44:e1 REJECT cert-revoked --log "($PKI/ent-ca.crl.der)"
expect crl-der-unrevoked-admitted lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted

# A CRL past its nextUpdate, per crl_stale.
CRL=ent-ca-stale.crl.pem CRL_STALE=refuse rev_conf
reload
expect crl-stale-refuse lsc-ent 00:11:22:33:44:e0 REJECT crl-stale --log "is past its nextUpdate"
CRL=ent-ca-stale.crl.pem CRL_STALE=log rev_conf
reload
expect crl-stale-log lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted \
	--log "ACCEPT (flagged) reason=lsc-accepted(0)" --log "crl-stale: CRL of anchor enterprise-ca"
CRL=ent-ca-stale.crl.pem CRL_STALE=ignore rev_conf
reload
logbefore=$(wc -l <"$RUN/radius.log")
expect crl-stale-ignore lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted
if log_since "$logbefore" | grep -q "ACCEPT (flagged)"; then
	not_ok crl-stale-ignore-not-flagged "crl_stale = ignore logged a flagged accept"
else
	ok crl-stale-ignore-not-flagged
fi
# A revocation in a stale CRL counts whatever crl_stale says.
expect crl-stale-ignore-revoked-still-refused lsc-ent-revoked 00:11:22:33:44:e1 REJECT cert-revoked

# A CRL with the enterprise CA's name but another key's signature: the reload is refused,
# naming the file, and the previous CRL keeps deciding.
CRL=ent-ca.crl.pem rev_conf
reload
expect crl-before-bad-reload lsc-ent-revoked 00:11:22:33:44:e1 REJECT cert-revoked
logbefore=$(wc -l <"$RUN/radius.log")
CRL=ent-ca-otherkey.crl.pem rev_conf
reload
if log_since "$logbefore" | grep -q "ent-ca-otherkey.crl.pem: not signed by the key of the anchor's certificate" &&
	log_since "$logbefore" | grep -q "Using old configuration" && kill -0 "$RADIUSD_PID" 2>/dev/null; then
	ok crl-otherkey-reload-refused
else
	not_ok crl-otherkey-reload-refused "no refusal naming ent-ca-otherkey.crl.pem in radius.log"
fi
# The CLI reads the refused file: only the module is asked.
NO_CLI_CHECK=1 expect crl-otherkey-old-state-revoked lsc-ent-revoked 00:11:22:33:44:e1 REJECT cert-revoked \
	--log "($PKI/ent-ca.crl.pem)"
NO_CLI_CHECK=1 expect crl-otherkey-old-state-admits lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted
if "$CLI" check --config "$CONF" "$PKI/lsc-ent.chain.pem" >"$WORK/crl-otherkey-cli.out" 2>&1; then
	not_ok crl-otherkey-cli-refuses "phonecert check accepted the configuration"
elif grep -q "ent-ca-otherkey.crl.pem: not signed by the key" "$WORK/crl-otherkey-cli.out"; then
	ok crl-otherkey-cli-refuses
else
	not_ok crl-otherkey-cli-refuses "$(cat "$WORK/crl-otherkey-cli.out")"
fi
stop_radiusd

# ... and it stops a start.
if "${RADIUSD_RUN[@]}" -C -d "$RADDB" -l stdout >"$WORK/crl-otherkey-startup.check" 2>&1; then
	not_ok crl-otherkey-startup-refused "radiusd -C accepted the configuration"
elif ! grep -q "ent-ca-otherkey.crl.pem: not signed by the key of the anchor's certificate" "$WORK/crl-otherkey-startup.check"; then
	not_ok crl-otherkey-startup-refused "radiusd -C did not name the CRL: $(tail -n 3 "$WORK/crl-otherkey-startup.check")"
else
	ok crl-otherkey-startup-refused
fi

# ------------------------------------------------------------------ an admin's CRL in ca_path
# The module rewrites only the <hash>.<n> files OpenSSL trusts in its ca_path: a CRL an admin
# put there (<hash>.r0) stays, byte for byte, through a start and a reload.
CA_D=$RADDB/phonecert/ca.d
mkdir -p "$CA_D"
CRL_HASH=$(openssl crl -noout -hash -in "$PKI/ent-ca.crl.pem")
cp "$PKI/ent-ca.crl.pem" "$CA_D/$CRL_HASH.r0"
printf 'kept by the admin\n' >"$CA_D/README.admin"
standard_conf
start
# A certificate file the module wrote proves that it synchronised ca_path at the start.
ENT_HASH=$(openssl x509 -noout -subject_hash -in "$PKI/ent-ca.crt")
if [ -f "$CA_D/$ENT_HASH.0" ] && cmp -s "$CA_D/$CRL_HASH.r0" "$PKI/ent-ca.crl.pem" && [ -f "$CA_D/README.admin" ]; then
	ok ca-path-crl-survives-start
else
	not_ok ca-path-crl-survives-start "ca_path holds: $(ls "$CA_D" | tr '\n' ' ')"
fi
# A reload that changes the trusted anchors rewrites ca_path.
files_before=$(ls "$CA_D" | wc -l)
CAPF_B_STATE=active standard_conf
sed -i '/^\[anchor capf-a-old\]/,/^trust_until/d' "$CONF"
reload
if ! ls "$CA_D" | grep -q "^$(openssl x509 -noout -subject_hash -in "$PKI/capf-b.crt")\.0$"; then
	not_ok ca-path-crl-survives-reload "the reload did not rewrite ca_path: $(ls "$CA_D" | tr '\n' ' ')"
elif cmp -s "$CA_D/$CRL_HASH.r0" "$PKI/ent-ca.crl.pem" && [ -f "$CA_D/README.admin" ]; then
	ok "ca-path-crl-survives-reload (ca_path: $files_before files, then $(ls "$CA_D" | wc -l))"
else
	not_ok ca-path-crl-survives-reload "ca_path holds: $(ls "$CA_D" | tr '\n' ' ')"
fi
expect ca-path-crl-phones-decided lsc-ent 00:11:22:33:44:e0 ACCEPT lsc-accepted anchor=enterprise-ca
stop_radiusd

make_raddb "$RADDB" "$PORT"
standard_conf
start
