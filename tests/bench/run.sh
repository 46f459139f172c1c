#!/usr/bin/env bash
# Benchmarks of rlm_phonecert (make bench, make bench-quick):
#
#   1. decide  the core's per-request decision, against trust stores of 1 to 1000 anchors, and the
#              chain verification the module's TLS hook does per handshake against OpenSSL's own
#   2. e2e     EAP-TLS authentications with eapol_test against two radiusd, one with the stock
#              unlang issuer check (tests/bench/raddb-stock) and one with rlm_phonecert:
#              radiusd CPU per 1000 authentications (the primary figure), throughput, client CPU
#   3. storm   1000 distinct phones arriving at once, against each of the two servers
#   4. instr   instructions per authentication of each server under callgrind, which other
#              load on the machine does not change
#   5. feature what each optional feature on the authentication path costs, side by side with
#              stock and the plain module in one run: the rollover ledger in SQLite and in
#              PostgreSQL (a server of the bench's own), and a 10,000-entry deny-list with a
#              10,000-entry CRL on the phones' CAPF: radiusd CPU per 1000 full handshakes, the
#              boot storm with each ledger, and instructions per authentication under callgrind
#
# Writes BUILD/bench/{decide,verify,e2e,e2e-summary,storm,instr,feature,feature-storm,feature-instr}.csv,
# machine.txt and table.md
# (see tests/bench/README.md),
# and prints the table.  Ratios are reported, never asserted: the exit status is non-zero only
# when the benchmark itself could not run (a server that does not start, authentications
# that fail).
#
# usage: tests/bench/run.sh BUILD_DIR
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR}
# The servers are timed as they run in production: never under a checker or wrapper that
# lib.sh would otherwise put in front of radiusd.
unset VALGRIND MEMCHECK RADIUSD_WRAPPER IT_SLOW
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"

BENCH_SRC=$TOP/tests/bench
OUT=$BUILD/bench
BIN=$OUT/bin

# ------------------------------------------------------------------ knobs
# make bench-quick sets BENCH_QUICK=1: the same steps, small enough for a smoke test.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${BENCH_RUNS:=1}" "${BENCH_AUTHS:=40}" "${BENCH_RESUME:=19}" "${BENCH_STORM:=100}"
	: "${BENCH_DECIDE_ITERATIONS:=20000}" "${BENCH_DECIDE_REPETITIONS:=3}" "${BENCH_PARALLEL:=1 4}"
	: "${BENCH_VERIFY_ITERATIONS:=200}"
	: "${BENCH_RESUMED_PARALLEL:=4}" "${BENCH_INSTR_AUTHS:=4}"
fi
BENCH_PARTS=${BENCH_PARTS:-decide e2e storm instr feature}	# any subset; they run in this order
BENCH_RUNS=${BENCH_RUNS:-3}				# stock/module pairs per e2e cell, and storms per server
BENCH_AUTHS=${BENCH_AUTHS:-400}				# full handshakes per e2e run
BENCH_RESUME=${BENCH_RESUME:-39}			# eapol_test -r: resumptions per client in a resumed run
BENCH_PARALLEL=${BENCH_PARALLEL:-1 2 4 8}		# concurrent eapol_test processes
# eapol_test pauses 100 ms before each re-authentication, so a client resumes at most 10
# sessions/s: a resumed run needs more clients than a full one before radiusd is busy.
BENCH_RESUMED_PARALLEL=${BENCH_RESUMED_PARALLEL:-$BENCH_PARALLEL 32}
BENCH_KEYS=${BENCH_KEYS:-rsa2048 p256}			# phone key types
BENCH_THREADS=${BENCH_THREADS:-8}			# radiusd thread pool (both servers)
BENCH_STORM=${BENCH_STORM:-1000}			# distinct phones in the boot storm
BENCH_STORM_PARALLEL=${BENCH_STORM_PARALLEL:-32}	# phones in flight at once during the storm
BENCH_STORM_RUNS=${BENCH_STORM_RUNS:-$BENCH_RUNS}
BENCH_ANCHORS=${BENCH_ANCHORS:-1,10,100,1000}		# trust store sizes for the decision cost
BENCH_INSTR_AUTHS=${BENCH_INSTR_AUTHS:-20}		# authentications per batch under callgrind
BENCH_DECIDE_ITERATIONS=${BENCH_DECIDE_ITERATIONS:-100000}
BENCH_DECIDE_REPETITIONS=${BENCH_DECIDE_REPETITIONS:-7}
BENCH_VERIFY_ITERATIONS=${BENCH_VERIFY_ITERATIONS:-2000}	# chain verifications per batch (each ~20 µs)
BENCH_FEATURE_PARALLEL=${BENCH_FEATURE_PARALLEL:-4}	# clients in the feature part's full-handshake runs
BENCH_DENY_ENTRIES=${BENCH_DENY_ENTRIES:-10000}		# deny-list entries, and filler serials in the CRL

