#!/usr/bin/env bash
# make test-matrix: build and test the module on each FreeRADIUS release Debian ships, each in a
# chroot of its own made by debootstrap from Debian's archive, with that release's packages:
# its radiusd, eapol_test, OpenSSL and compiler.  In each: `make all pki test-unit
# test-integration` on a copy of this work tree (build/ left out).
#
#   leg                  Debian             FreeRADIUS           OpenSSL
#   bullseye             11                 3.0.21               1.1.1
#   bookworm             12                 3.2.1                3.0
#   bookworm-backports   12 + backports     3.2.7 (backports)    3.0
#   trixie               13                 3.2.7                3.5
#
# usage: tests/matrix/run.sh [BUILD_DIR]           as root (debootstrap, chroot, mounts)
#   MATRIX="bookworm trixie"   the legs to run (default: all four, in the order above)
#   MATRIX_FRESH=yes           make every chroot anew (a cold cache), as on a fresh CI machine
#   DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR   Debian's archive (default deb.debian.org)
#
# The chroots are cached in BUILD_DIR/matrix/LEG/root (about 0.9 GB each): a second run reuses
# them and needs no network.  A leg's full log is BUILD_DIR/matrix/LEG/leg.log.
#
# The host is left alone: each command in a chroot runs in a mount namespace of its own
# (unshare --propagation private) where /proc, /dev/pts and /dev/shm are mounted for it and
# unmounted when it ends (a trap; the namespace's end would drop them anyway); no service is
# started in a chroot (policy-rc.d); processes left in a chroot are ended by their pid.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$TOP/build}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
MATRIX_DIR=$BUILD/matrix
LEGS=${MATRIX:-bullseye bookworm bookworm-backports trixie}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# What every leg installs: the build (no clang: the matrix runs no sanitizer or fuzz target),
# the tests' tools, FreeRADIUS with its headers, and dpkg-dev for `apt-get source freeradius`
# (scripts/fr-headers.sh: the -dev packages of 3.0.21 to 3.2.8 lack headers).
TOOLS="make gcc libc6-dev dpkg-dev libssl-dev libtalloc-dev libcmocka-dev libsqlite3-dev libpq-dev pkg-config openssl python3 iproute2 procps eapoltest"
FREERADIUS="freeradius freeradius-utils libfreeradius-dev"

die() { echo "matrix: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount): run it as root"
command -v unshare >/dev/null || die "unshare (util-linux) is needed"
if ! command -v debootstrap >/dev/null; then
	echo "matrix: installing debootstrap from Debian's archive"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null || die "cannot install debootstrap"
fi

# leg_config LEG: SUITE (what debootstrap makes), SUITES and SECURITY (apt sources), TARGET
# (the suite FreeRADIUS comes from, when not SUITE), EXTRA (packages only this leg needs),
# SOURCES_ALSO (suites whose source packages only are listed too: tests/matrix/fr-source.sh).
leg_config() {
	TARGET='' EXTRA='' SECURITY='' SOURCES_ALSO=''
	case $1 in
	bullseye)
		# Debian 11 is in LTS: the updates of bullseye-security are not all on every mirror
		# (some of FreeRADIUS's and wpa's were missing on ours); its last point release
		# (11.11) carries the FreeRADIUS 3.0.21 that LTS patches.  radiusd.h includes pcre.h.
		SUITE=bullseye SUITES="bullseye bullseye-updates" EXTRA=libpcre3-dev ;;
	bookworm)
		SUITE=bookworm SUITES="bookworm bookworm-updates" SECURITY=bookworm-security EXTRA=libpcre3-dev ;;
	bookworm-backports)
		SUITE=bookworm SUITES="bookworm bookworm-updates bookworm-backports" SECURITY=bookworm-security
		TARGET=bookworm-backports EXTRA=libpcre3-dev
		# The backport's own source package may be missing from a mirror (it was from ours):
		# trixie's is the same upstream 3.2.7 (fr-source.sh checks its headers are the same).
		SOURCES_ALSO=trixie ;;
	trixie)
		# 3.2.7 in trixie uses POSIX regex: no pcre.h (and libpcre3-dev is gone).
		SUITE=trixie SUITES="trixie trixie-updates" SECURITY=trixie-security ;;
	*)
		die "unknown leg '$1' (legs: bullseye bookworm bookworm-backports trixie)" ;;
	esac
}

# mounts_under DIR: the mount points at or below DIR in this mount namespace.
mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

