#!/bin/sh
# Install rlm_phonecert into a Debian-packaged FreeRADIUS 3.2 (/etc/freeradius/3.0), or take it
# out again.  Called by `make install` / `make uninstall` (mk/install.mk), which pass every
# path in the environment; DESTDIR prefixes them all.
#
# Rules, in the order an admin would ask about them:
#  * A module radiusd would refuse is not installed.  radiusd loads only modules built against
#    its own release (the magic number holds x.y.z): into a tree radiusd runs from, install
#    compares the release in the built module's magic number (read with readelf; else the one
#    recorded beside it at build time, MODULE minus .so plus .fr-version; scripts/fr-version.sh)
#    with the installed radiusd's, and on a mismatch refuses before changing anything (the old
#    module, if any, keeps working until radiusd restarts).
#  * An admin's file is never overwritten.  Where one of our files already exists with other
#    content, ours goes beside it as NAME.phonecert-new (in policy.d, which radiusd reads whole,
#    as .NAME.phonecert-new: radiusd skips dot files, and two copies of a policy stop it).
#  * Nothing is enabled that would stop radiusd from starting.  The phonecert module refuses to
#    start while the eap module trusts a ca_file (Debian's stock eap trusts every public CA), so
#    the module and its check-eap-tls site are linked only once the enabled eap module uses
#    phonecert's ca_path.  mods-enabled/eap itself is linked to our eap config only where there
#    is none: replacing it would take EAP-PEAP/TTLS away from everyone else on the server.
#  * The dictionary gets one marked `$INCLUDE-` line ("-": optional, so a forgotten line never
#    stops radiusd); uninstall removes exactly that line and leaves the admin's own edits alone.
#  * Uninstall removes only what is ours, keeps what the admin edited or uploaded (and says so),
#    and refuses while the enabled configuration still uses phonecert (PHONECERT_FORCE=yes to
#    go ahead anyway): removing the module under a site that calls it would stop radiusd.
#
# usage: mk/install.sh install|uninstall
# environment: SRC (the repository), DESTDIR, PREFIX (CLI, man page), FR_MODDIR (radiusd's
#   libdir), FR_RADDB, FR_LOGDIR, FR_USER/FR_GROUP (freerad), MODULE and CLI (the built files,
#   install only), PHONECERT_ENABLE (auto|yes|no), PHONECERT_FORCE (uninstall: yes|no),
#   FR_RADIUSD (the radiusd whose release is compared; default freeradius or radiusd on PATH)
set -eu

action=${1:?usage: install.sh install|uninstall}
: "${SRC:?}" "${FR_MODDIR:?}" "${FR_RADDB:?}" "${FR_LOGDIR:?}" "${PREFIX:?}"
DESTDIR=${DESTDIR:-}
FR_USER=${FR_USER:-freerad}
FR_GROUP=${FR_GROUP:-freerad}
ENABLE=${PHONECERT_ENABLE:-auto}
FORCE=${PHONECERT_FORCE:-no}
case $ENABLE in auto | yes | no) ;; *) echo "install.sh: PHONECERT_ENABLE must be auto, yes or no" >&2; exit 2 ;; esac

raddb=$DESTDIR$FR_RADDB
bindir=$DESTDIR$PREFIX/bin
mandir=$DESTDIR$PREFIX/share/man/man1
moddir=$DESTDIR$FR_MODDIR
tlscache=$DESTDIR$FR_LOGDIR/tlscache
marker='# rlm_phonecert: added by make install, removed by make uninstall'
# shellcheck disable=SC2016 # a literal FreeRADIUS directive
include_line='$INCLUDE- dictionary.phonecert'

say() { printf '%s: %s\n' "$action" "$*"; }

