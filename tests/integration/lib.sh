# shellcheck shell=bash
# Helpers for the integration tests: a real radiusd (Debian's freeradius 3.0 or 3.2) on 127.0.0.1
# with the project's raddb and the module from the build directory, and eapol_test as the
# phone.  Sourced by run.sh, demo.sh and the other drivers.

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$IT_DIR/../.." && pwd)

: "${BUILD:?BUILD must be set}"
BUILD=$(cd "$BUILD" && pwd)
PKI=${PKI:-$BUILD/pki}
RADIUSD=${RADIUSD:-$(command -v freeradius || command -v radiusd)}
# The installed FreeRADIUS's module directory, dictionaries and stock configuration.
FR_LIBDIR=${FR_LIBDIR:-$("$TOP/scripts/fr-config.sh" libdir)}
FR_DICTDIR=${FR_DICTDIR:-$("$TOP/scripts/fr-config.sh" dictdir)}
FR_STOCK_RADDB=${FR_STOCK_RADDB:-$("$TOP/scripts/fr-config.sh" raddb)}
EAPOL_TEST=${EAPOL_TEST:-$(command -v eapol_test)}
SECRET=testing123

# radiusd may run under a checker.  VALGRIND=memcheck|helgrind|drd (MEMCHECK=1 means memcheck):
# valgrind with tests/stress/valgrind/TOOL.supp, one XML log per radiusd process in
# VALGRIND_DIR (default BUILD/valgrind), judged afterwards by tests/stress/valgrind/verdict.py.
# RADIUSD_WRAPPER: any other command to put in front of radiusd (split on blanks).
# Under a checker everything is several times slower: IT_SLOW scales the waits.
[ -n "${MEMCHECK:-}" ] && VALGRIND=${VALGRIND:-memcheck}
RADIUSD_RUN=("$RADIUSD")
if [ -n "${VALGRIND:-}" ]; then
	VALGRIND_DIR=${VALGRIND_DIR:-$BUILD/valgrind}
	mkdir -p "$VALGRIND_DIR"
	# The ptrace probe FreeRADIUS forks at startup is not radiusd: --child-silent-after-fork.
	RADIUSD_RUN=(valgrind "--tool=$VALGRIND" --num-callers=40 --child-silent-after-fork=yes
		--xml=yes "--xml-file=$VALGRIND_DIR/$VALGRIND.%p.xml"
		"--suppressions=$TOP/tests/stress/valgrind/$VALGRIND.supp")
	if [ "$VALGRIND" = memcheck ]; then
		RADIUSD_RUN+=(--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite)
	fi
	# shellcheck disable=SC2206 # extra options, split on blanks by design
	RADIUSD_RUN+=(${VALGRIND_ARGS:-} "$RADIUSD")
	IT_SLOW=${IT_SLOW:-4}
elif [ -n "${RADIUSD_WRAPPER:-}" ]; then
	# shellcheck disable=SC2206
	RADIUSD_RUN=($RADIUSD_WRAPPER "$RADIUSD")
	IT_SLOW=${IT_SLOW:-4}
fi
IT_SLOW=${IT_SLOW:-1}