# in_root ROOT CMD...: CMD in the chroot, in a private mount namespace with /proc, /dev/pts and
# /dev/shm mounted for it, unmounted again at the end whatever happens.
in_root() {
	local root=$1
	shift
	# shellcheck disable=SC2016 # the script is expanded by the inner shell
	unshare --mount --propagation private -- /bin/bash -c '
		root=$1; shift
		cleanup() { umount "$root/dev/shm" "$root/dev/pts" "$root/proc" 2>/dev/null; }
		trap cleanup EXIT
		mkdir -p "$root/proc" "$root/dev/pts" "$root/dev/shm"
		mount -t proc proc "$root/proc" &&
		mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts" &&
		mount -t tmpfs -o mode=1777,size=256m tmpfs "$root/dev/shm" || exit 125
		chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
	' in_root "$root" "$@"
}

# end_strays ROOT: end the processes still running inside ROOT (a radiusd a failed test left),
# by their pid.
end_strays() {
	local root=$1 p pids=()
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids+=("${p#/proc/}")
	done
	[ ${#pids[@]} -eq 0 ] && return 0
	echo "matrix: ending processes left in $root: ${pids[*]}" >&2
	kill "${pids[@]}" 2>/dev/null
	sleep 1
	kill -9 "${pids[@]}" 2>/dev/null
	return 0
}

# make_root LEG DIR: debootstrap DIR/root and install the leg's packages; DIR/root/.matrix-key
# says with what, so that a changed package list makes it anew.
make_root() {
	local leg=$1 dir=$2 key=$3 new=$2/root.new
	[ -z "$(mounts_under "$dir")" ] || die "$leg: something is mounted under $dir; not touching it"
	rm -rf "$dir/root" "$new"
	mkdir -p "$dir"
	debootstrap --variant=minbase "$SUITE" "$new" "$MIRROR" >"$dir/debootstrap.log" 2>&1 || {
		tail -n 20 "$dir/debootstrap.log" >&2; rm -rf "$new"; return 1; }

	# No service starts in the chroot (freeradius's postinst would start one).
	printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
	chmod 755 "$new/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$new/etc/resolv.conf" 2>/dev/null || true
	rm -f "$new/etc/apt/sources.list"
	{
		printf 'Types: deb deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$MIRROR" "$SUITES"
		printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
		if [ -n "$SECURITY" ]; then
			printf '\nTypes: deb deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$SECURITY_MIRROR" "$SECURITY"
			printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
		fi
		if [ -n "$SOURCES_ALSO" ]; then
			printf '\nTypes: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$MIRROR" "$SOURCES_ALSO"
			printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
		fi
	} >"$new/etc/apt/sources.list.d/debian.sources"

	in_root "$new" /bin/sh -c "
		set -e
		apt-get update -q
		apt-get install -y -q --no-install-recommends $TOOLS $EXTRA
		apt-get install -y -q --no-install-recommends ${TARGET:+-t $TARGET} $FREERADIUS
		apt-get clean
	" >"$dir/apt.log" 2>&1 || { tail -n 20 "$dir/apt.log" >&2; rm -rf "$new"; return 1; }
	echo "$key" >"$new/.matrix-key"
	mv "$new" "$dir/root"
}

# copy_source ROOT: this work tree (without build/ and .git) as ROOT/src, keeping the
# FreeRADIUS source package a previous run fetched (build/freeradius-src: same release).
copy_source() {
	local root=$1 keep=$1/var/cache/matrix-freeradius-src
	if [ -d "$root/src/build/freeradius-src" ]; then
		rm -rf "$keep"
		mv "$root/src/build/freeradius-src" "$keep"
	fi
	rm -rf "$root/src"
	mkdir -p "$root/src/build"
	set -- --exclude=./.git --exclude=./build
	case $BUILD in "$TOP"/*) set -- "$@" --exclude="./${BUILD#"$TOP"/}" ;; esac
	tar -C "$TOP" "$@" -cf - . | tar -C "$root/src" -xf - || return 1
	[ -d "$keep" ] && mv "$keep" "$root/src/build/freeradius-src"
	return 0
}

# sum_cmocka LOG PASSED|FAILED: the tests cmocka counted in LOG.
sum_cmocka() {
	awk -v w="$2" '$1 == "[" && $2 == w && $3 == "]" { n += $4 } END { print n + 0 }' "$1"
}

legs_passed=0
legs_failed=0
summary=()
root=
# Interrupted: end what still runs in the leg's chroot (its mounts go with its namespace).
trap '[ -n "$root" ] && [ -d "$root" ] && end_strays "$root"' EXIT
trap 'exit 130' INT TERM
for leg in $LEGS; do
	leg_config "$leg"
	dir=$MATRIX_DIR/$leg
	root=$dir/root
	log=$dir/leg.log
	key="$SUITE|$SUITES|$SECURITY|$SOURCES_ALSO|$TARGET|$MIRROR|$TOOLS $EXTRA|$FREERADIUS"
	start=$(date +%s)
	cache=cached
	mkdir -p "$dir"
	: >"$log"

	if [ "${MATRIX_FRESH:-no}" = yes ] || [ ! -f "$root/.matrix-key" ] || [ "$(cat "$root/.matrix-key")" != "$key" ]; then
		cache=new
		echo "matrix: $leg: making the chroot (debootstrap $SUITE, then apt: ${TARGET:-$SUITE})"
		# Once more on failure: a download can fail for a moment.
		if ! make_root "$leg" "$dir" "$key" && ! { echo "matrix: $leg: once more"; make_root "$leg" "$dir" "$key"; }; then
			legs_failed=$((legs_failed + 1))
			summary+=("$(printf '%-19s FAIL: could not make the chroot (%s)' "$leg" "$dir")")
			echo "${summary[-1]}"
			continue
		fi
	fi
	ready=$(date +%s)

	# shellcheck disable=SC2016 # dpkg-query's own ${...}
	fr_version=$(chroot "$root" dpkg-query -W -f '${Version}' freeradius)
	ssl_version=$(chroot "$root" openssl version | cut -d' ' -f2)
	echo "matrix: $leg: FreeRADIUS $fr_version, OpenSSL $ssl_version ($cache chroot)"
	copy_source "$root" || die "$leg: cannot copy the source tree into $root/src"
	# The FreeRADIUS headers libfreeradius-dev lacks: Debian's source package, fetched once
	# into the chroot's cache (copy_source keeps it) instead of at every run by the build.
	if [ ! -d "$root/src/build/freeradius-src" ] && ! in_root "$root" /src/scripts/fr-headers.sh --check; then
		in_root "$root" /src/tests/matrix/fr-source.sh /src/build/freeradius-src 2>&1 | tee -a "$log" |
			grep '^fr-source:' | sed "s/^/matrix: $leg: /"
	fi

	# tests/pki/gen.sh needs OpenSSL 3's command line; with an older one (Debian 11's 1.1.1) the
	# test PKI is made by this host's, and is then the same certificate files as in other legs.
	targets="pki test-unit test-integration"
	if [ "${ssl_version%%.*}" -lt 3 ]; then
		host_ssl=$(openssl version 2>/dev/null | cut -d' ' -f2)
		[ "${host_ssl%%.*}" -ge 3 ] 2>/dev/null ||
			die "$leg: OpenSSL $ssl_version cannot make the test PKI, nor can this host's ('${host_ssl:-none}')"
		echo "matrix: $leg: the test PKI made by the host's OpenSSL $host_ssl (tests/pki/gen.sh needs OpenSSL 3's CLI)"
		if ! "$TOP/tests/pki/gen.sh" "$root/src/build/pki" >>"$log" 2>&1; then
			die "$leg: tests/pki/gen.sh failed on the host (its log: $log)"
		fi
		touch "$root/src/build/pki/.stamp"
		targets="test-unit test-integration"
	fi

	in_root "$root" /bin/bash -c "cd /src && make -j2 all && make $targets" >>"$log" 2>&1
	rc=$?
	end_strays "$root"
	leftover=$(mounts_under "$root")
	[ -z "$leftover" ] || die "$leg: mounts left under $root: $leftover"

	end=$(date +%s)
	unit_pass=$(sum_cmocka "$log" PASSED)
	unit_fail=$(sum_cmocka "$log" FAILED)
	it_line=$(grep -E '^integration: [0-9]+ passed' "$log" | tail -n 1)
	it=${it_line#integration: }
	if [ $rc -eq 0 ]; then result=PASS; legs_passed=$((legs_passed + 1)); else result=FAIL; legs_failed=$((legs_failed + 1)); fi
	summary+=("$(printf '%-19s FreeRADIUS %-7s OpenSSL %-7s unit %s passed, %s failed; integration %s  %s  %d s (%s chroot %d s, tests %d s)' \
		"$leg" "${fr_version%%+*}" "$ssl_version" "$unit_pass" "$unit_fail" "${it:-not run}" "$result" \
		$((end - start)) "$cache" $((ready - start)) $((end - ready)))")
	echo "${summary[-1]}"
	if [ $rc -ne 0 ]; then
		echo "matrix: $leg failed; the end of its log ($log):"
		grep -vE '^(cc|ar) ' "$log" | tail -n 40 | sed 's/^/  | /'
	fi
done

echo "matrix: FreeRADIUS releases"
printf '  %s\n' "${summary[@]}"
echo "matrix: $legs_passed passed, $legs_failed failed"
[ "$legs_failed" -eq 0 ]