# The e2e phones: the test PKI's LSCs of cluster A (gen.sh), one per key type, and their MACs.
declare -A PHONE=([rsa2048]=lsc-a [p256]=lsc-a-ec)
declare -A PHONE_MAC=([rsa2048]=b0:00:b4:ba:0a:ee [p256]=00:1e:7a:c3:d1:ab)

STOCK_PID='' MODULE_PID='' VG_PID=''
declare -A FEATURE_PID=()
stop_servers() {
	local pid
	for pid in $STOCK_PID $MODULE_PID $VG_PID "${FEATURE_PID[@]}"; do RADIUSD_PID=$pid stop_radiusd; done
	STOCK_PID='' MODULE_PID='' VG_PID=''
	FEATURE_PID=()
}
# shellcheck source=tests/lib/postgres.sh
source "$TOP/tests/lib/postgres.sh"
trap 'stop_servers; pg_stop' EXIT

die() {
	echo "bench: $*" >&2
	exit 1
}
part() { [[ " $BENCH_PARTS " == *" $1 "* ]]; }

mkdir -p "$OUT"
# Results of an earlier run must not mix with this one's in the table.
rm -f "$OUT"/{decide,verify,e2e,e2e-summary,storm,instr,feature,feature-storm,feature-instr}.csv "$OUT/table.md"
for tool in bench_decide bench_certs bench_load; do
	[ -x "$BIN/$tool" ] || die "$BIN/$tool is missing: run through make bench"
done
[ -x "$EAPOL_TEST" ] || die "eapol_test not found (Debian package eapoltest)"
[ -x "$RADIUSD" ] || die "radiusd not found (Debian package freeradius)"
[ -f "$PKI/capf-a.crt" ] || die "no test PKI in $PKI: run through make bench"

# ------------------------------------------------------------------ the machine
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "cores: $(nproc) online ($(grep -c ^processor /proc/cpuinfo) in /proc/cpuinfo)"
	echo "kernel: $(uname -sr)"
	echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "freeradius: $("$RADIUSD" -v | sed -n 's/.*Version \([^ ,]*\).*/\1/p' | head -n 1)"
	echo "eapol_test: $(dpkg-query -W -f='${Version}' eapoltest 2>/dev/null || echo unknown)"
	echo "openssl: $(openssl version)"
	echo "cc: $(${CC:-cc} --version | head -n 1)"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "knobs: runs=$BENCH_RUNS auths=$BENCH_AUTHS resume=$BENCH_RESUME parallel='$BENCH_PARALLEL'" \
		"resumed_parallel='$BENCH_RESUMED_PARALLEL' keys='$BENCH_KEYS' threads=$BENCH_THREADS storm=$BENCH_STORM" \
		"storm_parallel=$BENCH_STORM_PARALLEL storm_runs=$BENCH_STORM_RUNS anchors=$BENCH_ANCHORS" \
		"instr_auths=$BENCH_INSTR_AUTHS decide_iterations=$BENCH_DECIDE_ITERATIONS" \
		"decide_repetitions=$BENCH_DECIDE_REPETITIONS verify_iterations=$BENCH_VERIFY_ITERATIONS" \
		"feature_parallel=$BENCH_FEATURE_PARALLEL deny_entries=$BENCH_DENY_ENTRIES"
} >"$OUT/machine.txt"
echo "# bench: $(sed -n 's/^cpu: //p' "$OUT/machine.txt"), $(nproc) cores, results in $OUT"

# ------------------------------------------------------------------ 1. decision cost
if part decide; then
	rm -rf "$OUT/anchors"
	mkdir -p "$OUT/anchors"
	max_anchors=$(tr ',' '\n' <<<"$BENCH_ANCHORS" | sort -n | tail -n 1)
	"$BIN/bench_certs" anchors "$OUT/anchors" "$max_anchors" || die "cannot generate $max_anchors anchors"
	echo "# decide: $BENCH_DECIDE_REPETITIONS x $BENCH_DECIDE_ITERATIONS decisions per case and store size," \
		"$BENCH_DECIDE_REPETITIONS x $BENCH_VERIFY_ITERATIONS chain verifications"
	"$BIN/bench_decide" -p "$PKI" -a "$OUT/anchors" -o "$OUT/decide.csv" -v "$OUT/verify.csv" \
		-c "$BENCH_ANCHORS" -n "$BENCH_DECIDE_ITERATIONS" -m "$BENCH_VERIFY_ITERATIONS" \
		-r "$BENCH_DECIDE_REPETITIONS" || die "bench_decide failed"
