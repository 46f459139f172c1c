# shellcheck shell=bash disable=SC2154 # RADDB_*, PORT_*, PID_*: set by server() in run.sh
# The SQLite part of tests/ledger/run.sh (sourced): one radiusd, a rollover in progress.

# sq SQL: query the SQLite ledger of server sqlite-1, '|'-separated.
sq() { sqlite3 -batch "$RADDB_sqlite_1/run/phonecert-ledger.sqlite" "$@"; }

part_sqlite() {
	echo "# sqlite: one radiusd, a CAPF rollover in progress"
	server sqlite-1 sqlite
	local t0 t1 serial_old1 hostile_port hostile_csid
	t0=$(date +%s)
	if [ -f "$RADDB_sqlite_1/run/phonecert-ledger.sqlite" ] &&
		[ "$(sq 'SELECT version FROM phonecert_schema')" = 1 ]; then
		ok "radiusd created the ledger from schema.sql (schema version 1)"
	else
		not_ok "ledger created" "no ledger file, or no schema version 1: $(grep -i sqlite "$RADDB_sqlite_1/run/radius.log" | tail -n 3)"
	fi

	# Every phone still holds an LSC from the retiring CAPF: admitted, flagged.
	expect_auth "old LSC, phone 1" ACCEPT sqlite-1 old-1 0a:00:00:00:00:01 1
	serial_old1=$(serial_of "$LPKI/old-1.crt")
	answer_has "full handshake: the decision's attributes reach the outer post-auth" sqlite-1 \
		reason=lsc-retiring-accepted anchor=capf-a-old device=SEP0A0000000001 "fp=$FP_OLD" "serial=$serial_old1"
	expect_auth "old LSC, phone 2" ACCEPT sqlite-1 old-2 0a:00:00:00:00:02 2
	expect_auth "old LSC, phone 3" ACCEPT sqlite-1 old-3 0a:00:00:00:00:03 3
	expect_auth "old LSC, phone 4" ACCEPT sqlite-1 old-4 0a:00:00:00:00:04 4
	# MIC-only phones, never given an LSC.
	expect_auth "MIC only, phone 1" ACCEPT sqlite-1 mic-1 0b:00:00:00:00:01 5
	expect_auth "MIC only, phone 2" ACCEPT sqlite-1 mic-2 0b:00:00:00:00:02 6
	# Phones 2 and 3 re-enrolled with the new CAPF.
	expect_auth "re-enrolled, phone 2" ACCEPT sqlite-1 new-2 0a:00:00:00:00:02 2
	expect_auth "re-enrolled, phone 3" ACCEPT sqlite-1 new-3 0a:00:00:00:00:03 3
	# Phone 1 authenticates again and resumes its TLS 1.2 session the second time.
	local line out
	line=$(auth sqlite-1 old-1 0a:00:00:00:00:01 1 -r 1)
	out=$(echo "$line" | cut -d' ' -f5)
	if [ "$(echo "$line" | cut -d' ' -f3)" = ACCEPT ] && [ "$(grep -c '^CTRL-EVENT-EAP-SUCCESS' "$out")" = 2 ] &&
		[ "$(grep -c 'Handshake finished - resumed=0' "$out")" = 1 ] &&
		[ "$(grep -c 'Handshake finished - resumed=1' "$out")" = 1 ]; then
		ok "phone 1 again: full handshake then a TLS 1.2 resumption, both admitted"
	else
		not_ok "resumption" "$line: $(grep -E 'Handshake finished|SUCCESS|FAILURE' "$out" | head -n 4 | paste -sd ' ')"
	fi
	answer_has "TLS 1.2 resumption: the decision's attributes reach the outer post-auth" sqlite-1 \
		reason=lsc-retiring-accepted anchor=capf-a-old device=SEP0A0000000001 "fp=$FP_OLD" "serial=$serial_old1"
	# Phone 4 comes back with an LSC from a cluster whose CAPF is not uploaded: refused in the
	# TLS handshake, before the decision.  The ledger must keep the CAPF it holds.
	expect_auth "phone 4 with another cluster's LSC" REJECT sqlite-1 moved-4 0a:00:00:00:00:04 4
	answer_has "refusal before the decision: the diagnosis reaches the outer post-auth" sqlite-1 \
		reason=capf-not-uploaded device=SEP0A0000000004 fp= anchor=
	# Phone 3's LSC on another port's MAC, through a switch sending a hostile NAS-Port-Id:
	# refused by the decision.
	hostile_port="Gi1/0/3'); DELETE FROM phonecert_device; --"
	PORT_ID=$hostile_port expect_auth "phone 3, MAC mismatch, hostile NAS-Port-Id" REJECT sqlite-1 new-3 0a:00:00:00:00:99 3
	answer_has "refusal by the decision: its attributes reach the outer post-auth" sqlite-1 \
		reason=mac-mismatch anchor=capf-a device=SEP0A0000000003 "fp=$FP_NEW"
	# A Cisco switch's certificate (a genuine MIC chain, but not a phone: no device name, so the
	# row is keyed by the Calling-Station-Id), with a hostile Calling-Station-Id.
	hostile_csid="x'); DROP TABLE phonecert_history; --"
	expect_auth "switch certificate, hostile Calling-Station-Id" REJECT sqlite-1 pki:sudi-switch 00:11:22:33:44:55 7 \
		-N "31:s:$hostile_csid"
	t1=$(date +%s)

	same "SQLite rows: device, kind, anchor, state, fingerprint, reason, accepted, count, switch, port, server" \
		"$(sq "SELECT device, kind, anchor, anchor_state,
			CASE anchor_fp WHEN '$FP_OLD' THEN 'FP_OLD' WHEN '$FP_NEW' THEN 'FP_NEW' WHEN '$FP_MFG' THEN 'FP_MFG' ELSE anchor_fp END,
			reason, accepted, count, nas_ip, nas_id, nas_port_id, calling_station_id, server
			FROM phonecert_device ORDER BY device")" \
		"$(cat <<EOF
SEP0A0000000001|lsc|capf-a-old|retiring|FP_OLD|lsc-retiring-accepted|1|3|10.1.0.1|sw-1|Gi1/0/1|0A-00-00-00-00-01|sqlite-1
SEP0A0000000002|lsc|capf-a|active|FP_NEW|lsc-accepted|1|2|10.1.0.2|sw-2|Gi1/0/2|0A-00-00-00-00-02|sqlite-1
SEP0A0000000003|lsc|capf-a|active|FP_NEW|mac-mismatch|0|3|10.1.0.3|sw-3|Gi1/0/3=27=29=3B DELETE FROM phonecert_device=3B --|0A-00-00-00-00-99|sqlite-1
SEP0A0000000004|lsc|capf-a-old|retiring|FP_OLD|capf-not-uploaded|0|2|10.1.0.4|sw-4|Gi1/0/4|0A-00-00-00-00-04|sqlite-1
SEP0B0000000001|mic|manufacturing|active|FP_MFG|mic-accepted|1|1|10.1.0.5|sw-5|Gi1/0/5|0B-00-00-00-00-01|sqlite-1
SEP0B0000000002|mic|manufacturing|active|FP_MFG|mic-accepted|1|1|10.1.0.6|sw-6|Gi1/0/6|0B-00-00-00-00-02|sqlite-1
csid:x=27=29=3B DROP TABLE phonecert_history=3B --|mic|manufacturing|active|FP_MFG|not-a-phone|0|1|10.1.0.7|sw-7|Gi1/0/7|x=27=29=3B DROP TABLE phonecert_history=3B --|sqlite-1
EOF
)"
	same "SQLite rows: the certificate's serial, notAfter, MAC and model as the decision read them" \
		"$(sq "SELECT cert_serial, cert_not_after, mac, model FROM phonecert_device WHERE device = 'SEP0A0000000002'")" \
		"$(serial_of "$LPKI/new-2.crt")|$(date -u -d "$(openssl x509 -in "$LPKI/new-2.crt" -noout -enddate | cut -d= -f2)" +%s)|0A:00:00:00:00:02|CP-8861"
	same "SQLite: phone 4's serial still that of its LSC from the CAPF it holds, not of the refused one" \
		"$(sq "SELECT cert_serial FROM phonecert_device WHERE device = 'SEP0A0000000004'")" "$(serial_of "$LPKI/old-4.crt")"
	same "SQLite times: first_seen <= last_seen, both within the run" \
		"$(sq "SELECT count(*) FROM phonecert_device WHERE first_seen < $t0 OR last_seen > $t1 OR first_seen > last_seen")" 0
	same "SQLite history: a first sighting per device, and the two re-enrolled phones' move old -> new CAPF" \
		"$(sq "SELECT device, old_kind, new_kind, old_anchor, new_anchor,
			CASE old_anchor_fp WHEN '$FP_OLD' THEN 'FP_OLD' ELSE old_anchor_fp END,
			CASE new_anchor_fp WHEN '$FP_OLD' THEN 'FP_OLD' WHEN '$FP_NEW' THEN 'FP_NEW' WHEN '$FP_MFG' THEN 'FP_MFG' ELSE new_anchor_fp END,
			reason, server, at BETWEEN $t0 AND $t1 FROM phonecert_history ORDER BY id")" \
		"$(cat <<EOF