# Stop before changing anything where this user cannot write (make install as an ordinary
# user, without DESTDIR): say how to run it as root, with or without sudo.
need_writable() { # need_writable DIR...: each DIR, or its nearest existing parent, is writable
	for d in "$@"; do
		while [ ! -e "$d" ]; do d=$(dirname "$d"); done
		[ -w "$d" ] && continue
		if [ "$(id -u)" -eq 0 ]; then echo "$action: $d is not writable, even by root" >&2; exit 1; fi
		if command -v sudo >/dev/null 2>&1; then how="sudo make $action"
		else how="make $action as root (sudo is not installed: su -c 'make $action')"; fi
		echo "$action: $d is not writable by $(id -un): run $how, or stage it with DESTDIR=DIR" >&2
		exit 1
	done
}

# Our raddb files, relative to the raddb directory (ca.d is written by the module, not here).
raddb_files() {
	printf '%s\n' mods-available/phonecert mods-available/eap-phonecert \
		sites-available/check-eap-tls-phonecert policy.d/phonecert dictionary.phonecert \
		phonecert/phonecert.conf phonecert/capf/README mods-available/phonecert_ledger
	(cd "$SRC/raddb" && find mods-config/sql/phonecert -type f | LC_ALL=C sort)
	(cd "$SRC/raddb" && find phonecert/manufacturing -type f | LC_ALL=C sort)
}
# The rollover ledger's queries and schemas (mods-available/phonecert_ledger, never enabled here).
raddb_dirs="phonecert phonecert/capf phonecert/manufacturing mods-config/sql/phonecert
	mods-config/sql/phonecert/sqlite mods-config/sql/phonecert/postgresql"

# Debian's freeradius.service makes /etc/freeradius read-only to radiusd (ReadOnlyDirectories=),
# and the module writes ca.d there at every start and reload: a drop-in makes that one directory
# writable ("-": no error while it does not exist).  Installed where that unit is.
dropin=$DESTDIR/etc/systemd/system/freeradius.service.d/phonecert.conf
dropin_text() {
	printf '%s\n' "# rlm_phonecert: added by make install, removed by make uninstall." \
		"# The module writes its trust store (ca_path) under /etc/freeradius, which the unit makes read-only." \
		"[Service]" "ReadWritePaths=-$FR_RADDB/phonecert/ca.d"
}
has_freeradius_unit() {
	for u in lib usr/lib etc; do [ -f "$DESTDIR/$u/systemd/system/freeradius.service" ] && return 0; done
	return 1
}
systemd_reload() { # only for the real root, where systemd runs
	if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
		systemctl daemon-reload && say "systemctl daemon-reload (for ${dropin#"$DESTDIR"})"
	fi
	return 0
}

# Where our version goes when the admin has another one.
new_name() {
	case $1 in
	policy.d/*) echo "policy.d/.${1#policy.d/}.phonecert-new" ;;
	*) echo "$1.phonecert-new" ;;
	esac
}

# Ownership is only set as root and where FreeRADIUS's group exists (a packager's DESTDIR
# build as an ordinary user gets the modes; the package sets owners).
can_chown=no
if [ "$(id -u)" -eq 0 ] && getent group "$FR_GROUP" >/dev/null 2>&1; then can_chown=yes; fi
own() { # own OWNER:GROUP PATH...
	[ "$can_chown" = yes ] || return 0
	o=$1; shift
	chown -h "$o" "$@"
}

# A tree radiusd runs from, as opposed to a packager's empty DESTDIR: only there are links
# made and the dictionary edited (a package does that in its postinst).
is_live_tree() { [ -f "$raddb/radiusd.conf" ]; }

# The file a mods-enabled / sites-enabled entry points to (inside DESTDIR).
resolve() {
	if [ -L "$1" ]; then
		t=$(readlink "$1")
		case $t in /*) echo "$DESTDIR$t" ;; *) echo "$(dirname "$1")/$t" ;; esac
	else
		echo "$1"
	fi
}

# The values of the active "ca_path = ..." lines of a file, unquoted.
ca_paths() {
	sed -n 's/^[[:space:]]*ca_path[[:space:]]*=[[:space:]]*"\{0,1\}\([^"#[:space:]]*\).*/\1/p' "$1"
}