fi

# ------------------------------------------------------------------ the two servers
# The anchors both servers trust: cluster A's CAPF and the manufacturing CA.
TRUSTED="capf-a mfg-int"

# make_module_raddb DIR PORT: the shipped raddb (as the integration tests assemble it), the
# README's outer server, and phonecert.conf uploading the trusted anchors.
make_module_raddb() {
	local dir=$1 port=$2
	make_raddb "$dir" "$port" "$BENCH_THREADS"
	rm -f "$dir/sites-enabled/phonecert-test" "$dir/mods-enabled/testlog"
	sed -e "s|@PORT@|$port|g" "$BENCH_SRC/raddb-module/outer.in" >"$dir/sites-available/bench-outer"
	ln -s ../sites-available/bench-outer "$dir/sites-enabled/bench-outer"
	write_phonecert_conf "$dir/phonecert/phonecert.conf" <<EOF
[policy]
mic = allow
mac_binding = enforce
reply_profile = cisco

[anchor capf-a]
role = lsc
file = @PKI@/capf-a.crt

[anchor manufacturing]
role = mic
file = @PKI@/mfg-int.crt
EOF
}

# make_stock_raddb DIR PORT: the same radiusd.conf, Debian's stock modules, the stock
# fixture (tests/bench/raddb-stock) and a hashed ca_path with the same anchors.
make_stock_raddb() {
	local dir=$1 port=$2 run=$1/run ca
	rm -rf "$dir"
	mkdir -p "$dir"/{mods-available,mods-enabled,sites-available,sites-enabled,policy.d,certs/ca.d} "$run/tlscache"
	sed -e "s|@RUN@|$run|g" -e "s|@RADDB@|$dir|g" -e "s|@THREADS@|$BENCH_THREADS|g" \
		-e "s|@LIBDIR@|/usr/lib/freeradius|g" "$IT_DIR/radiusd.conf.in" >"$dir/radiusd.conf"
	# shellcheck disable=SC2016 # $INCLUDE is FreeRADIUS syntax, not a shell variable
	printf '$INCLUDE /usr/share/freeradius/dictionary\n' >"$dir/dictionary"
	cp "$BENCH_SRC/raddb-stock/eap" "$dir/mods-available/eap"
	cp /etc/freeradius/3.0/mods-available/always "$dir/mods-available/always"
	ln -s ../mods-available/eap "$dir/mods-enabled/eap"
	ln -s ../mods-available/always "$dir/mods-enabled/always"
	cp "$BENCH_SRC/raddb-stock/check-eap-tls" "$dir/sites-available/check-eap-tls"
	sed -e "s|@PORT@|$port|g" "$BENCH_SRC/raddb-stock/outer.in" >"$dir/sites-available/bench-outer"
	ln -s ../sites-available/check-eap-tls "$dir/sites-enabled/check-eap-tls"
	ln -s ../sites-available/bench-outer "$dir/sites-enabled/bench-outer"
	cp "$PKI/server.crt" "$dir/certs/server.pem"
	cp "$PKI/server.key" "$dir/certs/server.key"
	chmod 600 "$dir/certs/server.key"
	for ca in $TRUSTED; do cp "$PKI/$ca.crt" "$dir/certs/ca.d/"; done
	openssl rehash "$dir/certs/ca.d" >/dev/null 2>&1 || die "openssl rehash $dir/certs/ca.d failed"
}

start_server() {
	local name=$1 dir=$2
	if ! start_radiusd "$dir"; then
		tail -n 20 "$dir/run/radiusd.out" "$dir/run/radius.log" 2>/dev/null
		die "the $name radiusd did not start: $RADIUSD -X -d $dir"
	fi
}

# check_server NAME PORT: one phone of each key type authenticates, then resumes its session.
check_server() {
	local name=$1 port=$2 key out
	for key in $BENCH_KEYS; do
		out=$OUT/check-$name-$key.out
		if ! run_phone "${PHONE[$key]}" "${PHONE_MAC[$key]}" "$port" "$out" -r 1 ||
			! grep -q "resumed=1" "$out"; then
			tail -n 5 "$out"
			die "$name: ${PHONE[$key]} was not accepted and resumed: eapol_test -c $out.conf -a 127.0.0.1" \
				"-p $port -s $SECRET -M ${PHONE_MAC[$key]} -r 1"
		fi
	done
}

# Both raddb directories, on two free ports (once per run of this script).
servers_build() {
	[ -n "${MODULE_PORT:-}" ] && return 0
	MODULE_PORT=$(pick_port 19800) || die "no free port"
	STOCK_PORT=$(pick_port $((MODULE_PORT + 2))) || die "no free port"
	make_module_raddb "$OUT/raddb-module" "$MODULE_PORT"
	make_stock_raddb "$OUT/raddb-stock" "$STOCK_PORT"
}

