#!/usr/bin/env bash
# Supply the FreeRADIUS 3.2 headers that Debian's libfreeradius-dev omits (upstream issue
# #5778, fixed in 3.2.10), taken from Debian's own source package of the installed version,
# so they match the radiusd binary exactly.  Nothing of FreeRADIUS is committed to this repo.
set -euo pipefail
out=${1:?usage: fr-headers.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(dpkg-query -W -f='${Version}' libfreeradius-dev 2>/dev/null) || {
	echo "fr-headers: libfreeradius-dev is not installed (run scripts/deps.sh)" >&2; exit 1; }
work=$(dirname "$out")/freeradius-src
if [ ! -d "$work/src" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	( cd "$tmp" && apt-get source --only-source "freeradius=$version" >/dev/null 2>"$tmp/log" ) || {
		cat "$tmp/log" >&2
		echo "fr-headers: 'apt-get source freeradius' failed: deb-src must be enabled (scripts/deps.sh does it)" >&2
		exit 1; }
	rm -rf "$work"
	mv "$tmp"/freeradius-*/ "$work"
fi
mkdir -p "$out/freeradius"
# Every header of the source tree that the installed set lacks; installed ones take precedence
# (the include path uses -idirafter).
for h in "$work"/src/include/*.h; do
	name=$(basename "$h")
	[ -e "/usr/include/freeradius/$name" ] || cp "$h" "$out/freeradius/$name"
done
# Some of those headers include their siblings as <freeradius-devel/...> (the in-tree name).
mkdir -p "$out/freeradius-devel"
for h in /usr/include/freeradius/*.h "$out"/freeradius/*.h; do
	ln -sf "$h" "$out/freeradius-devel/$(basename "$h")"
done
touch "$out/.stamp"
