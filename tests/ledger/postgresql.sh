# shellcheck shell=bash disable=SC2154 # RADDB_*, PORT_*, PID_*: set by server() in run.sh
# The PostgreSQL parts of tests/ledger/run.sh (sourced): two radiusd, pg-a and pg-b, writing one
# ledger in a PostgreSQL server of the suite's own (tests/lib/postgres.sh).

pq() { PG_DB=radius pg_psql "$@"; }
gap_lines() { cat "$RADDB_pg_a/run/phonecert-ledger-gap.log" "$RADDB_pg_b/run/phonecert-ledger-gap.log" 2>/dev/null | wc -l; }
ledger_sum() { pq "SELECT COALESCE(sum(count), 0) FROM phonecert_device"; }

# The database as the README sets it up: schema.sql run by the owner, then only the grants its
# header lists for the RADIUS servers' role.  Then the two servers.
PG_READY=
pg_setup() {
	[ -n "$PG_READY" ] && return 0
	local schema=$TOP/raddb/mods-config/sql/phonecert/postgresql/schema.sql grants
	pg_start "$WORK/pg" || { not_ok "postgresql" "PostgreSQL did not start"; exit 1; }
	pq "$(cat "$schema")" >"$WORK/pg/schema.out" 2>&1 ||
		{ not_ok "postgresql schema" "schema.sql failed: $(cat "$WORK/pg/schema.out")"; exit 1; }
	pq "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM radius" >/dev/null
	grants=$(grep -o 'GRANT [^;]* TO radius;' "$schema")
	if [ "$(echo "$grants" | wc -l)" = 3 ] && pq "$grants" >/dev/null; then
		ok "PostgreSQL ledger: schema.sql and the grants of its header ($(echo "$grants" | wc -l) GRANTs)"
	else
		not_ok "grants" "expected 3 GRANT ... TO radius in the schema header: $grants"
	fi
	# The password in a passfile, as the README says, so that it never reaches radius.log.
	printf '127.0.0.1:%s:radius:radius:%s\n' "$PG_PORT" "$PG_PASSWORD" >"$WORK/pg/ledger.pgpass"
	chmod 600 "$WORK/pg/ledger.pgpass"
	LEDGER_DB="host=127.0.0.1 port=$PG_PORT dbname=radius user=radius passfile=$WORK/pg/ledger.pgpass"
	export LEDGER_DB
	server pg-a postgresql
	LEDGER_PORT_BASE=$((PORT_pg_a + 2)) server pg-b postgresql
	PG_READY=1
}