# The enabled eap module trusts exactly phonecert's directory: no active ca_file, and every
# active ca_path is the one mods-available/phonecert names.  (The module checks the parsed
# configuration itself at start; this only decides whether linking it is safe.)
eap_uses_phonecert() {
	eap=$(resolve "$raddb/mods-enabled/eap")
	[ -f "$eap" ] || return 1
	want=$(ca_paths "$raddb/mods-available/phonecert" | head -n 1)
	[ -n "$want" ] || return 1
	grep -Eq '^[[:space:]]*ca_file[[:space:]]*=' "$eap" && return 1
	paths=$(ca_paths "$eap")
	[ -n "$paths" ] || return 1
	printf '%s\n' "$paths" | while IFS= read -r p; do [ "$p" = "$want" ] || exit 1; done
}

# link DIR NAME TARGET: DIR/NAME -> TARGET unless DIR/NAME already exists (an admin's choice).
link() {
	l=$raddb/$1/$2
	if [ -L "$l" ] || [ -e "$l" ]; then
		if [ "$(readlink "$l" 2>/dev/null)" != "$3" ]; then say "keeping your $1/$2 ($(readlink "$l" 2>/dev/null || echo file))"; fi
		return 0
	fi
	ln -s "$3" "$l"
	say "enabled $1/$2 -> $3"
}

# Another enabled site already defines "server check-eap-tls" (e.g. Debian's check-eap-tls).
other_check_site() {
	for s in "$raddb"/sites-enabled/*; do
		[ -e "$s" ] || continue
		[ "$(basename "$s")" = check-eap-tls-phonecert ] && continue
		if grep -Eq '^[[:space:]]*server[[:space:]]+check-eap-tls([[:space:]]|\{|$)' "$s"; then echo "$s"; return 0; fi
	done
	return 1
}

# The release the module was built against must be the installed radiusd's, or radiusd refuses
# it at its next start ("Invalid version in module"), and with it every other EAP user.
check_release() {
	is_live_tree || return 0	# a packager's DESTDIR: the package's Depends does this
	# The module's own magic number; else what the build recorded beside it.
	rec=${MODULE%.so}.fr-version
	if ! built=$("$SRC/scripts/fr-version.sh" --module "$MODULE" 2>/dev/null); then
		if [ ! -f "$rec" ]; then
			say "WARNING: cannot tell which FreeRADIUS $MODULE was built against (no readelf, no $rec)"
			return 0
		fi
		built=$(cat "$rec")
	fi
	if ! running=$("$SRC/scripts/fr-version.sh" --radiusd ${FR_RADIUSD:+"$FR_RADIUSD"} 2>/dev/null); then
		say "WARNING: no radiusd found to compare with: the module was built against FreeRADIUS $built"
		return 0
	fi
	[ "$built" = "$running" ] && return 0
	cat >&2 <<EOF
install: REFUSED, nothing installed or changed: $MODULE was built against FreeRADIUS $built,
install: but the installed radiusd is FreeRADIUS $running.  radiusd loads only modules built for its
install: own release (the module's magic number holds the version): with this one enabled it would
install: not start at all.  Rebuild against the installed FreeRADIUS (its libfreeradius-dev must be
install: $running too), then install:   make clean && make && make install
EOF
	exit 1
}

# The files an eap module (FILE) needs under ${certdir} that are missing (its certificate_file and
# private_key_file, as in mods-available/eap-phonecert), as certs/NAME.
missing_server_cert() {
	eap=$1
	[ -f "$eap" ] || return 0
	# shellcheck disable=SC2016 # a literal ${certdir}
	sed -n 's/^[[:space:]]*\(certificate_file\|private_key_file\)[[:space:]]*=[[:space:]]*"\{0,1\}\${certdir}\/\([^"#[:space:]]*\).*/certs\/\2/p' "$eap" |
		while IFS= read -r f; do [ -e "$raddb/$f" ] || echo "$f"; done
}

