#!/usr/bin/env bash
# Install the Debian 12 packages that building, testing and running rlm_phonecert need.
# Quiet and quick when everything is already there.  Runs as root, or through sudo.
#
# On an admin's machine:
#  * No service is started, stopped or restarted.  A freeradius already running keeps running:
#    the tests and the demo run their own radiusd on 127.0.0.1 high ports (pick_port in
#    tests/integration/lib.sh).  Debian starts the service of a freeradius package it has just
#    installed; that is said, and left alone.  Likewise postgresql's own cluster (on 5432):
#    the ledger tests run a PostgreSQL server of their own (tests/lib/postgres.sh).
#  * The apt sources are changed only where the installed libfreeradius-dev lacks headers the
#    module needs (3.2.1 does, upstream issue #5778; scripts/fr-headers.sh --check tells) and
#    Debian's source package of the installed version is not already available: deb-src is
#    then enabled for Debian's archive, and every line changed is printed first, with how to
#    undo it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packages=(build-essential clang llvm libclang-rt-14-dev make pkg-config dpkg-dev
	freeradius freeradius-utils freeradius-postgresql libfreeradius-dev libpcre3-dev eapoltest
	libtalloc-dev libssl-dev libcmocka-dev libsqlite3-dev libpq-dev sqlite3 openssl valgrind python3 iproute2
	postgresql chromium)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# as_root CMD...: CMD as root; sudo only when not root.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "deps: '$*' needs root, and sudo is not installed: run scripts/deps.sh as root" >&2
		exit 1
	fi
}

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	new_freeradius=no new_postgresql=no
	installed freeradius || new_freeradius=yes
	installed postgresql || new_postgresql=yes
	echo "deps: installing ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	if [ "$new_freeradius" = yes ] && command -v systemctl >/dev/null 2>&1 &&
		systemctl is-active --quiet freeradius 2>/dev/null; then
		echo "deps: Debian started the freeradius service it just installed (on 1812/1813); left running,"
		echo "deps: the tests do not use it ('systemctl disable --now freeradius' if it is not wanted here)"
	fi
	if [ "$new_postgresql" = yes ] && command -v pg_lsclusters >/dev/null 2>&1 &&
		pg_lsclusters -h 2>/dev/null | grep -q ' online'; then
		echo "deps: Debian created and started the PostgreSQL cluster it just installed ($(pg_lsclusters -h |
			awk '$4 == "online" { printf "%s/%s on port %s ", $1, $2, $3 }')); left running, the tests"
		echo "deps: run a server of their own ('pg_ctlcluster VERSION main stop' if it is not wanted here)"
	fi
fi

# The FreeRADIUS headers: complete in the installed package, or Debian's source package of the
# installed version can be downloaded (scripts/fr-headers.sh takes the missing ones from it).
"$here/fr-headers.sh" --check && exit 0
version=$(dpkg-query -W -f='${Version}' libfreeradius-dev)
source_available() {
	local src
	src=$(apt-cache showsrc --only-source freeradius 2>/dev/null) || return 1
	printf '%s\n' "$src" | grep -qxF "Version: $version"
}
source_available && exit 0

echo "deps: libfreeradius-dev $version lacks headers that the module needs; the build takes them"
echo "deps: from Debian's source package of the same version, which needs deb-src in the apt sources."
deb822=/etc/apt/sources.list.d/debian.sources
legacy=/etc/apt/sources.list
srclist=/etc/apt/sources.list.d/phonecert-src.list
if [ -f "$deb822" ] && grep -qx 'Types: deb' "$deb822"; then
	echo "deps: changing $deb822:"
	grep -nx 'Types: deb' "$deb822" | sed 's/^\([0-9]*\):.*/deps:   line \1: "Types: deb" -> "Types: deb deb-src"/'
	echo "deps: (undo: sed -i 's/^Types: deb deb-src\$/Types: deb/' $deb822)"
	as_root sed -i 's/^Types: deb$/Types: deb deb-src/' "$deb822"
elif [ ! -e "$srclist" ] && [ -f "$legacy" ] && grep -Eq '^deb[[:space:]].*debian' "$legacy"; then
	echo "deps: creating $srclist with these lines (Debian's deb lines of $legacy, as deb-src):"
	grep -E '^deb[[:space:]].*debian' "$legacy" | sed 's/^deb/deb-src/' | sed 's/^/deps:   /'
	echo "deps: (undo: rm $srclist)"
	grep -E '^deb[[:space:]].*debian' "$legacy" | sed 's/^deb/deb-src/' | as_root tee "$srclist" >/dev/null
else
	echo "deps: no deb line of Debian's archive lacks its deb-src here: updating the package lists"
fi
as_root apt-get update -qq
if ! source_available; then
	echo "deps: Debian's source package freeradius $version is still not available: enable deb-src" >&2
	echo "deps: for Debian's archive in your apt sources, then run apt-get update" >&2
	exit 1
fi
