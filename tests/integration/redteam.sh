# shellcheck shell=bash
# Red-team cases of the integration tests: parser and chain edges of the verification hook and
# the decision, MAC-binding notations, the record attribute sent on the wire, resumption after
# a CAPF was disabled or removed (also across a restart), anchors sent as leaves.  Sourced by
# run.sh right after attacks.sh, while radiusd runs with standard_conf; uses run.sh's expect,
# reload, standard_conf, start, ok, not_ok, now_plus and attacks.sh's atk_state.  Leaves
# radiusd running with a fresh raddb and standard_conf.  The certificates: tests/pki/redteam.sh
# and tests/pki/README.md ("Red-team leaves").
#
# Each expectation is what the module SHOULD do: admit what an uploaded anchor trusted now
# signed directly for a phone, and refuse everything else with the most fitting reason.

# ------------------------------------------------------------------ CN string types
# A trusted CAPF signed these names; once decoded they are plain "SEP<12 hex>".
expect rt-cn-bmp rt-cn-bmp 00:de:ad:be:ef:60 ACCEPT lsc-accepted device=SEP00DEADBEEF60 anchor=capf-a
expect rt-cn-universal rt-cn-universal 00:de:ad:be:ef:61 ACCEPT lsc-accepted device=SEP00DEADBEEF61
expect rt-cn-t61 rt-cn-t61 00:de:ad:be:ef:62 ACCEPT lsc-accepted device=SEP00DEADBEEF62
# Decoded, they are not ASCII: a fullwidth digit (BMPString), a Latin-1 byte (T61String).
expect rt-cn-bmp-fullwidth rt-cn-bmp-fullwidth 00:de:ad:be:ef:61 REJECT malformed-certificate
expect rt-cn-t61-latin1 rt-cn-t61-latin1 00:de:ad:be:ef:6d REJECT malformed-certificate
expect rt-cn-trailing-space rt-cn-trailing-space 00:de:ad:be:ef:65 REJECT not-a-phone

# ------------------------------------------------------------------ multi-valued RDNs, serialNumber
expect rt-rdn-multi-o-cn rt-rdn-multi-o-cn 00:de:ad:be:ef:66 ACCEPT lsc-accepted device=SEP00DEADBEEF66
expect rt-rdn-multi-two-cn rt-rdn-multi-two-cn 00:de:ad:be:ef:67 REJECT malformed-certificate
expect rt-rdn-multi-cn-types rt-rdn-multi-cn-types 00:de:ad:be:ef:69 REJECT malformed-certificate
# 64 characters is X.520's upper bound for serialNumber: a lawful subject.
expect rt-sn-64 rt-sn-64 00:de:ad:be:ef:6b ACCEPT lsc-accepted device=SEP00DEADBEEF6B

# ------------------------------------------------------------------ serials and validity encodings
expect rt-serial-negative rt-serial-negative 00:de:ad:be:ef:70 REJECT malformed-certificate
# RFC 5280: serials are positive; zero is not.
expect rt-serial-zero rt-serial-zero 00:de:ad:be:ef:71 REJECT malformed-certificate
# GeneralizedTime before 2050 (RFC 5280 wants UTCTime) is unambiguous: OpenSSL and the hook agree.
expect rt-time-generalized rt-time-generalized 00:de:ad:be:ef:72 ACCEPT lsc-accepted
# Fractional seconds, a UTCTime without seconds: unreadable dates, refused by OpenSSL (errors 13/14).
expect rt-time-fraction rt-time-fraction 00:de:ad:be:ef:73 REJECT malformed-certificate
expect rt-time-no-seconds rt-time-no-seconds 00:de:ad:be:ef:74 REJECT malformed-certificate
# UTCTime "50..." is 1950.
expect rt-time-utc-1950 rt-time-utc-1950 00:de:ad:be:ef:75 REJECT cert-expired

# ------------------------------------------------------------------ extensions, versions, size
expect rt-ext-critical-unknown rt-ext-critical-unknown 00:de:ad:be:ef:76 REJECT malformed-certificate
expect rt-ext-noncritical-unknown rt-ext-noncritical-unknown 00:de:ad:be:ef:77 ACCEPT lsc-accepted
expect rt-eku-any-only rt-eku-any 00:de:ad:be:ef:78 REJECT bad-key-purpose
expect rt-v1-lsc rt-v1-lsc 00:de:ad:be:ef:79 REJECT malformed-certificate
expect rt-v1-mic rt-v1-mic 00:de:ad:be:ef:7a ACCEPT mic-accepted anchor=manufacturing
expect rt-v1-with-ca-ext rt-v1-with-ca-ext 00:de:ad:be:ef:7b REJECT leaf-is-ca
expect rt-ext-10k rt-ext-10k 00:de:ad:be:ef:7c ACCEPT lsc-accepted
# Larger than the 16384 bytes FreeRADIUS reassembles: a TLS failure (the CLI cannot know that).
NO_CLI_CHECK=1 expect rt-ext-70k rt-ext-70k 00:de:ad:be:ef:7d REJECT tls-failed
if kill -0 "$RADIUSD_PID" 2>/dev/null; then ok rt-ext-70k-radiusd-alive; else not_ok rt-ext-70k-radiusd-alive "radiusd died"; start; fi

