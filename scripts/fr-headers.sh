#!/usr/bin/env bash
# Supply the FreeRADIUS 3.2 headers that Debian's libfreeradius-dev omits (upstream issue
# #5778, fixed in 3.2.10), taken from Debian's own source package of the installed version,
# so they match the radiusd binary exactly.  Nothing of FreeRADIUS is committed to this repo.
# Where the installed headers are complete (a libfreeradius-dev that ships them all), nothing
# is downloaded.
#
# usage: fr-headers.sh OUTDIR     the include directory the module is built with
#        fr-headers.sh --check    exit 0 when the installed headers are complete (no source
#                                 package needed), 1 when some are missing
set -euo pipefail

# What the module includes, with the build's flags (Makefile: FR_CFLAGS), preprocessed against
# the installed headers only: it fails on the first header libfreeradius-dev lacks.
installed_complete() {
	# shellcheck disable=SC2086 # CC may be a command with arguments ("ccache gcc")
	printf '#include <freeradius/radiusd.h>\n#include <freeradius/modules.h>\n' |
		${CC:-cc} -E -DNDEBUG -include freeradius/build.h -x c - -o /dev/null >/dev/null 2>&1
}

if [ "${1:-}" = --check ]; then
	installed_complete
	exit
fi

out=${1:?usage: fr-headers.sh OUTDIR | --check}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(dpkg-query -W -f='${Version}' libfreeradius-dev 2>/dev/null) || {
	echo "fr-headers: libfreeradius-dev is not installed (run scripts/deps.sh)" >&2; exit 1; }
mkdir -p "$out/freeradius"
if ! installed_complete; then
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
	# Every header of the source tree that the installed set lacks; installed ones take
	# precedence (the include path uses -idirafter).
	for h in "$work"/src/include/*.h; do
		name=$(basename "$h")
		[ -e "/usr/include/freeradius/$name" ] || cp "$h" "$out/freeradius/$name"
	done
fi
# Some of those headers include their siblings as <freeradius-devel/...> (the in-tree name).
mkdir -p "$out/freeradius-devel"
for h in /usr/include/freeradius/*.h "$out"/freeradius/*.h; do
	[ -e "$h" ] || continue
	ln -sf "$h" "$out/freeradius-devel/$(basename "$h")"
done
# The flags the module must share with radiusd (NDEBUG), as these headers record them.
"$(dirname "$0")/fr-config.sh" cflags "$out" >"$out/cflags"
touch "$out/.stamp"