servers_up() {
	[ -n "$MODULE_PID" ] && return 0
	servers_build
	start_server stock "$OUT/raddb-stock"
	STOCK_PID=$RADIUSD_PID
	start_server module "$OUT/raddb-module"
	MODULE_PID=$RADIUSD_PID
	check_server stock "$STOCK_PORT"
	check_server module "$MODULE_PORT"
	echo "# servers: stock pid $STOCK_PID port $STOCK_PORT, module pid $MODULE_PID port $MODULE_PORT," \
		"$BENCH_THREADS threads each"
}

# measure CSV LABELS PARALLEL PID JOBFILE: run the jobs, append LABELS,<bench_load's values>.
measure() {
	local csv=$1 labels=$2 parallel=$3 pid=$4 jobfile=$5 result
	result=$("$BIN/bench_load" -P "$parallel" -s "$pid" -k "$OUT/failed" "$jobfile") || die "bench_load failed"
	# key=value pairs to CSV values, in bench_load's order.
	echo "$labels,$(sed -e 's/[a-z0-9_]*=//g' -e 's/ /,/g' <<<"$result")" >>"$csv"
	case $result in
	*" failed=0 "*) ;;
	*) echo "bench: $labels: $result" >&2
	   echo "bench: the failed jobs' output is in $OUT/failed (line-N.out = line N of $jobfile)" >&2 ;;
	esac
}
CSV_VALUES=jobs,failed,auths,wall_s,radiusd_ticks,radiusd_ns,client_user_s,client_sys_s,job_p50_ms,job_p95_ms,job_max_ms,first_failed

# jobfile FILE COUNT AUTHS CONF MAC PORT [eapol_test args]: COUNT identical jobs.
jobfile() {
	local file=$1 count=$2 auths=$3 conf=$4 mac=$5 port=$6 i line
	shift 6
	line=$(printf '%s\t' "$auths" "$EAPOL_TEST" -c "$conf" -a 127.0.0.1 -p "$port" -s "$SECRET" -M "$mac" -t 30 "$@")
	: >"$file"
	for ((i = 0; i < count; i++)); do printf '%s\n' "${line%$'\t'}" >>"$file"; done
}

# ------------------------------------------------------------------ 2. end to end
if part e2e; then
	servers_up
	rm -rf "$OUT/failed"
	mkdir -p "$OUT/failed" "$OUT/jobs"
	echo "run,key,mode,parallel,config,$CSV_VALUES" >"$OUT/e2e.csv"
	for key in $BENCH_KEYS; do eapol_conf "$OUT/jobs/$key.conf" "${PHONE[$key]}"; done
	for ((run = 1; run <= BENCH_RUNS; run++)); do
		for key in $BENCH_KEYS; do
			for mode in full resumed; do
				parallels=$BENCH_PARALLEL
				[ "$mode" = resumed ] && parallels=$BENCH_RESUMED_PARALLEL
				for parallel in $parallels; do
					# Whole rounds of PARALLEL clients, so that none of them idles at the end.
					if [ "$mode" = full ]; then
						per_job=1
						jobs=$(((BENCH_AUTHS + parallel - 1) / parallel * parallel))
						extra=()
					else
						# One client process each, 1 full + BENCH_RESUME resumed handshakes.
						per_job=$((BENCH_RESUME + 1))
						jobs=$parallel
						extra=(-r "$BENCH_RESUME")
					fi
					# Alternate which server goes first, so that drift in the machine's
					# load does not favour one of them.
					order="stock module"
					[ $(((run + parallel) % 2)) -eq 0 ] && order="module stock"
					for config in $order; do
						if [ "$config" = stock ]; then port=$STOCK_PORT pid=$STOCK_PID
						else port=$MODULE_PORT pid=$MODULE_PID; fi
						jf=$OUT/jobs/$config-$key-$mode.jobs
						jobfile "$jf" "$jobs" "$per_job" "$OUT/jobs/$key.conf" "${PHONE_MAC[$key]}" "$port" "${extra[@]}"
						measure "$OUT/e2e.csv" "$run,$key,$mode,$parallel,$config" "$parallel" "$pid" "$jf"
					done
					printf '# e2e run %d/%d %-7s %-7s x%-2d %s\n' "$run" "$BENCH_RUNS" "$key" "$mode" "$parallel" \
						"$(tail -n 2 "$OUT/e2e.csv" | awk -F, '{printf "%s %.0f/s  ", $5, $8/$9}')"
				done
			done
		done
	done
fi

