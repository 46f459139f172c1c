#!/bin/sh
# The FreeRADIUS release a module is built against, as radiusd checks it when it loads the
# module: RLM_MODULE_INIT (the module's magic number) is RADIUSD_MAGIC_NUMBER, made of the
# upstream version x.y.z and, in a build from git, the commit.  radiusd refuses a module whose
# magic differs from its own, so a module built against 3.2.1 does not load into 3.2.7.
#
# usage: fr-version.sh [INCLUDE_DIR]    from the headers (those of libfreeradius-dev first, then
#                                       INCLUDE_DIR: the build's supplement, see fr-headers.sh)
#        fr-version.sh --radiusd [PROG] from a radiusd binary's -v (freeradius, then radiusd)
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
