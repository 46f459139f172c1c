#!/bin/sh
# What the installed FreeRADIUS says about itself, for the build and the tests: nothing here
# assumes Debian 12, every answer is read from the installed packages (dpkg) or headers, with
# the usual locations as the fallback where FreeRADIUS was not installed by dpkg.
#
# usage: fr-config.sh libdir          the directory radiusd loads modules from (where rlm_eap.so
#                                     is); also where libfreeradius-server.so is on Debian
#        fr-config.sh dictdir         the directory of its dictionaries
#        fr-config.sh raddb           its configuration directory (radiusd.conf)
#        fr-config.sh cflags INCDIR   the compiler flags the module must share with radiusd,
#                                     from its headers (INCDIR: the complete include directory
#                                     scripts/fr-headers.sh made, searched after the installed one)
set -eu

# installed_file PACKAGE NAME: the first file of PACKAGE whose path ends in /NAME.
installed_file() {
	dpkg -L "$1" 2>/dev/null | grep -m1 "/$2\$" || true
}

# first_dir NAME DIR...: the first DIR holding NAME.
first_dir() {
	name=$1
	shift
	for d in "$@"; do
		if [ -e "$d/$name" ]; then echo "$d"; return 0; fi
	done
	return 1
}

multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null || true)

case ${1:-} in
libdir)
	f=$(installed_file freeradius rlm_eap.so)
	[ -n "$f" ] || f=$(installed_file libfreeradius3 libfreeradius-server.so)
	if [ -n "$f" ]; then dirname "$f"; exit 0; fi
	first_dir rlm_eap.so /usr/lib/freeradius ${multiarch:+/usr/lib/$multiarch/freeradius} /usr/lib64/freeradius \
		/usr/local/lib/freeradius || echo /usr/lib/freeradius
	;;
dictdir)
	f=$(installed_file freeradius-common dictionary)
	if [ -n "$f" ]; then dirname "$f"; exit 0; fi
	first_dir dictionary /usr/share/freeradius /usr/local/share/freeradius || echo /usr/share/freeradius
	;;
raddb)
	f=$(installed_file freeradius-config radiusd.conf)
	if [ -n "$f" ]; then dirname "$f"; exit 0; fi
	first_dir radiusd.conf /etc/freeradius/3.0 /etc/raddb /usr/local/etc/raddb || echo /etc/freeradius/3.0
	;;
cflags)
	# REQUEST begins with a magic number only in builds without NDEBUG (radiusd.h): the module
	# must agree.  FreeRADIUS records its choice as WITH_NDEBUG in autoconf.h (3.0 and 3.2).
	# shellcheck disable=SC2086 # CC may be a command with arguments ("ccache gcc")
	macros=$(${CC:-cc} -E -dM -include freeradius/build.h ${2:+-idirafter "$2"} -x c /dev/null) || {
		echo "fr-config: cannot read the FreeRADIUS headers (libfreeradius-dev; scripts/fr-headers.sh)" >&2
		exit 1
	}
	if printf '%s\n' "$macros" | grep -q '^#define WITH_NDEBUG '; then echo "-DNDEBUG"; else echo ""; fi
	;;
*)
	echo "usage: fr-config.sh libdir | dictdir | raddb | cflags [INCDIR]" >&2
	exit 2
	;;
esac