# ------------------------------------------------------------------ 3. boot storm
# storm_jobs FILE PORT: one job per storm phone.
storm_jobs() {
	local jf=$1 port=$2 name mac conf
	: >"$jf"
	while IFS=$'\t' read -r name mac; do
		conf=$OUT/storm/conf/$name.conf
		[ -f "$conf" ] || printf 'network={\n\tkey_mgmt=IEEE8021X\n\teap=TLS\n\tidentity="%s"\n\tca_cert="%s"\n\tclient_cert="%s"\n\tprivate_key="%s"\n\teapol_flags=0\n}\n' \
			"$name" "$PKI/server-ca.crt" "$OUT/storm/$name.crt" "$OUT/storm/$name.key" >"$conf"
		printf '1\t%s\t-c\t%s\t-a\t127.0.0.1\t-p\t%s\t-s\t%s\t-M\t%s\t-t\t60\n' \
			"$EAPOL_TEST" "$conf" "$port" "$SECRET" "$mac" >>"$jf"
	done <"$OUT/storm/phones.tsv"
}

# storm_phones: BENCH_STORM new phones of capf-a (the storm part's, made anew each run, so that
# they are signed by this run's test PKI).
storm_phones() {
	rm -rf "$OUT/storm"
	mkdir -p "$OUT/storm/conf"
	"$BIN/bench_certs" phones "$OUT/storm" "$BENCH_STORM" "$PKI/capf-a.crt" "$PKI/private/capf-a.key" ||
		die "cannot generate $BENCH_STORM phones"
}

if part storm; then
	servers_up
	mkdir -p "$OUT/failed"
	storm_phones
	storm_jobs "$OUT/storm/stock.jobs" "$STOCK_PORT"
	storm_jobs "$OUT/storm/module.jobs" "$MODULE_PORT"
	echo "run,config,phones,parallel,$CSV_VALUES" >"$OUT/storm.csv"
	for ((run = 1; run <= BENCH_STORM_RUNS; run++)); do
		order="stock module"
		[ $((run % 2)) -eq 0 ] && order="module stock"
		for config in $order; do
			if [ "$config" = stock ]; then pid=$STOCK_PID; else pid=$MODULE_PID; fi
			measure "$OUT/storm.csv" "$run,$config,$BENCH_STORM,$BENCH_STORM_PARALLEL" "$BENCH_STORM_PARALLEL" "$pid" \
				"$OUT/storm/$config.jobs"
			printf '# storm run %d/%d %-6s %s\n' "$run" "$BENCH_STORM_RUNS" "$config" \
				"$(tail -n 1 "$OUT/storm.csv" | awk -F, '{printf "%d/%d admitted in %.1f s", $7, $3, $8}')"
		done
	done
fi
stop_servers

# ------------------------------------------------------------------ 4. instructions
# The same servers, single-threaded (-t) under callgrind: instructions executed per
# authentication do not depend on what else the machine is doing, so this stock/module
# ratio holds on a busy machine too.  Counting starts after a warm-up of each key type
# (first handshakes initialise OpenSSL lazily); every batch is followed by a dump, which
# also zeroes the counters.

# instr_start NAME DIR: radiusd under callgrind with instrumentation off; sets VG_PID.
instr_start() {
	local name=$1 dir=$2 i
	rm -f "$OUT/instr/$name.out"*
	: >"$dir/run/radius.log"
	valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/instr/$name.out" \
		"$RADIUSD" -f -t -d "$dir" -l "$dir/run/radius.log" >"$OUT/instr/$name.valgrind" 2>&1 &
	VG_PID=$!
	for i in $(seq 1 240); do
		grep -q "Ready to process requests" "$dir/run/radius.log" 2>/dev/null && return 0
		kill -0 "$VG_PID" 2>/dev/null || break
		sleep 0.5
	done
	tail -n 20 "$OUT/instr/$name.valgrind" "$dir/run/radius.log"
	die "the $name radiusd did not start under callgrind"
}

