#!/bin/sh
# Run inside a matrix chroot (tests/matrix/run.sh): unpack Debian's source package of the
# installed FreeRADIUS as OUTDIR, where scripts/fr-headers.sh looks for it (build/freeradius-src),
# so that the build takes the headers libfreeradius-dev lacks from it without downloading it
# again on later runs.
#
# A mirror may lack a backport's own source package (freeradius 3.2.7+dfsg-1~bpo12+1 was missing
# on ours); then another source package of the same upstream release (trixie's 3.2.7) is used,
# but only if every header libfreeradius-dev installed is identical to that source's own (the
# installed ones say <freeradius/...> where the source says <freeradius-devel/...>).
#
# usage: fr-source.sh OUTDIR
set -eu
out=${1:?usage: fr-source.sh OUTDIR}
version=$(dpkg-query -W -f='${Version}' libfreeradius-dev)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

if ! apt-get source -q --only-source "freeradius=$version" >log 2>&1; then
	upstream=${version%-*}
	other=$(apt-cache showsrc --only-source freeradius | sed -n 's/^Version: //p' | grep -F "$upstream-" |
		grep -vxF "$version" | sort -V | tail -n 1)
	if [ -z "$other" ]; then
		cat log >&2
		echo "fr-source: no source package of freeradius $version (nor of upstream $upstream) here" >&2
		exit 1
	fi
	rm -rf ./*
	apt-get source -q --only-source "freeradius=$other" >log 2>&1 || { cat log >&2; exit 1; }
	differ=
	for h in /usr/include/freeradius/*.h; do
		s=$(echo freeradius-*/)src/include/$(basename "$h")
		[ -e "$s" ] || continue
		sed 's|<freeradius-devel/|<freeradius/|g' "$s" | cmp -s - "$h" || differ="$differ $(basename "$h")"
	done
	if [ -n "$differ" ]; then
		echo "fr-source: freeradius $version's source package is not here, and $other's headers differ:$differ" >&2
		exit 1
	fi
	echo "fr-source: freeradius $version's source package is not on this mirror; using $other's (same upstream" \
		"release; every installed header identical to its own)"
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$tmp"/freeradius-*/ "$out"
