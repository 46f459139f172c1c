# shellcheck shell=bash
# A PostgreSQL server of the tests' own, from Debian's postgresql package: its own data
# directory (under the caller's directory) and port, listening on 127.0.0.1 only, stopped by its
# PID.  Nothing of the machine's clusters (pg_lsclusters, /etc/postgresql) is touched.
#
#   pg_start DIR          initdb (first time) and start; sets PG_PORT, PG_PID, PG_URL (the
#                         RADIUS role, password over TCP), PG_ADMIN_URL (the superuser), PG_*
#   pg_stop               fast shutdown, waits for the PID to exit
#   pg_start_again        start the same data directory again on the same port (fault tests)
#   pg_psql SQL...        run SQL as the superuser, unaligned tuples only
#
# PostgreSQL refuses to run as root: as root, the server runs as the postgres user that
# Debian's package creates; otherwise as the calling user.

PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_free_port() {
	local port
	for port in $(seq "${1:-25432}" 1 "$((${1:-25432} + 200))"); do
		if ! ss -Hltn "( sport = :$port )" 2>/dev/null | grep -q .; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

pg_start() {
	PG_ROOT=$1
	[ -x "$PG_BINDIR/pg_ctl" ] || { echo "pg_start: no PostgreSQL server (apt install postgresql)" >&2; return 1; }
	mkdir -p "$PG_ROOT"
	PG_DATA=$PG_ROOT/data
	PG_SOCKET=$PG_ROOT/socket
	PG_PASSWORD=${PG_PASSWORD:-$(openssl rand -hex 16)}
	if [ ! -f "$PG_DATA/PG_VERSION" ]; then
		mkdir -p "$PG_SOCKET"
		printf '%s\n' "$PG_PASSWORD" >"$PG_ROOT/pwfile"
		chmod 600 "$PG_ROOT/pwfile"
		if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$PG_ROOT"; fi
		# The superuser over the private socket directory; everyone else by password.
		pg_as_owner "$PG_BINDIR/initdb" -D "$PG_DATA" -U phonecert_admin --auth-local=trust \
			--auth-host=scram-sha-256 --pwfile="$PG_ROOT/pwfile" -E UTF8 --no-locale \
			>"$PG_ROOT/initdb.log" 2>&1 || { cat "$PG_ROOT/initdb.log" >&2; return 1; }
		PG_PORT=$(pg_free_port) || return 1
	fi
	pg_start_again || return 1
	if ! pg_psql "SELECT 1 FROM pg_roles WHERE rolname = 'radius'" | grep -q 1; then
		pg_psql "CREATE ROLE radius LOGIN PASSWORD '$PG_PASSWORD'" >/dev/null &&
			pg_psql "CREATE DATABASE radius OWNER radius" >/dev/null || return 1
	fi
	PG_URL="postgresql://radius:$PG_PASSWORD@127.0.0.1:$PG_PORT/radius"
	PG_ADMIN_URL="postgresql:///radius?host=$PG_SOCKET&port=$PG_PORT&user=phonecert_admin"
}

pg_start_again() {
	local i
	pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_ROOT/server.log" -w -t 60 start \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCKET -c fsync=off" >/dev/null ||
		{ tail -n 20 "$PG_ROOT/server.log" >&2; return 1; }
	PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
	for i in $(seq 1 50); do
		pg_as_owner "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && return 0
		sleep 0.1
	done
	echo "pg_start: PostgreSQL did not answer on 127.0.0.1:$PG_PORT" >&2
	return 1
}

pg_stop() {
	local i
	[ -n "${PG_PID:-}" ] || return 0
	kill -INT "$PG_PID" 2>/dev/null || true
	for i in $(seq 1 100); do
		kill -0 "$PG_PID" 2>/dev/null || { PG_PID=; return 0; }
		sleep 0.1
	done
	kill -KILL "$PG_PID" 2>/dev/null || true
	PG_PID=
}

pg_psql() {
	pg_as_owner "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" \
		-U phonecert_admin -d "${PG_DB:-postgres}" -c "$*"
}