# What an admin must do for the server's own certificate, said where it is missing (for the eap
# module FILE).
say_server_cert() {
	missing=$(missing_server_cert "$1" | paste -sd ' ')
	[ -n "$missing" ] || return 0
	cat <<EOF
install: The eap module needs this server's certificate and key, missing: $missing in
install: $raddb (\${certdir}), readable by freerad; radiusd does not start without them.  In
install: production, your own (its CA trusted by the phones); for a test, a self-signed one:
install:    cd $raddb && openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=radius-test \\
install:      -keyout certs/server.key -out certs/server.pem && chgrp freerad certs/server.* && chmod 640 certs/server.*
EOF
}

do_install() {
	: "${MODULE:?}" "${CLI:?}"
	need_writable "$moddir" "$bindir" "$mandir" "$raddb"
	check_release
	install -d "$moddir" "$bindir"
	install -m 0644 "$MODULE" "$moddir/rlm_phonecert.so"
	install -m 0755 "$CLI" "$bindir/phonecert"
	if [ -f "$SRC/docs/phonecert.1" ]; then install -D -m 0644 "$SRC/docs/phonecert.1" "$mandir/phonecert.1"; fi

	# Directories: readable by radiusd (group), writable by root only, so that a compromised
	# radiusd cannot change what it trusts.  ca.d is the exception: the module (running as
	# freerad) rewrites it from phonecert.conf at every start and reload, and then restores
	# the directory's modification time (so that SIGHUP keeps reloading it), which only the
	# directory's owner may do: it belongs to freerad.
	for d in $raddb_dirs; do
		if [ ! -d "$raddb/$d" ]; then install -d -m 0750 "$raddb/$d"; own "root:$FR_GROUP" "$raddb/$d"; fi
	done
	if [ ! -d "$raddb/phonecert/ca.d" ]; then
		install -d -m 0750 "$raddb/phonecert/ca.d"
		if getent passwd "$FR_USER" >/dev/null 2>&1; then own "$FR_USER:$FR_GROUP" "$raddb/phonecert/ca.d"; fi
	fi

	raddb_files | while IFS= read -r f; do
		dst=$raddb/$f
		if [ -e "$dst" ]; then
			cmp -s "$SRC/raddb/$f" "$dst" && continue
			dst=$raddb/$(new_name "$f")
			say "keeping your $raddb/$f; ours is $raddb/$(new_name "$f")"
		fi
		install -D -m 0640 "$SRC/raddb/$f" "$dst"
		own "root:$FR_GROUP" "$dst"
	done

	# The eap config keeps TLS sessions on disk (persist_dir = ${logdir}/tlscache).
	if [ -d "$DESTDIR$FR_LOGDIR" ] && [ ! -d "$tlscache" ]; then
		install -d -m 0700 "$tlscache"
		if [ "$can_chown" = yes ] && getent passwd "$FR_USER" >/dev/null; then chown "$FR_USER:$FR_GROUP" "$tlscache"; fi
	fi

	if ! is_live_tree; then
		say "no $raddb/radiusd.conf: not a FreeRADIUS that runs; files installed, nothing enabled, dictionary not edited"
		return 0
	fi

	if has_freeradius_unit && [ ! -e "$dropin" ]; then
		install -d "$(dirname "$dropin")"
		dropin_text >"$dropin"
		chmod 0644 "$dropin"
		say "added ${dropin#"$DESTDIR"}: radiusd under systemd may write $FR_RADDB/phonecert/ca.d"
		systemd_reload
	fi

	dict=$raddb/dictionary
	if [ ! -f "$dict" ]; then
		say "no $dict: add '$include_line' to it yourself"
	elif grep -Eq '^[[:space:]]*\$-?INCLUDE-?[[:space:]]+(\$\{confdir\}/)?dictionary\.phonecert[[:space:]]*$' "$dict"; then
		:
	else
		# Appended in place (same inode, owner and mode); a missing final newline is supplied.
		if [ -s "$dict" ] && [ "$(tail -c 1 "$dict" | od -An -c | tr -d ' ')" != '\n' ]; then echo >>"$dict"; fi
		printf '%s\n%s\n' "$marker" "$include_line" >>"$dict"
		say "added '$include_line' to $dict"
	fi

	if [ "$ENABLE" = no ]; then say "PHONECERT_ENABLE=no: nothing enabled"; return 0; fi

	if [ ! -L "$raddb/mods-enabled/eap" ] && [ ! -e "$raddb/mods-enabled/eap" ]; then
		link mods-enabled eap ../mods-available/eap-phonecert
	fi
	if [ "$ENABLE" = auto ] && ! eap_uses_phonecert; then
		cat <<EOF
install: phonecert is installed but NOT enabled.  Your mods-enabled/eap ($(readlink "$raddb/mods-enabled/eap" 2>/dev/null || echo "a file"))
install: trusts a ca_file or another ca_path, and the phonecert module refuses to start beside
install: it (EAP-TLS would trust more than the uploaded anchors).  In $raddb, either
install:    phones only:   ln -sfn ../mods-available/eap-phonecert mods-enabled/eap
install:    or merge the "phonecert:" lines of mods-available/eap-phonecert into your eap module,
install: then run make install again (or PHONECERT_ENABLE=yes) to enable the module and its site.
EOF
		say_server_cert "$raddb/mods-available/eap-phonecert"
		return 0
	fi
	link mods-enabled phonecert ../mods-available/phonecert
	if site=$(other_check_site); then
		say "not enabling sites-enabled/check-eap-tls-phonecert: ${site#"$raddb"/} already defines server check-eap-tls; call phonecert in its authorize section"
	else
		link sites-enabled check-eap-tls-phonecert ../sites-available/check-eap-tls-phonecert
	fi
	say_server_cert "$(resolve "$raddb/mods-enabled/eap")"
	if [ ! -e "$raddb/mods-enabled/always" ]; then
		say "WARNING: no mods-enabled/always: phonecert_require_decision (policy.d/phonecert) calls its reject: ln -s ../mods-available/always $raddb/mods-enabled/"
	fi
	say "next (README, 'Installing into an existing FreeRADIUS'): phonecert_require_decision and -phonecert in"
	say "your outer server's post-auth, the control socket for radmin, then freeradius -XC && systemctl restart freeradius"
}