# ------------------------------------------------------------------ AKIs naming another key
# The key of capf-a signed; the AKI names capf-a-old's key, or no uploaded key: a contradiction,
# which the decision calls malformed; the diagnosis must not blame a missing or forged CAPF.
expect rt-aki-names-other-anchor rt-aki-names-other-anchor 00:de:ad:be:ef:80 REJECT malformed-certificate
expect rt-aki-names-no-anchor rt-aki-names-no-anchor 00:de:ad:be:ef:81 REJECT malformed-certificate
expect rt-aki-old-key-names-active rt-aki-old-key-names-active 00:de:ad:be:ef:82 REJECT malformed-certificate

# ------------------------------------------------------------------ issuer names spelled differently
expect rt-issuer-respelled rt-issuer-respelled 00:de:ad:be:ef:83 ACCEPT lsc-accepted anchor=capf-a
expect rt-issuer-spaces rt-issuer-spaces 00:de:ad:be:ef:84 ACCEPT lsc-accepted anchor=capf-a

# ------------------------------------------------------------------ anchors as leaves, extra certificates
# Whoever holds a CAPF's key presents the CAPF certificate itself (retiring: trusted now; disabled).
expect rt-anchor-leaf-retiring rt-anchor-leaf-capf-a-old 00:de:ad:be:ef:86 REJECT leaf-is-ca
expect rt-anchor-leaf-disabled rt-anchor-leaf-capf-b 00:de:ad:be:ef:87 REJECT leaf-is-ca
expect rt-disabled-capf-sent rt-disabled-capf-sent b0:00:b4:ba:0a:ef REJECT capf-disabled anchor=capf-b
expect rt-junk-chain rt-junk-chain b0:00:b4:ba:0a:ee ACCEPT lsc-accepted anchor=capf-a

# ------------------------------------------------------------------ MAC binding: Calling-Station-Id notations
# -N31 replaces eapol_test's own Calling-Station-Id; the CLI is given the -M MAC, so no CLI check.
rt_csid() {
	local name=$1 want=$2 reason=$3 spec=$4
	NO_CLI_CHECK=1 expect "$name" lsc-a b0:00:b4:ba:0a:ee "$want" "$reason" --eapol "-N31:$spec"
}
rt_csid rt-csid-bare-lower ACCEPT lsc-accepted "s:b000b4ba0aee"
rt_csid rt-csid-cisco-dotted ACCEPT lsc-accepted "s:b000.b4ba.0aee"
rt_csid rt-csid-mixed-separators REJECT mac-missing "s:B0-00:B4-BA:0A-EE"
rt_csid rt-csid-dotted-pairs REJECT mac-missing "s:B0.00.B4.BA.0A.EE"
rt_csid rt-csid-extra-octet REJECT mac-missing "s:B0-00-B4-BA-0A-EE-00"
rt_csid rt-csid-trailing-space REJECT mac-missing "s:B0-00-B4-BA-0A-EE "
rt_csid rt-csid-embedded-nul REJECT mac-missing "x:$(printf 'B0-00-B4-BA-0A-EE' | od -An -v -tx1 | tr -d ' \n')00$(printf '00:11:22:33:44:55' | od -An -v -tx1 | tr -d ' \n')"
rt_csid rt-csid-other-mac-dotted REJECT mac-mismatch "s:0011.2233.4455"