# instr_batch NAME PORT KEY MODE: run a batch, dump, and append its counts to instr.csv.
INSTR_DUMPS=0
instr_batch() {
	local name=$1 port=$2 key=$3 mode=$4 jf=$OUT/instr/batch.jobs dump total vs mod auths
	if [ "$mode" = full ]; then
		auths=$BENCH_INSTR_AUTHS
		jobfile "$jf" "$auths" 1 "$OUT/jobs/$key.conf" "${PHONE_MAC[$key]}" "$port"
	else
		auths=$((BENCH_INSTR_AUTHS + 1))
		jobfile "$jf" 1 "$auths" "$OUT/jobs/$key.conf" "${PHONE_MAC[$key]}" "$port" -r "$BENCH_INSTR_AUTHS"
	fi
	sed -i 's/\t-t\t30/\t-t\t120/' "$jf"
	"$BIN/bench_load" -P 1 -s "$VG_PID" "$jf" | grep -q " failed=0 " || die "$name: $key $mode batch failed under callgrind"
	callgrind_control -d "$VG_PID" >/dev/null || die "callgrind_control -d $VG_PID failed"
	INSTR_DUMPS=$((INSTR_DUMPS + 1))
	dump=$OUT/instr/$name.out.$INSTR_DUMPS
	total=$(sed -n 's/^summary: //p' "$dump")
	[ -n "$total" ] || die "no summary in $dump"
	# Inclusive counts of the check-eap-tls virtual server and of the module's decision hook.
	callgrind_annotate --inclusive=yes --threshold=100 "$dump" >"$dump.txt" 2>/dev/null
	vs=$(awk '/:rad_virtual_server \[/ { gsub(",", "", $1); print $1; exit }' "$dump.txt")
	mod=$(awk '/:mod_authorize \[.*rlm_phonecert\.so\]/ { gsub(",", "", $1); print $1; exit }' "$dump.txt")
	echo "$name,$key,$mode,$auths,$total,${vs:-0},${mod:-0}" >>"$OUT/instr.csv"
}

if part instr; then
	if ! command -v valgrind >/dev/null || ! command -v callgrind_control >/dev/null; then
		echo "# instr: skipped (valgrind is not installed)"
	else
		servers_build
		rm -rf "$OUT/instr"
		mkdir -p "$OUT/instr" "$OUT/jobs"
		for key in $BENCH_KEYS; do eapol_conf "$OUT/jobs/$key.conf" "${PHONE[$key]}"; done
		echo "config,key,mode,auths,instructions,check_eap_tls_instructions,module_instructions" >"$OUT/instr.csv"
		for config in stock module; do
			if [ "$config" = stock ]; then port=$STOCK_PORT; else port=$MODULE_PORT; fi
			instr_start "$config" "$OUT/raddb-$config"
			for key in $BENCH_KEYS; do
				run_phone "${PHONE[$key]}" "${PHONE_MAC[$key]}" "$port" "$OUT/instr/warmup-$config-$key.out" -r 1 ||
					die "$config: warm-up authentication under callgrind failed"
			done
			callgrind_control -i on "$VG_PID" >/dev/null || die "callgrind_control -i on $VG_PID failed"
			INSTR_DUMPS=0
			for key in $BENCH_KEYS; do
				for mode in full resumed; do
					instr_batch "$config" "$port" "$key" "$mode"
					printf '# instr %-6s %-7s %-7s %s\n' "$config" "$key" "$mode" "$(tail -n 1 "$OUT/instr.csv")"
				done
			done
			RADIUSD_PID=$VG_PID stop_radiusd
			VG_PID=
		done
	fi
fi

# ------------------------------------------------------------------ 5. features
# Each optional feature on the authentication path in a radiusd of its own, beside stock and
# the plain module, all up at once and measured in the same run (alternating order):
#   ledger-sqlite  the rollover ledger (mods-available/phonecert_ledger) in SQLite
#   ledger-pg      the same ledger in PostgreSQL (tests/lib/postgres.sh: own server and port);
#                  the PostgreSQL server's own CPU is reported beside radiusd's
#   revocation     a BENCH_DENY_ENTRIES-entry deny-list and a CRL with as many serials on the
#                  phones' CAPF (none of them the phone's: it is admitted)
FEATURES=${BENCH_FEATURES:-ledger-sqlite ledger-pg revocation}
declare -A FEATURE_PORT=()

# feature_ledger_site DIR: the bench outer server with the ledger's policy in post-auth and REJECT.
feature_ledger_site() {
	sed -i -e 's/^\t\tphonecert_require_decision$/&\n\t\tphonecert_ledger_write/' \
		-e 's/^\t\t\tphonecert$/&\n\t\t\tphonecert_ledger_write/' "$1/sites-available/bench-outer"
	[ "$(grep -c phonecert_ledger_write "$1/sites-available/bench-outer")" = 2 ] ||
		die "cannot add phonecert_ledger_write to $1/sites-available/bench-outer"
}