SEP0A0000000001||lsc||capf-a-old||FP_OLD|lsc-retiring-accepted|sqlite-1|1
SEP0A0000000002||lsc||capf-a-old||FP_OLD|lsc-retiring-accepted|sqlite-1|1
SEP0A0000000003||lsc||capf-a-old||FP_OLD|lsc-retiring-accepted|sqlite-1|1
SEP0A0000000004||lsc||capf-a-old||FP_OLD|lsc-retiring-accepted|sqlite-1|1
SEP0B0000000001||mic||manufacturing||FP_MFG|mic-accepted|sqlite-1|1
SEP0B0000000002||mic||manufacturing||FP_MFG|mic-accepted|sqlite-1|1
SEP0A0000000002|lsc|lsc|capf-a-old|capf-a|FP_OLD|FP_NEW|lsc-accepted|sqlite-1|1
SEP0A0000000003|lsc|lsc|capf-a-old|capf-a|FP_OLD|FP_NEW|lsc-accepted|sqlite-1|1
csid:x=27=29=3B DROP TABLE phonecert_history=3B --||mic||manufacturing||FP_MFG|not-a-phone|sqlite-1|1
EOF
)"
	same "SQLite history: the move is dated between the two LSCs' authentications" \
		"$(sq "SELECT count(*) FROM phonecert_history h JOIN phonecert_history f
			ON f.device = h.device AND f.old_anchor_fp = '' WHERE h.old_anchor_fp = '$FP_OLD' AND h.at >= f.at")" 2
	if [ -s "$RADDB_sqlite_1/run/phonecert-ledger-gap.log" ]; then
		not_ok "no missed write" "$(cat "$RADDB_sqlite_1/run/phonecert-ledger-gap.log")"
	else
		ok "no missed write while the database was there (empty gap log)"
	fi

	part_sqlite_locked
}

