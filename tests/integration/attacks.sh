# shellcheck shell=bash
# Attack cases of the integration tests: forged intermediates, names and extensions that
# FreeRADIUS rewrites or loses, key identifiers spelled as text, and two wiring mistakes.
# Sourced by run.sh (after the hostile certificates) while radiusd runs with standard_conf;
# uses run.sh's expect, reload, standard_conf, start, ok and not_ok.  Leaves radiusd running
# with a fresh raddb and standard_conf.  The certificates: tests/pki/attacks.sh and
# tests/pki/README.md ("Attack leaves").
#
# Every decision must be bound to the client certificate itself and to the key of the
# uploaded anchor that directly signed it: an intermediate that merely carries an anchor's
# subject, serial and key identifier is not that anchor.

# atk_state ANCHOR STATE: in $CONF, give [anchor ANCHOR] "state = STATE" (and no trust_until).
atk_state() {
	awk -v block="[anchor $1]" -v state="$2" '
		/^\[/ { inside = ($0 == block); print; if (inside) print "state = " state; next }
		inside && /^[ \t]*(state|trust_until)[ \t]*=/ { next }
		{ print }' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
	grep -qxF "[anchor $1]" "$CONF" || echo "atk_state: no [anchor $1] in $CONF" >&2
}

# ------------------------------------------------------------------ forged intermediates (standard_conf)
# capf-a-old retiring, inside its window: its key signed a self-issued intermediate that
# copies capf-a's subject, serial and SKI.  Phones of that intermediate are not capf-a's.
expect atk-forged-int-old-retiring atk-forged-int-old 00:de:ad:be:ef:31 REJECT chain-not-anchored
# The enterprise CA (an LSC issuer) signed an intermediate that copies the manufacturing CA.
expect atk-lsc-as-mic atk-lsc-as-mic 00:de:ad:be:ef:33 REJECT chain-not-anchored
# A sub-CA of the enterprise CA, never uploaded, signed an intermediate named like its parent.
expect atk-subca-named-like-parent atk-subca-named-like-parent 00:de:ad:be:ef:34 REJECT chain-not-anchored

# ------------------------------------------------------------------ names FreeRADIUS un-escapes
# The CNs hold a backslash and digits; FreeRADIUS turns \123 into 'S' and \000 into the end.
expect atk-escaped-cn atk-escaped-cn 00:de:ad:be:ef:41 REJECT not-a-phone
expect atk-nul-escape-cn atk-nul-escape-cn 00:de:ad:be:ef:42 REJECT not-a-phone
expect atk-nul-escape-two-cn atk-nul-escape-two-cn 00:de:ad:be:ef:43 REJECT malformed-certificate
expect atk-nul-escape-slash atk-nul-escape-slash 00:de:ad:be:ef:45 REJECT not-a-phone
expect atk-no-cn atk-no-cn 00:de:ad:be:ef:50 REJECT not-a-phone

# ------------------------------------------------------------------ extensions FreeRADIUS loses
# A 1500-byte nsComment swallows the printed name of the extension after it.
expect atk-long-ext-ca atk-long-ext-ca 00:de:ad:be:ef:46 REJECT leaf-is-ca
expect atk-long-ext-ku atk-long-ext-ku 00:de:ad:be:ef:4a REJECT bad-key-purpose

# ------------------------------------------------------------------ "keyid:" as text
# No key identifier in the AKI; a dNSName "keyid:<capf-a's SKI>" and capf-a's serial instead.
expect atk-aki-dns-keyid atk-aki-dns-keyid 00:de:ad:be:ef:47 REJECT malformed-certificate

# ------------------------------------------------------------------ genuine phones and non-phones
# The phone also sends its CAPF: still capf-a's LSC.
expect genuine-lsc-with-capf lsc-a-sends-capf b0:00:b4:ba:0a:ee ACCEPT lsc-accepted anchor=capf-a
expect mic-ec mic-ec 2c:31:24:c9:f8:e3 ACCEPT mic-accepted anchor=manufacturing
# A router's SUDI with a '/' in its CN, and an access point's expired certificate: not phones,
# and the refusal must say so (not "malformed", not "MIC expired, install an LSC").
expect diag-slash-in-cn sudi-isr 00:11:22:33:44:55 REJECT not-a-phone
expect diag-expired-not-phone ap-expired 00:11:22:33:44:55 REJECT not-a-phone

# ------------------------------------------------------------------ forged intermediates (other states)
standard_conf
atk_state capf-a-old disabled
reload
expect atk-forged-int-old-disabled atk-forged-int-old 00:de:ad:be:ef:31 REJECT chain-not-anchored

OLD_UNTIL=$(now_plus -60) standard_conf
reload
expect atk-forged-int-old-window-closed atk-forged-int-old 00:de:ad:be:ef:31 REJECT chain-not-anchored

standard_conf
atk_state enterprise-ca disabled
reload
expect atk-forged-int-ent atk-forged-int-ent 00:de:ad:be:ef:32 REJECT chain-not-anchored

# A twin of capf-a (its subject and serial, another key) uploaded and disabled: its leaf names
# capf-a's key only as text in the AKI.  The key that signed is the twin's.
standard_conf
printf '\n[anchor capf-a-twin]\nrole = lsc\nfile = %s/atk-twin.crt\nstate = disabled\n' "$PKI" >>"$CONF"
reload
expect atk-aki-dns-keyid-twin atk-aki-dns-keyid-twin 00:de:ad:be:ef:48 REJECT capf-disabled anchor=capf-a-twin

standard_conf
reload
stop_radiusd

# ------------------------------------------------------------------ wiring
# The eap module without "virtual_server = check-eap-tls" never runs the decision: refuse to start.
atk_startup_refused() {
	local name=$1 text=$2
	if "${RADIUSD_RUN[@]}" -C -d "$RADDB" -l stdout >"$WORK/$name.check" 2>&1; then
		not_ok "$name" "radiusd -C accepted the configuration"
	elif ! grep -qF -- "$text" "$WORK/$name.check"; then
		not_ok "$name" "radiusd -C did not say '$text': $(tail -n 3 "$WORK/$name.check")"
	else
		ok "$name"
	fi
}
sed -i '/^[[:space:]]*virtual_server[[:space:]]*=[[:space:]]*check-eap-tls[[:space:]]*$/d' \
	"$RADDB/mods-available/eap-phonecert"
if grep -q 'virtual_server' "$RADDB/mods-available/eap-phonecert"; then
	not_ok wiring-no-virtual-server "could not remove virtual_server from eap-phonecert"
else
	atk_startup_refused wiring-no-virtual-server virtual_server
fi
make_raddb "$RADDB" "$PORT"
standard_conf

# The outer server sends the handshake's check to a server that accepts everything
# (&control:Virtual-Server overrides the eap module's virtual_server), and runs phonecert in
# its plain post-auth section before phonecert_require_decision: no decision was made, and
# nothing may pass for one.
cat >"$RADDB/sites-enabled/accept-all" <<'EOF'
server accept-all {
	authorize {
		update control {
			&Auth-Type := Accept
		}
	}
}
EOF
sed -i -e 's/^\tauthorize {$/&\n\t\tupdate control {\n\t\t\t\&Virtual-Server := "accept-all"\n\t\t}/' \
	-e 's/^\t\tphonecert_require_decision$/\t\tphonecert\n&/' "$RADDB/sites-available/phonecert-test"
if ! grep -q 'Virtual-Server := "accept-all"' "$RADDB/sites-available/phonecert-test" ||
	! grep -B1 'phonecert_require_decision' "$RADDB/sites-available/phonecert-test" | grep -qx $'\t\tphonecert'; then
	not_ok wiring-decision-bypassed "could not rewrite the outer server"
else
	start
	# bypassed NAME PHONE MAC REASON: the phone is refused, with that reason.
	bypassed() {
		local name=$1 phone=$2 mac=$3 reason=$4 got line before
		touch "$RUN/answers.log"
		before=$(wc -l <"$RUN/answers.log")
		LAST_OUT=$WORK/$name.out
		# shellcheck disable=SC2034 # read by not_ok in run.sh
		LAST_CMD="eapol_test -c $LAST_OUT.conf -a 127.0.0.1 -p $PORT -s $SECRET -M $mac"
		if run_phone "$phone" "$mac" "$PORT" "$LAST_OUT"; then got=ACCEPT; else got=REJECT; fi
		line=$(tail -n +"$((before + 1))" "$RUN/answers.log" | tail -n 1)
		if [ "$got" != REJECT ]; then
			not_ok "$name" "eapol_test says $got, expected REJECT; radiusd's answer line is '$line'"
		elif [[ "$line " != "REJECT "*" reason=$reason "* ]]; then
			not_ok "$name" "expected a REJECT line with reason=$reason, got '$line'"
		else
			ok "$name"
		fi
	}
	# A switch's SUDI has a valid chain under the manufacturing CA: only the decision refuses
	# it, and the decision was bypassed.
	bypassed wiring-decision-bypassed sudi-switch 00:11:22:33:44:55 no-decision
	# A disabled CAPF's LSC never completes the handshake: the verification hook refuses it
	# whatever the virtual servers do.
	bypassed wiring-bypassed-hook-refuses-disabled-capf lsc-b b0:00:b4:ba:0a:ef capf-disabled
	stop_radiusd
fi
make_raddb "$RADDB" "$PORT"
standard_conf
start