# feature_revocation_files DIR: the deny-list (devices, MACs, fingerprints, serials) and the CRL.
feature_revocation_files() {
	local dir=$1 n=$BENCH_DENY_ENTRIES i quarter
	quarter=$((n / 4))
	{
		echo "# bench: $n entries, none of them the bench phones'"
		for ((i = 0; i < quarter; i++)); do printf 'device SEP02DE00%06X note=bench filler\n' "$i"; done
		for ((i = 0; i < quarter; i++)); do
			printf 'mac 02:DF:%02X:%02X:%02X:00\n' $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255))
		done
		for ((i = 0; i < quarter; i++)); do printf 'fingerprint %064X\n' "$((i + 1))"; done
		for ((i = 0; i < n - 3 * quarter; i++)); do printf 'serial %s 7E%06X\n' "$CAPF_A_FP" "$i"; done
	} >"$dir/phonecert/deny.conf"
	"$PKI/mkcrl" "$PKI/capf-a.crt" "$PKI/private/capf-a.key" "$dir/phonecert/capf-a.crl.pem" pem -3600 2592000 "$n" \
		>/dev/null || die "mkcrl: cannot write a $n-serial CRL for capf-a"
}

feature_build() {
	local name=$1 dir=$OUT/raddb-$1 port
	port=$(pick_port $((19900 + ${#FEATURE_PORT[@]} * 4))) || die "no free port"
	FEATURE_PORT[$name]=$port
	make_module_raddb "$dir" "$port"
	case $name in
	ledger-sqlite)
		LEDGER=sqlite LEDGER_SERVER=bench enable_ledger "$dir"
		feature_ledger_site "$dir" ;;
	ledger-pg)
		LEDGER=postgresql LEDGER_DB="host=127.0.0.1 port=$PG_PORT dbname=radius user=radius password=$PG_PASSWORD" \
			LEDGER_SERVER=bench enable_ledger "$dir"
		feature_ledger_site "$dir" ;;
	revocation)
		feature_revocation_files "$dir"
		write_phonecert_conf "$dir/phonecert/phonecert.conf" <<EOF
[policy]
mic = allow
mac_binding = enforce
reply_profile = cisco
deny = deny.conf
crl_stale = refuse

[anchor capf-a]
role = lsc
file = @PKI@/capf-a.crt
crl = capf-a.crl.pem

[anchor manufacturing]
role = mic
file = @PKI@/mfg-int.crt
EOF
		;;
	esac
}

# The PostgreSQL server's CPU so far (clock ticks): the postmaster with its reaped children,
# and the backends alive now (rlm_sql keeps its connections open).
pg_ticks() {
	local total=0 pid stat
	for pid in $PG_PID $(pgrep -P "$PG_PID" 2>/dev/null); do
		# After "pid (comm)": state is field 1, utime..cstime are fields 12..15.
		stat=$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null) || continue
		total=$((total + $(awk '{print $12 + $13}' <<<"$stat")))
		[ "$pid" = "$PG_PID" ] && total=$((total + $(awk '{print $14 + $15}' <<<"$stat")))
	done
	echo "$total"
}

# feature_measure CSV LABELS PARALLEL PID JOBFILE: measure, with the PostgreSQL server's ticks.
feature_measure() {
	local csv=$1 before
	before=$(pg_ticks)
	measure "$csv.tmp" "$2" "$3" "$4" "$5"
	echo "$(tail -n 1 "$csv.tmp"),$(($(pg_ticks) - before))" >>"$csv"
	rm -f "$csv.tmp"
}

feature_server() {
	case $1 in
	stock) port=$STOCK_PORT pid=$STOCK_PID ;;
	module) port=$MODULE_PORT pid=$MODULE_PID ;;
	*) port=${FEATURE_PORT[$1]} pid=${FEATURE_PID[$1]:-} ;;
	esac
}