# A port of our own, away from 1812 (Debian's freeradius may run there).
pick_port() {
	local port
	for port in $(seq "${1:-18120}" 2 "$((${1:-18120} + 200))"); do
		# The port and the next one (a server's auth and acct listeners) must both be free.
		if ! ss -Hlun "( sport = :$port or sport = :$((port + 1)) )" 2>/dev/null | grep -q .; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# make_raddb DIR PORT [THREADS]: assemble a self-contained raddb in DIR.
make_raddb() {
	local dir=$1 port=$2 threads=${3:-4} run
	run="$dir/run"
	rm -rf "$dir"
	mkdir -p "$dir"/{mods-available,mods-enabled,sites-available,sites-enabled,policy.d,certs,run} \
		"$dir/phonecert"
	cp "$TOP"/raddb/mods-available/* "$dir/mods-available/"
	cp "$TOP"/raddb/sites-available/* "$dir/sites-available/"
	cp "$TOP"/raddb/policy.d/* "$dir/policy.d/"
	cp -r "$TOP"/raddb/phonecert/. "$dir/phonecert/"
	cp "$TOP"/raddb/dictionary.phonecert "$dir/"
	printf '$INCLUDE %s/dictionary\n$INCLUDE dictionary.phonecert\n' "$FR_DICTDIR" >"$dir/dictionary"
	# reply_profile = aruba-cx needs Aruba-Device-Traffic-Class, which FreeRADIUS 3.0's
	# dictionary.aruba lacks: an admin adds this line to raddb/dictionary (README).
	grep -q 'Aruba-Device-Traffic-Class' "$FR_DICTDIR/dictionary.aruba" ||
		printf 'ATTRIBUTE\tAruba-Device-Traffic-Class\t63\tinteger\tAruba\n' >>"$dir/dictionary"

	sed -e "s|@RUN@|$run|g" -e "s|@RADDB@|$dir|g" -e "s|@THREADS@|$threads|g" \
		-e "s|@LIBDIR@|${LIBDIR:-$BUILD}:$FR_LIBDIR|g" "$IT_DIR/radiusd.conf.in" >"$dir/radiusd.conf"
	# LEDGER=sqlite|postgresql: the outer server also writes the rollover ledger (the
	# policy phonecert_ledger_write); unset, the ledger is not enabled at all.
	local ledger_write=
	[ -n "${LEDGER:-}" ] && ledger_write=phonecert_ledger_write
	sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|@LEDGER_WRITE@|$ledger_write|g" \
		"$IT_DIR/site-outer.in" >"$dir/sites-available/phonecert-test"
	sed -e "s|@RUN@|$run|g" "$IT_DIR/mod-testlog.in" >"$dir/mods-available/testlog"

	ln -s ../mods-available/phonecert "$dir/mods-enabled/phonecert"
	ln -s ../mods-available/eap-phonecert "$dir/mods-enabled/eap"
	ln -s ../mods-available/testlog "$dir/mods-enabled/testlog"
	# reject, ok, noop...: Debian's stock instances of rlm_always, as on any installed server.
	cp "$FR_STOCK_RADDB/mods-available/always" "$dir/mods-available/always"
	ln -s ../mods-available/always "$dir/mods-enabled/always"
	ln -s ../sites-available/check-eap-tls-phonecert "$dir/sites-enabled/check-eap-tls-phonecert"
	ln -s ../sites-available/phonecert-test "$dir/sites-enabled/phonecert-test"
	if [ -n "${LEDGER:-}" ]; then enable_ledger "$dir"; fi

	mkdir -p "$run/tlscache"
	cp "$PKI/server.crt" "$dir/certs/server.pem"
	cp "$PKI/server.key" "$dir/certs/server.key"
	chmod 600 "$dir/certs/server.key"
}

# enable_ledger DIR: the shipped mods-available/phonecert_ledger, enabled, with only what a
# test must change: LEDGER (the dialect), LEDGER_SERVER (the server column, default "radius-test"),
# LEDGER_DB (PostgreSQL: a libpq connection string, the timeouts of the shipped one appended).
enable_ledger() {
	local dir=$1 conninfo=
	mkdir -p "$dir/mods-config"
	cp -r "$TOP/raddb/mods-config/." "$dir/mods-config/"
	if [ "$LEDGER" = postgresql ]; then
		conninfo="${LEDGER_DB:?LEDGER=postgresql needs LEDGER_DB} connect_timeout=2 options='-c statement_timeout=1000 -c lock_timeout=500'"
	fi
	awk -v dialect="$LEDGER" -v server="${LEDGER_SERVER:-radius-test}" -v conninfo="$conninfo" '
		/^\tdialect = / { print "\tdialect = \"" dialect "\""; next }
		/^\tserver_name = / { print "\tserver_name = \"" server "\""; next }
		/^\tradius_db = / && conninfo != "" { print "\tradius_db = \"" conninfo "\""; next }
		{ print }' "$TOP/raddb/mods-available/phonecert_ledger" >"$dir/mods-available/phonecert_ledger"
	ln -sf ../mods-available/phonecert_ledger "$dir/mods-enabled/phonecert_ledger"
}

# write_phonecert_conf FILE < body: the module's own file, with PKI paths substituted.
write_phonecert_conf() {
	sed -e "s|@PKI@|$PKI|g" >"$1"
}

# start_radiusd DIR [extra radiusd args]: start in the foreground mode, in the background;
# waits until it answers or fails.  Sets RADIUSD_PID.
start_radiusd() {
	local dir=$1
	shift
	: >"$dir/run/radius.log"
	"${RADIUSD_RUN[@]}" -f -d "$dir" -l "$dir/run/radius.log" "$@" >"$dir/run/radiusd.out" 2>&1 &
	RADIUSD_PID=$!
	local i
	for i in $(seq 1 $((100 * IT_SLOW))); do
		if ! kill -0 "$RADIUSD_PID" 2>/dev/null; then
			wait "$RADIUSD_PID" 2>/dev/null || true
			RADIUSD_PID=
			return 1
		fi
		if grep -q "Ready to process requests" "$dir/run/radius.log" "$dir/run/radiusd.out" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# stop_radiusd: SIGTERM, so that radiusd exits normally (and a checker can write its report).
stop_radiusd() {
	if [ -n "${RADIUSD_PID:-}" ] && kill -0 "$RADIUSD_PID" 2>/dev/null; then
		kill "$RADIUSD_PID" 2>/dev/null || true
		local i
		for i in $(seq 1 $((50 * IT_SLOW))); do
			kill -0 "$RADIUSD_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -9 "$RADIUSD_PID" 2>/dev/null; then
			echo "stop_radiusd: radiusd (pid $RADIUSD_PID) ignored SIGTERM; killed" >&2
		fi
		wait "$RADIUSD_PID" 2>/dev/null || true
	fi
	RADIUSD_PID=
}

# unreadable PHONE: whether this OpenSSL cannot read PKI/PHONE.crt at all (tests/pki/redteam.sh).
unreadable() {
	[ -f "$PKI/unreadable" ] && grep -qxF "$1" "$PKI/unreadable"
}

# eapol_conf FILE PHONE [IDENTITY]: an eapol_test network block presenting PKI/PHONE.
eapol_conf() {
	local file=$1 phone=$2 identity=${3:-$2}
	cat >"$file" <<EOC
${EAPOL_GLOBAL:-}
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="$identity"
	ca_cert="$PKI/server-ca.crt"
	client_cert="$PKI/$phone.chain.pem"
	private_key="$PKI/$phone.key"
	eapol_flags=0
	${EAPOL_EXTRA:-}
}
EOC
}

# run_phone PHONE MAC PORT OUT [eapol_test args]: authenticate once; returns eapol_test's status.
run_phone() {
	local phone=$1 mac=$2 port=$3 out=$4
	shift 4
	eapol_conf "$out.conf" "$phone"
	timeout $((30 * IT_SLOW)) "$EAPOL_TEST" -c "$out.conf" -a 127.0.0.1 -p "$port" -s "$SECRET" -M "$mac" \
		-t $((10 * IT_SLOW)) "$@" >"$out" 2>&1
}