part_postgresql() {
	echo "# postgresql: two radiusd writing one ledger at once"
	pg_setup
	local before i srv pids=() n_auths
	before=$(wc -l <"$WORK/auths")
	# Phone 1 still on its old LSC, once, seen by pg-a; MIC phone 1 first seen by pg-b.  Then
	# everyone on new LSCs and MICs, on both servers at once.
	expect_auth "pg-a: phone 1, old LSC" ACCEPT pg-a old-1 0a:00:00:00:00:01 1
	expect_auth "pg-b: MIC phone 1" ACCEPT pg-b mic-1 0b:00:00:00:00:01 5
	for _ in 1 2 3; do
		pids=()
		for i in 1 2 3 4; do
			for srv in pg-a pg-b; do
				auth "$srv" "new-$i" "0a:00:00:00:00:0$i" "$i" >/dev/null &
				pids+=($!)
				auth "$srv" "mic-$i" "0b:00:00:00:00:0$i" "$((i + 4))" >/dev/null &
				pids+=($!)
			done
		done
		for i in "${pids[@]}"; do wait "$i"; done
	done
	# Last, in order: the LSC phones through pg-a, the MIC phones through pg-b.
	for i in 1 2 3 4; do auth pg-a "new-$i" "0a:00:00:00:00:0$i" "$i" >/dev/null; done
	for i in 1 2 3 4; do auth pg-b "mic-$i" "0b:00:00:00:00:0$i" "$((i + 4))" >/dev/null; done

	n_auths=$(tail -n +"$((before + 1))" "$WORK/auths" | wc -l)
	same "$n_auths authentications on two servers, 16 at a time: all admitted" \
		"$(tail -n +"$((before + 1))" "$WORK/auths" | awk '$3 != "ACCEPT"' | wc -l)" 0
	same "no lost update: the counts add up to the $n_auths authentications" "$(ledger_sum)" "$n_auths"
	same "PostgreSQL rows: per device its count, anchor, reason, and the server that saw it last" \
		"$(pq "SELECT device, kind, anchor, CASE anchor_fp WHEN '$FP_NEW' THEN 'FP_NEW' WHEN '$FP_MFG' THEN 'FP_MFG' ELSE anchor_fp END,
			reason, accepted, count, nas_id, server FROM phonecert_device ORDER BY device")" \
		"$(cat <<EOF
SEP0A0000000001|lsc|capf-a|FP_NEW|lsc-accepted|1|8|sw-1|pg-a
SEP0A0000000002|lsc|capf-a|FP_NEW|lsc-accepted|1|7|sw-2|pg-a
SEP0A0000000003|lsc|capf-a|FP_NEW|lsc-accepted|1|7|sw-3|pg-a
SEP0A0000000004|lsc|capf-a|FP_NEW|lsc-accepted|1|7|sw-4|pg-a
SEP0B0000000001|mic|manufacturing|FP_MFG|mic-accepted|1|8|sw-5|pg-b
SEP0B0000000002|mic|manufacturing|FP_MFG|mic-accepted|1|7|sw-6|pg-b
SEP0B0000000003|mic|manufacturing|FP_MFG|mic-accepted|1|7|sw-7|pg-b
SEP0B0000000004|mic|manufacturing|FP_MFG|mic-accepted|1|7|sw-8|pg-b
EOF
)"
	same "PostgreSQL history: one first sighting per device (however the servers raced), phone 1's move old -> new" \
		"$(pq "SELECT device, old_anchor, new_anchor, CASE WHEN old_anchor = '' AND device IN
			('SEP0A0000000001', 'SEP0B0000000001') THEN server WHEN server IN ('pg-a', 'pg-b') THEN 'pg-?'
			ELSE server END FROM phonecert_history ORDER BY device, id")" \
		"$(cat <<EOF
SEP0A0000000001||capf-a-old|pg-a
SEP0A0000000001|capf-a-old|capf-a|pg-?
SEP0A0000000002||capf-a|pg-?
SEP0A0000000003||capf-a|pg-?
SEP0A0000000004||capf-a|pg-?
SEP0B0000000001||manufacturing|pg-b
SEP0B0000000002||manufacturing|pg-?
SEP0B0000000003||manufacturing|pg-?
SEP0B0000000004||manufacturing|pg-?
EOF
)"
	same "no missed write (empty gap logs)" "$(gap_lines)" 0
	if grep -qF "$PG_PASSWORD" "$RADDB_pg_a/run/radius.log" "$RADDB_pg_b/run/radius.log"; then
		not_ok "password" "the database password is in radius.log"
	else
		ok "the database password is not in radius.log (passfile)"
	fi
	if pq "SET ROLE radius; DELETE FROM phonecert_history" >/dev/null 2>&1; then
		not_ok "least privilege" "the RADIUS role may delete history"
	else
		ok "the RADIUS role cannot delete history (append-only for it)"
	fi
	part_postgresql_locked
}