# Another writer holds the SQLite file locked (a long report, a backup): the write gives up after
# busy_timeout, the phone is admitted as before, the gap log says which decision is missing.
part_sqlite_locked() {
	local fifo=$WORK/sqlite-lock.fifo lockout=$WORK/sqlite-lock.out lock_pid line ms gap
	gap=$RADDB_sqlite_1/run/phonecert-ledger-gap.log
	rm -f "$fifo"
	mkfifo "$fifo"
	sqlite3 -batch "$RADDB_sqlite_1/run/phonecert-ledger.sqlite" <"$fifo" >"$lockout" 2>&1 &
	lock_pid=$!
	exec 7>"$fifo"
	echo "BEGIN EXCLUSIVE; SELECT 'locked';" >&7
	for _ in $(seq 1 100); do grep -q locked "$lockout" && break; sleep 0.05; done
	if ! grep -q locked "$lockout"; then not_ok "sqlite lock" "could not lock the ledger: $(cat "$lockout")"; fi

	line=$(auth sqlite-1 mic-2 0b:00:00:00:00:02 6)
	ms=$(echo "$line" | cut -d' ' -f4)
	if [ "$(echo "$line" | cut -d' ' -f3)" = ACCEPT ] && [ "$ms" -lt 5000 ]; then
		ok "ledger locked by another writer: phone still admitted, in ${ms} ms (busy_timeout 500 ms)"
	else
		not_ok "ledger locked" "$line"
	fi
	if [ "$(wc -l <"$gap" 2>/dev/null)" = 1 ] &&
		grep -q ' missed server=sqlite-1 device=SEP0B0000000002 reason=mic-accepted kind=MIC anchor=manufacturing reply=Access-Accept nas_ip=10.1.0.6 nas_id=sw-6 port=Gi1/0/6 csid=0B-00-00-00-00-02$' "$gap"; then
		ok "the missed write is one line in the gap log, naming the device and the decision"
	else
		not_ok "gap log" "$(cat "$gap" 2>/dev/null)"
	fi
	if grep -q 'phonecert_ledger' "$RADDB_sqlite_1/run/radius.log" && grep -qi 'locked\|busy' "$RADDB_sqlite_1/run/radius.log"; then
		ok "radius.log says why the write failed (database locked)"
	else
		not_ok "radius.log" "no line about the locked database"
	fi

	echo "COMMIT;" >&7
	exec 7>&-
	wait "$lock_pid"
	expect_auth "lock released: phone 2 again" ACCEPT sqlite-1 mic-2 0b:00:00:00:00:02 6
	same "after the lock: the new decision is written, the missed one is not (count 2, not 3)" \
		"$(sq "SELECT count FROM phonecert_device WHERE device = 'SEP0B0000000002'")|$(wc -l <"$gap")" "2|1"
	if kill -0 "$PID_sqlite_1"; then ok "radiusd still running"; else not_ok "radiusd" "radiusd exited"; fi
}