# ------------------------------------------------------------------ no client certificate, TLS 1.3 only
# A phone with no certificate (wpa_supplicant then answers EAP-TLS with a NAK): the refusal
# should say so (no-client-cert), not be left without any reason.
rt_no_cert() {
	local name=$1 out=$WORK/$1.out before line
	touch "$RUN/answers.log"
	before=$(wc -l <"$RUN/answers.log")
	LAST_OUT=$out
	cat >"$out.conf" <<EOC
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="nocert"
	ca_cert="$PKI/server-ca.crt"
	eapol_flags=0
}
EOC
	LAST_CMD="eapol_test -c $out.conf -a 127.0.0.1 -p $PORT -s $SECRET -M 00:de:ad:be:ef:88"
	if timeout 30 "$EAPOL_TEST" -c "$out.conf" -a 127.0.0.1 -p "$PORT" -s "$SECRET" -M 00:de:ad:be:ef:88 -t 10 >"$out" 2>&1; then
		not_ok "$name" "a phone without a certificate was accepted"
		return
	fi
	line=$(tail -n +"$((before + 1))" "$RUN/answers.log" | tail -n 1)
	if [[ "$line " == "REJECT "*" reason=no-client-cert "* ]]; then ok "$name"; else not_ok "$name" "answer line '$line'"; fi
}
rt_no_cert rt-no-client-cert-nak
# A phone that speaks only TLS 1.3 to the shipped TLS 1.2 server: OpenSSL says "unsupported
# protocol" whichever side is older, so the reason is old-tls ("no TLS version in common"),
# and its advice names both cases.
EAPOL_EXTRA='phase1="tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0"' NO_CLI_CHECK=1 \
	expect rt-tls13-only-phone lsc-a b0:00:b4:ba:0a:ee REJECT old-tls --log "A phone set to TLS 1.3 only"