# A slow database: another session holds phone 2's row locked (a long report, a stuck admin
# transaction).  The write must give up after lock_timeout (the options= of radius_db), the phone
# be admitted as before, the gap be logged.
part_postgresql_locked() {
	local fifo=$WORK/pg-lock.fifo lockout=$WORK/pg-lock.out lock_pid line ms c0 g0
	rm -f "$fifo"
	mkfifo "$fifo"
	pg_as_owner "$PG_BINDIR/psql" -X -q -A -t -h "$PG_SOCKET" -p "$PG_PORT" -U phonecert_admin -d radius \
		<"$fifo" >"$lockout" 2>&1 &
	lock_pid=$!
	exec 7>"$fifo"
	echo "BEGIN; SELECT 'locked ' || device FROM phonecert_device WHERE device = 'SEP0A0000000002' FOR UPDATE;" >&7
	for _ in $(seq 1 100); do grep -q 'locked SEP0A0000000002' "$lockout" && break; sleep 0.05; done
	grep -q 'locked SEP0A0000000002' "$lockout" || not_ok "row lock" "could not lock the row: $(cat "$lockout")"
	c0=$(pq "SELECT count FROM phonecert_device WHERE device = 'SEP0A0000000002'")
	g0=$(gap_lines)
	line=$(auth pg-b new-2 0a:00:00:00:00:02 2)
	ms=$(echo "$line" | cut -d' ' -f4)
	if [ "$(echo "$line" | cut -d' ' -f3)" = ACCEPT ] && [ "$ms" -lt 3000 ]; then
		ok "row locked by another session: phone admitted in $ms ms (lock_timeout 500 ms)"
	else
		not_ok "row locked" "$line"
	fi
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait "$lock_pid"
	same "the write gave up: count unchanged, one more gap line, radius.log says 55P03 (lock not available)" \
		"$(pq "SELECT count FROM phonecert_device WHERE device = 'SEP0A0000000002'")|$(($(gap_lines) - g0))|$(grep -c '55P03: LOCK NOT AVAILABLE' "$RADDB_pg_b/run/radius.log")" \
		"$c0|1|1"
	expect_auth "lock released: phone 2 again, written" ACCEPT pg-b new-2 0a:00:00:00:00:02 2
	same "written after the lock" "$(pq "SELECT count FROM phonecert_device WHERE device = 'SEP0A0000000002'")" "$((c0 + 1))"
}

# worker SERVER1 SERVER2 PHONE MAC SWITCH N FILE: N authentications of PHONE, alternating between
# the two servers, one after the other; each appends its line to FILE.
worker() {
	local n
	for n in $(seq 1 "$6"); do
		if [ $((n % 2)) = 1 ]; then auth "$1" "$3" "$4" "$5"; else auth "$2" "$3" "$4" "$5"; fi >>"$7"
	done
}