# Where the enabled configuration still uses phonecert, apart from our own links and files.
uses_of_phonecert() {
	for e in "$raddb"/mods-enabled/* "$raddb"/sites-enabled/*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		case ${e#"$raddb"/} in mods-enabled/phonecert | sites-enabled/check-eap-tls-phonecert) continue ;; esac
		target=$(resolve "$e")
		case $target in */mods-available/eap-phonecert | */mods-available/phonecert | */sites-available/check-eap-tls-phonecert)
			echo "  ${e#"$raddb"/} -> $(readlink "$e")"; continue ;;
		esac
		[ -f "$target" ] || continue
		grep -nE '^[^#]*phonecert' "$target" | while IFS= read -r line; do echo "  ${e#"$raddb"/}:$line"; done
	done
	# An include of our dictionary that is not our optional one would fail once the file is gone.
	if [ -f "$raddb/dictionary" ]; then
		# shellcheck disable=SC2016 # a regular expression, not an expansion
		grep -nE '^[[:space:]]*\$INCLUDE[[:space:]]+(\$\{confdir\}/)?dictionary\.phonecert' "$raddb/dictionary" |
			while IFS= read -r line; do echo "  dictionary:$line"; done
	fi
}

do_uninstall() {
	need_writable "$moddir" "$bindir" "$mandir" "$raddb"
	if [ -d "$raddb" ] && [ "$FORCE" != yes ]; then
		uses=$(uses_of_phonecert)
		if [ -n "$uses" ]; then
			cat >&2 <<EOF
uninstall: refused, nothing removed: your enabled configuration still uses phonecert, and
uninstall: radiusd would not start without it.  Undo these first (README, "Installing into an
uninstall: existing FreeRADIUS", in reverse), or run make uninstall PHONECERT_FORCE=yes:
$uses
EOF
			exit 1
		fi
	fi

	rm -f "$moddir/rlm_phonecert.so" "$bindir/phonecert" "$mandir/phonecert.1"

	for l in mods-enabled/phonecert sites-enabled/check-eap-tls-phonecert mods-enabled/eap; do
		case $(readlink "$raddb/$l" 2>/dev/null) in
		../mods-available/phonecert | ../mods-available/eap-phonecert | ../sites-available/check-eap-tls-phonecert)
			rm -f "$raddb/$l"; say "disabled $l" ;;
		esac
	done

	dict=$raddb/dictionary
	if [ -f "$dict" ] && grep -qxF "$marker" "$dict"; then
		# Our two lines only, rewritten in place so that owner, mode and inode stay the admin's.
		tmp=$(mktemp)
		awk -v m="$marker" -v i="$include_line" '
			$0 == m { held = 1; next }
			held && $0 == i { held = 0; next }
			held { print m; held = 0 }
			{ print }
			END { if (held) print m }' "$dict" >"$tmp"
		cat "$tmp" >"$dict"
		rm -f "$tmp"
		say "removed '$include_line' from $dict"
	fi

	raddb_files | while IFS= read -r f; do
		rm -f "$raddb/$(new_name "$f")"
		dst=$raddb/$f
		[ -e "$dst" ] || continue
		if cmp -s "$SRC/raddb/$f" "$dst"; then
			rm -f "$dst"
		elif [ "${f#policy.d/}" != "$f" ]; then
			# radiusd reads all of policy.d: an edited policy left there would name attributes
			# whose dictionary is gone.  Kept, as a dot file radiusd skips.
			mv "$dst" "$raddb/policy.d/.${f#policy.d/}.phonecert-edited"
			say "kept your edited $dst as $raddb/policy.d/.${f#policy.d/}.phonecert-edited"
		else
			say "kept your edited $dst"
		fi
	done

	if [ -f "$dropin" ] && [ "$(cat "$dropin")" = "$(dropin_text)" ]; then
		rm -f "$dropin"
		rmdir "$(dirname "$dropin")" 2>/dev/null || true
		say "removed ${dropin#"$DESTDIR"}"
		systemd_reload
	fi

	# ca.d holds only what the module wrote from phonecert.conf.
	rm -rf "$raddb/phonecert/ca.d"
	for d in phonecert/manufacturing phonecert/capf phonecert mods-config/sql/phonecert/sqlite \
		mods-config/sql/phonecert/postgresql mods-config/sql/phonecert; do
		if [ -d "$raddb/$d" ]; then
			rmdir "$raddb/$d" 2>/dev/null || say "kept $raddb/$d: it holds your files: $(cd "$raddb/$d" && find . -mindepth 1 -maxdepth 1 | sed 's|^\./||' | LC_ALL=C sort | paste -sd ' ')"
		fi
	done

	# Cached EAP-TLS sessions of our eap config (FreeRADIUS names them <id>.asn1 / <id>.vps).
	if [ -d "$tlscache" ]; then
		find "$tlscache" -maxdepth 1 -type f \( -name '*.asn1' -o -name '*.vps' \) -delete
		rmdir "$tlscache" 2>/dev/null || say "kept $tlscache: it holds other files"
	fi
}

case $action in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "usage: install.sh install|uninstall" >&2; exit 2 ;;
esac
