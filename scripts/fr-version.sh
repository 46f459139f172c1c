#!/bin/sh
# The FreeRADIUS release a module is built against, as radiusd checks it when it loads the
# module: RLM_MODULE_INIT (the module's magic number) is RADIUSD_MAGIC_NUMBER, made of the
# upstream version x.y.z and, in a build from git, the commit.  radiusd refuses a module whose
# magic differs from its own, so a module built against 3.2.1 does not load into 3.2.7.
#
# usage: fr-version.sh [INCLUDE_DIR]    from the headers (those of libfreeradius-dev first, then
#                                       INCLUDE_DIR: the build's supplement, see fr-headers.sh)
#        fr-version.sh --radiusd [PROG] from a radiusd binary's -v (freeradius, then radiusd)
#        fr-version.sh --module FILE    from a built module's own magic number (rlm_NAME's first
#                                       field, read with readelf; ELF of this machine's byte order)
# Prints "3.2.1", or "3.2.1 (git #1a2b3c4d)" for a build from git: the two forms compare equal
# exactly when radiusd would accept the module.
set -eu

if [ "${1:-}" = --radiusd ]; then
	prog=${2:-}
	if [ -z "$prog" ]; then
		for p in "$(command -v freeradius || true)" "$(command -v radiusd || true)" /usr/sbin/freeradius /usr/sbin/radiusd; do
			if [ -n "$p" ] && [ -x "$p" ]; then prog=$p; break; fi
		done
	fi
	if [ -z "$prog" ] || [ ! -x "$prog" ]; then echo "fr-version: no radiusd (freeradius) installed" >&2; exit 1; fi
	# "radiusd: FreeRADIUS Version 3.2.1 (git #1a2b3c4d), for host ..."
	"$prog" -v 2>/dev/null | sed -n 's/.*FreeRADIUS Version \([0-9][0-9.]*\)\( (git #[0-9a-fA-F]*)\)\{0,1\}.*/\1\2/p' | head -n 1 | grep . || {
		echo "fr-version: '$prog -v' names no FreeRADIUS version" >&2; exit 1; }
	exit 0
fi

if [ "${1:-}" = --module ]; then
	so=${2:?usage: fr-version.sh --module FILE}
	command -v readelf >/dev/null 2>&1 || { echo "fr-version: readelf (binutils) is needed to read $so" >&2; exit 1; }
	sym=rlm_$(basename "$so" .so)
	sym=${sym#rlm_rlm_}; sym=rlm_$sym
	# The module_t that radiusd looks up (rlm_NAME): its address and section; then that
	# section's address and file offset: where the magic number lies in the file.
	# shellcheck disable=SC2046 # two fields, split on purpose
	set -- $(readelf -sW "$so" | awk -v s="$sym" '$8 == s && $4 == "OBJECT" { print $2, $7; exit }')
	[ $# -eq 2 ] || { echo "fr-version: $so has no $sym symbol" >&2; exit 1; }
	value=$1 ndx=$2
	# shellcheck disable=SC2046
	set -- $(readelf -SW "$so" | sed 's/\[ */[/' | awk -v n="[$ndx]" '$1 == n { print $4, $5; exit }')
	[ $# -eq 2 ] || { echo "fr-version: $so: no section $ndx" >&2; exit 1; }
	off=$((0x$value - 0x$1 + 0x$2))
	magic=$(od -An -t x8 -j "$off" -N 8 "$so" | tr -d ' ' | sed 's/^0*//')
	# RADIUSD_MAGIC_NUMBER: "f", RADIUSD_VERSION (6 digits: 030201), then 00000 or the commit.
	digits=$(printf '%s\n' "$magic" | sed -n 's/^f\([0-9]\{6\}\)\(00000\|[0-9a-f]\{8\}\)$/\1/p')
	[ -n "$digits" ] || { echo "fr-version: $so: $sym's magic number 0x$magic is not FreeRADIUS 3's" >&2; exit 1; }
	commit=$(printf '%s\n' "$magic" | sed -n 's/^f[0-9]\{6\}\([0-9a-f]\{8\}\)$/\1/p')
	echo "$(printf '%s' "$digits" | awk '{ printf "%d.%d.%d", substr($0, 1, 2), substr($0, 3, 2), substr($0, 5, 2) }')${commit:+ (git #$commit)}"
	exit 0
fi

inc=${1:-}
# autoconf.h (features.h in some releases) says it; read as text, since the installed copy may
# include headers that only the build's supplement has.
version='' commit=''
for h in /usr/include/freeradius/autoconf.h /usr/include/freeradius/features.h \
	${inc:+"$inc/freeradius/autoconf.h" "$inc/freeradius/features.h"}; do
	[ -f "$h" ] || continue
	version=$(sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}RADIUSD_VERSION_STRING[[:space:]]\{1,\}"\([0-9][0-9.]*\)".*/\1/p' "$h" | head -n 1)
	commit=$(sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}RADIUSD_VERSION_COMMIT[[:space:]]\{1,\}\([0-9a-fA-F]\{1,\}\).*/\1/p' "$h" | head -n 1)
	[ -n "$version" ] && break
done
[ -n "$version" ] || { echo "fr-version: no FreeRADIUS headers define RADIUSD_VERSION_STRING (libfreeradius-dev)" >&2; exit 1; }
echo "$version${commit:+ (git #$commit)}"