part_fault() {
	echo "# fault: PostgreSQL stopped in the middle of parallel authentications"
	pg_setup
	local runs=$WORK/fault.auths s0 g0 pids=() i done_before_stop n total bad ms sorted s1 g1 since got
	: >"$runs"
	s0=$(ledger_sum)
	g0=$(gap_lines)
	for i in 1 2 3 4; do
		worker pg-a pg-b "new-$i" "0a:00:00:00:00:0$i" "$i" 10 "$runs" &
		pids+=($!)
	done
	for i in 1 2 3; do
		worker pg-b pg-a "mic-$i" "0b:00:00:00:00:0$i" "$((i + 4))" 10 "$runs" &
		pids+=($!)
	done
	# Phone 4 with another cluster's LSC: refused, database or not.
	worker pg-a pg-b moved-4 0a:00:00:00:00:04 4 10 "$runs" &
	pids+=($!)
	total=80

	# Stop PostgreSQL once a fifth of them are done (a condition, not a guess of time).
	for i in $(seq 1 600); do [ "$(wc -l <"$runs")" -ge 16 ] && break; sleep 0.1; done
	done_before_stop=$(wc -l <"$runs")
	pg_stop
	echo "# fault: PostgreSQL stopped after $done_before_stop of $total authentications"
	for i in "${pids[@]}"; do wait "$i"; done

	n=$(wc -l <"$runs")
	same "every authentication ran ($total)" "$n" "$total"
	bad=$(awk '($2 ~ /^moved-/ && $3 != "REJECT") || ($2 !~ /^moved-/ && $3 != "ACCEPT")' "$runs")
	if [ -z "$bad" ]; then ok "every answer right with the database gone: $((total - 10)) admitted, 10 refused"
	else not_ok "answers" "$bad"; fi
	if kill -0 "$PID_pg_a" && kill -0 "$PID_pg_b"; then ok "both radiusd still running"
	else not_ok "radiusd" "a radiusd exited"; fi
	# Times (8 in parallel on 2 servers): before the stop, and from the stop on.
	sorted=$(head -n "$done_before_stop" "$runs" | awk '{ print $4 }' | sort -n)
	echo "# fault: ms per authentication with PostgreSQL up: min $(echo "$sorted" | head -n 1)," \
		"median $(echo "$sorted" | sed -n "$(((done_before_stop + 1) / 2))p"), max $(echo "$sorted" | tail -n 1)"
	sorted=$(tail -n +"$((done_before_stop + 1))" "$runs" | awk '{ print $4 }' | sort -n)
	echo "# fault: ms per authentication from the stop on ($((total - done_before_stop))): min $(echo "$sorted" | head -n 1)," \
		"median $(echo "$sorted" | sed -n "$(((total - done_before_stop + 1) / 2))p"), max $(echo "$sorted" | tail -n 1)"
	ms=$(awk '{ print $4 }' "$runs" | sort -n | tail -n 1)
	if [ "$ms" -lt 5000 ]; then ok "no authentication stalled (the slowest took $ms ms; eapol_test gives up at 10 s)"
	else not_ok "stall" "an authentication took $ms ms"; fi
	g1=$(gap_lines)
	if [ "$((g1 - g0))" -gt 0 ] && grep -q 'missed server=pg-[ab] device=SEP0[AB]000000000[1-4] reason=' \
		"$RADDB_pg_a/run/phonecert-ledger-gap.log" "$RADDB_pg_b/run/phonecert-ledger-gap.log"; then
		ok "the missed writes are in the gap logs ($((g1 - g0)) lines)"
	else
		not_ok "gap log" "no missed write logged"
	fi
	if grep -q 'rlm_sql (phonecert_ledger)' "$RADDB_pg_a/run/radius.log"; then
		ok "radius.log names the ledger module for the failure: $(grep 'rlm_sql (phonecert_ledger)' "$RADDB_pg_a/run/radius.log" | grep -i 'error\|fail\|connect' | tail -n 1 | cut -c 27- | cut -c -100)"
	else
		not_ok "radius.log" "nothing from rlm_sql (phonecert_ledger)"
	fi

	pg_start_again || { not_ok "postgresql" "did not start again"; return; }
	# The pools try again after retry_delay (5 s): authenticate until each server writes again.
	local srv phone mac sw c0 c1
	for srv in pg-a pg-b; do
		[ "$srv" = pg-a ] && { phone=mic-4; mac=0b:00:00:00:00:04; sw=8; }
		[ "$srv" = pg-b ] && { phone=new-4; mac=0a:00:00:00:00:04; sw=4; }
		got=
		for i in $(seq 1 60); do
			c0=$(ledger_sum)
			auth "$srv" "$phone" "$mac" "$sw" >>"$runs"
			c1=$(ledger_sum)
			if [ "$c1" -gt "$c0" ]; then got=$i; break; fi
			sleep 0.25
		done
		if [ -n "$got" ]; then ok "$srv writes the ledger again once PostgreSQL is back (attempt $got)"
		else not_ok "$srv recovery" "no write within 60 attempts"; fi
	done
	since=$(wc -l <"$runs")
	s1=$(ledger_sum)
	g1=$(gap_lines)
	same "every decision since the outage began is in the ledger or in a gap log: written + missed = $since" \
		"$((s1 - s0 + g1 - g0))" "$since"
	c0=$(pq "SELECT count FROM phonecert_device WHERE device = 'SEP0B0000000001'")
	auth pg-b mic-1 0b:00:00:00:00:01 5 >/dev/null
	same "after recovery: one more decision, one more count, no gap" \
		"$(pq "SELECT count FROM phonecert_device WHERE device = 'SEP0B0000000001'")|$(gap_lines)" "$((c0 + 1))|$g1"
}