if part feature; then
	[ -x "$PG_BINDIR/pg_ctl" ] || die "feature: no PostgreSQL server (apt install postgresql)"
	[ -x "$PKI/mkcrl" ] || die "feature: $PKI/mkcrl is missing: run through make bench"
	CAPF_A_FP=$(openssl x509 -in "$PKI/capf-a.crt" -outform DER | sha256sum | cut -d' ' -f1)
	rm -rf "$OUT/pg" "$OUT/feature"
	mkdir -p "$OUT/feature" "$OUT/failed" "$OUT/jobs"
	pg_start "$OUT/pg" || die "feature: PostgreSQL did not start"
	PG_DB=radius pg_psql "\i $TOP/raddb/mods-config/sql/phonecert/postgresql/schema.sql" >/dev/null 2>&1 ||
		die "feature: cannot load the ledger schema into PostgreSQL"
	PG_DB=radius pg_psql "GRANT SELECT, INSERT, UPDATE ON phonecert_device TO radius;
		GRANT INSERT ON phonecert_history TO radius; GRANT USAGE ON SEQUENCE phonecert_history_id_seq TO radius" ||
		die "feature: cannot grant the radius role its rights"
	servers_up
	for name in $FEATURES; do
		feature_build "$name"
		start_server "$name" "$OUT/raddb-$name"
		FEATURE_PID[$name]=$RADIUSD_PID
		check_server "$name" "${FEATURE_PORT[$name]}"
	done
	echo "# feature servers:$(for n in $FEATURES; do printf ' %s pid %s port %s;' "$n" "${FEATURE_PID[$n]}" "${FEATURE_PORT[$n]}"; done)"
	eapol_conf "$OUT/jobs/rsa2048.conf" "${PHONE[rsa2048]}"

	# Full handshakes, BENCH_FEATURE_PARALLEL clients, every server once per run, the order
	# rotated by run so that drift in the machine's load favours nobody.
	parallel=$BENCH_FEATURE_PARALLEL
	jobs=$(((BENCH_AUTHS + parallel - 1) / parallel * parallel))
	echo "run,config,parallel,$CSV_VALUES,pg_ticks" >"$OUT/feature.csv"
	configs=(stock module $FEATURES)
	for ((run = 1; run <= BENCH_RUNS; run++)); do
		for ((i = 0; i < ${#configs[@]}; i++)); do
			config=${configs[$(((i + run) % ${#configs[@]}))]}
			feature_server "$config"
			jf=$OUT/feature/$config.jobs
			jobfile "$jf" "$jobs" 1 "$OUT/jobs/rsa2048.conf" "${PHONE_MAC[rsa2048]}" "$port"
			feature_measure "$OUT/feature.csv" "$run,$config,$parallel" "$parallel" "$pid" "$jf"
		done
		printf '# feature run %d/%d %s\n' "$run" "$BENCH_RUNS" \
			"$(tail -n ${#configs[@]} "$OUT/feature.csv" | awk -F, '{printf "%s %.0f/s  ", $2, $6 / $7}')"
	done

	# The boot storm with each ledger on (every phone a new row and a history row).
	# The storm part's phones when it ran in this invocation; otherwise new ones (an earlier
	# run's may have been signed by an earlier test PKI's CAPF).
	part storm || storm_phones
	echo "run,config,phones,parallel,$CSV_VALUES,pg_ticks" >"$OUT/feature-storm.csv"
	storm_configs=(module)
	for name in $FEATURES; do [[ $name == ledger-* ]] && storm_configs+=("$name"); done
	for ((run = 1; run <= BENCH_STORM_RUNS; run++)); do
		for ((i = 0; i < ${#storm_configs[@]}; i++)); do
			config=${storm_configs[$(((i + run) % ${#storm_configs[@]}))]}
			feature_server "$config"
			storm_jobs "$OUT/feature/storm-$config.jobs" "$port"
			feature_measure "$OUT/feature-storm.csv" "$run,$config,$BENCH_STORM,$BENCH_STORM_PARALLEL" \
				"$BENCH_STORM_PARALLEL" "$pid" "$OUT/feature/storm-$config.jobs"
			printf '# feature storm run %d/%d %-13s %s\n' "$run" "$BENCH_STORM_RUNS" "$config" \
				"$(tail -n 1 "$OUT/feature-storm.csv" | awk -F, '{printf "%d/%d admitted in %.1f s", $7, $3, $8}')"
		done
	done
	stop_servers

	# Instructions per full handshake under callgrind: the module against each feature.
	if command -v callgrind_control >/dev/null; then
		mkdir -p "$OUT/instr"
		[ -f "$OUT/instr.csv" ] ||
			echo "config,key,mode,auths,instructions,check_eap_tls_instructions,module_instructions" >"$OUT/instr.csv"
		echo "config,key,mode,auths,instructions,check_eap_tls_instructions,module_instructions" >"$OUT/feature-instr.csv"
		for config in module $FEATURES; do
			feature_server "$config"
			instr_start "feature-$config" "$OUT/raddb-$config"
			run_phone "${PHONE[rsa2048]}" "${PHONE_MAC[rsa2048]}" "$port" "$OUT/instr/warmup-feature-$config.out" -r 1 ||
				die "$config: warm-up authentication under callgrind failed"
			callgrind_control -i on "$VG_PID" >/dev/null || die "callgrind_control -i on $VG_PID failed"
			INSTR_DUMPS=0
			instr_batch "feature-$config" "$port" rsa2048 full
			# instr_batch appends to instr.csv: move the row to feature-instr.csv.
			tail -n 1 "$OUT/instr.csv" | sed 's/^feature-//' >>"$OUT/feature-instr.csv"
			sed -i '$d' "$OUT/instr.csv"
			printf '# feature instr %-13s %s\n' "$config" "$(tail -n 1 "$OUT/feature-instr.csv")"
			RADIUSD_PID=$VG_PID stop_radiusd
			VG_PID=
		done
	fi
	pg_stop
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
python3 "$BENCH_SRC/report.py" "$OUT" || die "report.py failed"