# ------------------------------------------------------------------ the record attribute from the wire
# Phonecert-Cert (internal 3411) must never be decoded from a packet.  Take a genuine accepting
# record from the session cache, then send it in every wrapping a NAS could: a Vendor-Specific
# of vendor 0, Extended-Vendor-Specific (241.26) of vendor 0, and raw attribute bytes.
rt_record=$(grep -h 'Phonecert-Cert = ' "$RUN"/tlscache/*.vps 2>/dev/null | head -n 1 | sed 's/.*Phonecert-Cert = "\(.*\)".*/\1/')
if [ -z "$rt_record" ]; then
	not_ok rt-record-from-cache "no Phonecert-Cert in the session cache ($RUN/tlscache)"
else
	ok "rt-record-from-cache (${#rt_record} characters)"
	rt_hex=$(printf '%s' "$rt_record" | od -An -v -tx1 | tr -d ' \n')
	rt_len=${#rt_record}
	# Vendor-Specific (26), vendor 0, type 0x0d (3411 & 0xff), the record in 200-byte pieces.
	vsa_payload() { printf '00000000%02x%02x%s' "$1" $((${#2} / 2 + 2)) "$2"; }
	raw_vsa=
	vsa_args=()
	for ((off = 0; off < ${#rt_hex}; off += 400)); do
		p=$(vsa_payload 13 "${rt_hex:$off:400}")
		raw_vsa+=$(printf '1a%02x%s' $((${#p} / 2 + 2)) "$p")
		vsa_args+=("-N26:x:$p")
	done
	# 241 (Extended-Attribute-1), type 26 (EVS), vendor 0, evs-type 0x0d, first 240 bytes.
	evs() { printf 'f1%02x1a00000000%02x%s' $((${#1} / 2 + 8)) 13 "$1"; }
	raw_evs=$(evs "${rt_hex:0:480}")
	PROBE_PORT=$(pick_port $((PORT + 24)))
	cat >"$RADDB/sites-enabled/rt-probe" <<EOF
server rt-probe {
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
		test_log_accept
		Post-Auth-Type REJECT {
			test_log_reject
		}
	}
}
EOF
	stop_radiusd
	start
	for form in vsa evs; do
		case $form in
		vsa) raw=$raw_vsa ;;
		evs) raw=$raw_evs ;;
		esac
		before=$(wc -l <"$RUN/answers.log")
		printf 'User-Name = "SEPB000B4BA0AEE"\nCalling-Station-Id = "B0-00-B4-BA-0A-EE"\nRaw-Attribute = 0x%s\n' "$raw" |
			radclient -x -t 3 -r 1 "127.0.0.1:$PROBE_PORT" auth "$SECRET" >"$WORK/rt-inject-$form.out" 2>&1
		line=$(tail -n +"$((before + 1))" "$RUN/answers.log" | tail -n 1)
		if grep -q "Received Access-Accept" "$WORK/rt-inject-$form.out" || [[ "$line" != "REJECT "*"reason=no-cert-facts "* ]]; then
			not_ok "rt-inject-record-$form" "answer line '$line'; radclient: $(grep -m1 'Received' "$WORK/rt-inject-$form.out")"
		else
			ok "rt-inject-record-$form"
		fi
	done
	rm -f "$RADDB/sites-enabled/rt-probe"
	# The same vendor-0 VSAs in every packet of a genuine phone's EAP-TLS conversation: the
	# wire bytes are no record, so they neither admit nor disturb (no "two records disagree").
	NO_CLI_CHECK=1 expect rt-inject-record-in-eap lsc-a-ec 00:1e:7a:c3:d1:ab ACCEPT lsc-accepted \
		--eapol "${vsa_args[@]}"
fi

# ------------------------------------------------------------------ an intermediate anchor, disabled, under an uploaded root
standard_conf
printf '\n[anchor manufacturing-root]\nrole = mic\nfile = %s/mfg-root.crt\n' "$PKI" >>"$CONF"
reload
expect rt-root-uploaded-int-active mic-8861-fullchain 2c:31:24:c9:f8:e2 ACCEPT mic-accepted anchor=manufacturing
atk_state manufacturing disabled
reload
# The disabled intermediate signed the MIC directly: that is the reason, sent along or not.
expect rt-root-uploaded-int-disabled-sent mic-8861-fullchain 2c:31:24:c9:f8:e2 REJECT capf-disabled anchor=manufacturing
expect rt-root-uploaded-int-disabled-not-sent mic-8861 2c:31:24:c9:f8:e1 REJECT capf-disabled anchor=manufacturing

# ------------------------------------------------------------------ a twin with capf-a's subject, serial AND key id
# Nothing but the key tells it from capf-a: the reload is refused, naming the file, and the
# previous state keeps serving.
standard_conf
printf '\n[anchor capf-a-twin-ski]\nrole = lsc\nfile = %s/rt-twin-ski.crt\nstate = disabled\n' "$PKI" >>"$CONF"
reload
if tail -n 20 "$RUN/radius.log" | grep -q "rt-twin-ski.crt: has the subject, serial and key identifier of anchor 'capf-a'" &&
	kill -0 "$RADIUSD_PID" 2>/dev/null; then
	ok rt-twin-ski-reload-refused
else
	not_ok rt-twin-ski-reload-refused "no refusal naming rt-twin-ski.crt"
fi
NO_CLI_CHECK=1 expect rt-twin-ski-leaf-after-refused-reload rt-twin-ski-leaf 00:de:ad:be:ef:85 REJECT capf-key-mismatch
standard_conf
reload

# ------------------------------------------------------------------ TLS 1.2 resumption after a CAPF is disabled / removed
# rt_resume NAME PHONE MAC REASON CHANGE: authenticate, hold the resumption (relay.py), run
# CHANGE (a shell command), then resume: the resumed session must be refused with REASON.
rt_resume() {
	local name=$1 phone=$2 mac=$3 reason=$4 change=$5 before answers rpid epid
	local rport
	rport=$(pick_port $((PORT + 60)))
	rm -f "$WORK/$name.paused" "$WORK/$name.resume"
	python3 "$IT_DIR/relay.py" "$rport" "$PORT" "$WORK/$name.paused" "$WORK/$name.resume" 1 &
	rpid=$!
	sleep 0.3
	before=$(wc -l <"$RUN/answers.log")
	eapol_conf "$WORK/$name.out.conf" "$phone"
	timeout 90 "$EAPOL_TEST" -c "$WORK/$name.out.conf" -a 127.0.0.1 -p "$rport" -s "$SECRET" \
		-M "$mac" -r 1 -t 60 >"$WORK/$name.out" 2>&1 &
	epid=$!
	for _ in $(seq 1 200); do [ -f "$WORK/$name.paused" ] && break; sleep 0.1; done
	eval "$change"
	touch "$WORK/$name.resume"
	wait "$epid"
	kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null
	answers=$(tail -n +"$((before + 1))" "$RUN/answers.log")
	if [ "$(grep -c "^ACCEPT user=$phone " <<<"$answers")" = 1 ] &&
		[ "$(grep -c "^REJECT user=$phone .*reason=$reason " <<<"$answers")" = 1 ] &&
		grep -q "resumed=1" "$WORK/$name.out"; then
		ok "$name"
	else
		LAST_OUT=$WORK/$name.out
		not_ok "$name" "answers were: $answers; resumed: $(grep -c 'resumed=1' "$WORK/$name.out")"
	fi
}
standard_conf
reload
rt_resume rt-resume-after-disable lsc-a-ec 00:1e:7a:c3:d1:ab capf-disabled \
	'atk_state capf-a disabled; reload'
standard_conf
reload
rt_resume rt-resume-after-remove lsc-a-ec 00:1e:7a:c3:d1:ab capf-not-uploaded \
	'sed -i "/^\[anchor capf-a\]/,/^file/d" "$CONF"; reload'
# Across a restart: the session comes back from the disk cache (persist_dir).
standard_conf
reload
rt_resume rt-resume-after-restart-disabled lsc-a-ec 00:1e:7a:c3:d1:ab capf-disabled \
	'stop_radiusd; atk_state capf-a disabled; start'

standard_conf
stop_radiusd
make_raddb "$RADDB" "$PORT"
standard_conf
start
