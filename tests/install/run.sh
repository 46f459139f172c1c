#!/usr/bin/env bash
# `make install` / `make uninstall` against a staged copy of Debian's /etc/freeradius/3.0:
# the admin's server must keep starting at every step, a real EAP-TLS authentication
# (eapol_test, a test LSC) must succeed once the admin has enabled phonecert as the README
# says, and uninstall must leave nothing of ours and keep everything of the admin's.
#
# The stage is DESTDIR: STAGE/etc/freeradius/3.0 starts as a copy of the installed tree, and
# STAGE/usr, STAGE/var/log/freeradius hold what install puts there.  The test's only liberties
# with the admin's files are made before the first snapshot: radiusd.conf points at the stage
# (raddbdir, logdir, run_dir, and libdir = the staged module directory first) and the sites
# listen on 127.0.0.1 high ports.  Runs as root (ownership is part of what is tested).
#
# usage: tests/install/run.sh BUILD_DIR

# The conditions given to check are single-quoted on purpose: check evaluates them.
# shellcheck disable=SC2016
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR}
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"

HERE=$TOP/tests/install
WORK=$BUILD/install
STAGE=$WORK/stage
RADDB=$STAGE/etc/freeradius/3.0
LIVE=/etc/freeradius/3.0
RUN=$WORK/run
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$1"; }
not_ok() {
	FAIL=$((FAIL + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	[ -n "${SHOW:-}" ] && [ -f "$SHOW" ] && { printf '  --- %s (tail)\n' "$SHOW"; tail -n 15 "$SHOW" | sed 's/^/  | /'; }
	[ -n "${REPRO:-}" ] && printf '  --- reproduce: %s\n' "$REPRO"
	SHOW='' REPRO=''
}
# check NAME 'CONDITION': passes when the shell condition (evaluated here) holds.
check() {
	if eval "$2"; then ok "$1"; else not_ok "$1" "not true: $2"; fi
}

if [ "$(id -u)" -ne 0 ]; then echo "install: must run as root (owners and modes are tested)" >&2; exit 1; fi
for need in "$RADIUSD" "$EAPOL_TEST" "$LIVE/radiusd.conf" "$BUILD/rlm_phonecert.so" "$BUILD/phonecert" "$PKI/lsc-a.crt"; do
	[ -e "$need" ] || { echo "install: missing $need (make all pki; scripts/deps.sh)" >&2; exit 1; }
done

mk() { make -C "$TOP" --no-print-directory BUILD="$BUILD" DESTDIR="$STAGE" PHONECERT_ENABLE=auto PHONECERT_FORCE=no "$@"; }

# Every path of the stage with its type, mode and owner (a link: its target; who owns a link
# does not matter), and every file's digest; each line starts with "./path ".
snapshot() {
	(cd "$STAGE" && { find . ! -type l -printf '%p %y %m %u:%g\n'
		find . -type l -printf '%p %y %l\n'
		find . -type f -exec sha256sum {} + | awk '{ print $2 " sha256 " $1 }'; } | LC_ALL=C sort)
}

radiusd_check() { # radiusd_check NAME: radiusd -XC on the stage succeeds
	local out=$WORK/$1.xc
	SHOW=$out REPRO="$RADIUSD -XC -d $RADDB"
	if "$RADIUSD" -XC -d "$RADDB" >"$out" 2>&1 && grep -q 'Configuration appears to be OK' "$out"; then
		ok "$1"; SHOW='' REPRO=''
	else
		not_ok "$1" "radiusd -XC refuses the staged configuration"
	fi
}

start_staged() {
	: >"$RUN/radiusd.out"
	"$RADIUSD" -f -d "$RADDB" -l stdout >"$RUN/radiusd.out" 2>&1 &
	RADIUSD_PID=$!
	for _ in $(seq 1 100); do
		kill -0 "$RADIUSD_PID" 2>/dev/null || { wait "$RADIUSD_PID"; RADIUSD_PID=; return 1; }
		grep -q 'Ready to process requests' "$RUN/radiusd.out" && return 0
		sleep 0.1
	done
	return 1
}
trap 'stop_radiusd' EXIT

# The phone trusts this server's certificate: the self-signed one the README's command made.
eapol_conf() {
	cat >"$1" <<EOC
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="${3:-$2}"
	ca_cert="$RADDB/certs/server.pem"
	client_cert="$PKI/$2.chain.pem"
	private_key="$PKI/$2.key"
	eapol_flags=0
}
EOC
}

# ---------------------------------------------------------------- the admin's server
rm -rf "$WORK"
mkdir -p "$STAGE/etc/freeradius" "$STAGE/usr/bin" "$STAGE/usr/lib/freeradius" "$STAGE/usr/share/man/man1" "$RUN"
cp -a "$LIVE" "$STAGE/etc/freeradius/"
install -d -o freerad -g adm -m 0750 "$STAGE/var/log/freeradius"
chown freerad:freerad "$RUN"
# radiusd drops to freerad before loading modules: every directory above the stage must let it through.
chmod 0755 "$WORK" "$STAGE"

AUTH_PORT=$(pick_port 19400)
INNER_PORT=$(pick_port $((AUTH_PORT + 2)))
sed -i -e "s|^raddbdir = .*|raddbdir = $RADDB|" -e "s|^logdir = .*|logdir = $STAGE/var/log/freeradius|" \
	-e "s|^run_dir = .*|run_dir = $RUN|" -e "s|^libdir = .*|libdir = $STAGE/usr/lib/freeradius:/usr/lib/freeradius|" \
	"$RADDB/radiusd.conf"
for site in default:"-v auth=$AUTH_PORT -v acct=$((AUTH_PORT + 1))" inner-tunnel:"-v auth=$INNER_PORT"; do
	f=$RADDB/sites-available/${site%%:*}
	# shellcheck disable=SC2086 # the awk options are two words each
	awk ${site#*:} -f "$HERE/relisten.awk" "$f" >"$f.new" && cat "$f.new" >"$f" && rm -f "$f.new"
done
# Any other site the admin has enabled (none on a stock Debian) gets free ports of its own, so
# that the staged server never binds what the admin's server uses (1812, 1813, 18121...).  A
# link that points outside the stage (an absolute one, into the live tree) is replaced by a copy
# first: the live tree is never written.
next_port=$((INNER_PORT + 2))
stage_real=$(cd "$STAGE" && pwd -P) raddb_real=$(cd "$RADDB" && pwd -P)
for f in "$RADDB"/sites-enabled/*; do
	[ -f "$f" ] || continue
	if [ -L "$f" ]; then
		target=$(readlink -f "$f")
		case $target in
		"$raddb_real"/sites-available/default | "$raddb_real"/sites-available/inner-tunnel) continue ;;
		"$stage_real"/*) ;;
		*) cp -p --remove-destination "$target" "$f" ;;
		esac
	fi
	listens=$(grep -Ec '^[[:space:]]*listen[[:space:]]*\{' "$f") || continue
	ports=
	for _ in $(seq "$listens"); do
		p=$(pick_port "$next_port") || { echo "install: no free port for $f" >&2; exit 1; }
		ports="$ports $p"
		next_port=$((p + 2))
	done
	awk -v ports="$ports" -f "$HERE/relisten.awk" "$f" >"$f.new" && cat "$f.new" >"$f" && rm -f "$f.new"
done
# Debian's freeradius.service, as on the server: install adds a drop-in beside it (the unit makes
# /etc/freeradius read-only, and the module writes ca.d there).
install -D -m 0644 /lib/systemd/system/freeradius.service "$STAGE/lib/systemd/system/freeradius.service"
mkdir -p "$STAGE/etc/systemd/system"
# The admin's own edit of the dictionary: it must survive install and uninstall, byte for byte.
printf 'ATTRIBUTE\tMy-Site-Location\t3000\tstring\n' >>"$RADDB/dictionary"
# shellcheck disable=SC2034 # read by check
DICT_BEFORE=$(sha256sum <"$RADDB/dictionary")

snapshot >"$WORK/s0"
radiusd_check "the admin's server starts before install (radiusd -XC)"

# ---------------------------------------------------------------- install onto stock Debian
SHOW=$WORK/install1.out REPRO="make BUILD=$BUILD DESTDIR=$STAGE install"
if mk install >"$WORK/install1.out" 2>&1; then ok "make install"; else not_ok "make install" "exit status $?"; fi
SHOW=
mode_of() { stat -c '%a %U:%G' "$1" 2>/dev/null; }
check "module in FreeRADIUS's libdir, 644" '[ "$(mode_of "$STAGE/usr/lib/freeradius/rlm_phonecert.so")" = "644 root:root" ]'
check "CLI in PREFIX/bin, 755" '[ "$(mode_of "$STAGE/usr/bin/phonecert")" = "755 root:root" ]'
check "man page" '[ -f "$STAGE/usr/share/man/man1/phonecert.1" ]'
check "raddb files root:freerad 640" '[ "$(mode_of "$RADDB/mods-available/phonecert")" = "640 root:freerad" ] &&
	[ "$(mode_of "$RADDB/phonecert/phonecert.conf")" = "640 root:freerad" ]'
check "the rollover ledger's files installed, the ledger not enabled" '[ "$(mode_of "$RADDB/mods-available/phonecert_ledger")" = "640 root:freerad" ] &&
	(for f in sqlite/schema.sql sqlite/queries.conf postgresql/schema.sql postgresql/queries.conf; do
		cmp -s "$TOP/raddb/mods-config/sql/phonecert/$f" "$RADDB/mods-config/sql/phonecert/$f" || exit 1; done) &&
	[ ! -e "$RADDB/mods-enabled/phonecert_ledger" ] && ! grep -rq phonecert_ledger_write "$RADDB/sites-available/default"'
check "trust store directory ca.d: empty, freerad:freerad 750" '[ "$(mode_of "$RADDB/phonecert/ca.d")" = "750 freerad:freerad" ] &&
	[ -z "$(ls -A "$RADDB/phonecert/ca.d")" ]'
check "TLS session cache directory freerad 700" '[ "$(mode_of "$STAGE/var/log/freeradius/tlscache")" = "700 freerad:freerad" ]'
check "dictionary includes ours; the admin's edit kept" "grep -qxF '\$INCLUDE- dictionary.phonecert' \"\$RADDB/dictionary\" &&
	grep -q My-Site-Location \"\$RADDB/dictionary\""
check "stock eap left alone, phonecert not enabled beside it" '[ "$(readlink "$RADDB/mods-enabled/eap")" = ../mods-available/eap ] &&
	[ ! -e "$RADDB/mods-enabled/phonecert" ] && [ ! -e "$RADDB/sites-enabled/check-eap-tls-phonecert" ] &&
	grep -q "NOT enabled" "$WORK/install1.out"'
check "install says where the server certificate goes and how to make a test one" \
	'grep -q "certs/server.pem" "$WORK/install1.out" && grep -q "openssl req -x509" "$WORK/install1.out"'
check "systemd drop-in: radiusd may write ca.d under the read-only /etc/freeradius" \
	'grep -qx "ReadWritePaths=-/etc/freeradius/3.0/phonecert/ca.d" "$STAGE/etc/systemd/system/freeradius.service.d/phonecert.conf"'
radiusd_check "the admin's server still starts after install"

snapshot >"$WORK/s1"
mk install >"$WORK/install2.out" 2>&1
snapshot >"$WORK/s2"
if cmp -s "$WORK/s1" "$WORK/s2"; then ok "second make install changes nothing"; else not_ok "second make install changes nothing" "$(diff "$WORK/s1" "$WORK/s2" | head -5)"; fi

# A radiusd of another release (as after an upgrade of freeradius, with the module not rebuilt)
# would refuse the module: install refuses first, changing nothing.
printf '#!/bin/sh\necho "radiusd: FreeRADIUS Version 3.2.7, for host x86_64-pc-linux-gnu, built on Jan  1 2025"\n' >"$WORK/radiusd-3.2.7"
chmod 755 "$WORK/radiusd-3.2.7"
SHOW=$WORK/install-mismatch.out
if ! mk install FR_RADIUSD="$WORK/radiusd-3.2.7" >"$WORK/install-mismatch.out" 2>&1 &&
	grep -q "built against FreeRADIUS $(cat "$BUILD/rlm_phonecert.fr-version"),\$" "$WORK/install-mismatch.out" &&
	grep -q "REFUSED" "$WORK/install-mismatch.out"; then
	ok "make install refuses a module built for $(cat "$BUILD/rlm_phonecert.fr-version") when radiusd is 3.2.7"
else
	not_ok "make install refuses a release mismatch" "it did not refuse"
fi
snapshot >"$WORK/s2b"
if cmp -s "$WORK/s1" "$WORK/s2b"; then ok "the refused install changed nothing"; else not_ok "the refused install changed nothing" "$(diff "$WORK/s1" "$WORK/s2b" | head -5)"; fi
SHOW=

# ---------------------------------------------------------------- the admin enables phonecert (README)
# The commands of the README's "Then, as root" block ("Installing into an existing FreeRADIUS"),
# as they are, with the stage's paths: steps 1-4 (eap, the server certificate made by the
# README's openssl command, a CAPF uploaded and checked, the outer server's post-auth), step 5
# for a source install (make install again, which links the module and its site), step 6 (the
# control socket for radmin), and step 7's check; the restart is the test's own.
awk '/^Then, as root:/ { f = 1; next } f && /^```sh$/ { p = 1; next } p && /^```$/ { exit } p' "$TOP/README.md" >"$WORK/readme.sh"
for want in 'ln -sfn ../mods-available/eap-phonecert mods-enabled/eap' 'openssl req' 'phonecert_require_decision' \
	'/path/to/CAPF-a6d4c572.pem' '# 5.' '# 6.' 'mode = rw' '# 7.'; do
	grep -qF -- "$want" "$WORK/readme.sh" || not_ok "the README's install block" "no longer has: $want"
done
cp "$PKI/capf-a.crt" "$WORK/CAPF-a6d4c572.pem"
sed -e "s|^cd /etc/freeradius/3.0\$|cd '$RADDB'|" -e "s|/etc/freeradius/3.0/|$RADDB/|g" \
	-e "s|/path/to/CAPF-a6d4c572.pem|$WORK/CAPF-a6d4c572.pem|" -e "s|^phonecert anchors|'$STAGE/usr/bin/phonecert' anchors|" \
	"$WORK/readme.sh" >"$WORK/readme-stage.sh"
{ echo 'set -ex'; awk '/^# 5\./ { exit } { print }' "$WORK/readme-stage.sh"; } >"$WORK/readme-1-4.sh"
{ echo 'set -ex'; grep -m1 '^cd ' "$WORK/readme-stage.sh"; awk '/^# 6\./ { p = 1 } /^# 7\./ { exit } p' "$WORK/readme-stage.sh"; } >"$WORK/readme-6.sh"
cp -p "$RADDB/sites-available/default" "$WORK/default.orig"
SHOW=$WORK/readme-1-4.out REPRO="bash $WORK/readme-1-4.sh"
check "README steps 1-4: eap, server certificate (openssl), CAPF uploaded and checked, post-auth" \
	'bash "$WORK/readme-1-4.sh" >"$WORK/readme-1-4.out" 2>&1 && grep -q "capf-hq" "$WORK/readme-1-4.out" &&
	[ "$(grep -cE "^[[:space:]]+(-phonecert|phonecert_require_decision)\$" "$RADDB/sites-available/default")" -eq 2 ]'
SHOW='' REPRO=''
# shellcheck disable=SC2034 # read by check
CONF_SUM=$(sha256sum <"$RADDB/phonecert/phonecert.conf")

SHOW=$WORK/install3.out REPRO="make BUILD=$BUILD DESTDIR=$STAGE install"
if mk install >"$WORK/install3.out" 2>&1; then ok "README step 5: make install after switching eap"; else not_ok "make install after switching eap" "exit status $?"; fi
SHOW=
check "module and check-eap-tls site enabled by symlinks" '[ "$(readlink "$RADDB/mods-enabled/phonecert")" = ../mods-available/phonecert ] &&
	[ "$(readlink "$RADDB/sites-enabled/check-eap-tls-phonecert")" = ../sites-available/check-eap-tls-phonecert ]'
check "the admin's phonecert.conf kept, ours beside it" '[ "$(sha256sum <"$RADDB/phonecert/phonecert.conf")" = "$CONF_SUM" ] &&
	cmp -s "$TOP/raddb/phonecert/phonecert.conf" "$RADDB/phonecert/phonecert.conf.phonecert-new"' 
SHOW=$WORK/readme-6.out REPRO="bash $WORK/readme-6.sh"
check "README step 6: the control socket, read-write" 'bash "$WORK/readme-6.sh" >"$WORK/readme-6.out" 2>&1 &&
	grep -qE "^[[:space:]]+mode = rw" "$RADDB/sites-enabled/control-socket"'
SHOW='' REPRO=''
radiusd_check "README step 7: radiusd -XC with phonecert enabled"

# ---------------------------------------------------------------- a phone authenticates
SHOW=$RUN/radiusd.out REPRO="$RADIUSD -X -d $RADDB"
if start_staged; then
	STARTED=$(date +%s)
	ok "radiusd starts from the staged tree"
	out=$WORK/lsc-a.eapol
	SHOW=$out REPRO="$EAPOL_TEST -c $out.conf -a 127.0.0.1 -p $AUTH_PORT -s $SECRET -M b0:00:b4:ba:0a:ee"
	# An Access-Accept for the LSC carrying Cisco-AVPair (vendor 9, attribute 1, length 28)
	# "device-traffic-class=voice", as eapol_test dumps it in hex.
	avpair="00000009011c$(printf 'device-traffic-class=voice' | od -An -tx1 | tr -d ' \n')"
	if run_phone lsc-a b0:00:b4:ba:0a:ee "$AUTH_PORT" "$out" && grep -q 'Access-Accept' "$out" \
		&& grep -q "Value: $avpair\$" "$out"; then
		ok "EAP-TLS with an LSC from the uploaded CAPF: Access-Accept, device-traffic-class=voice"
	else
		SHOW=$RUN/radiusd.out not_ok "EAP-TLS LSC accept" "eapol_test: $(grep -m1 -E 'SUCCESS|FAILURE' "$out")"
	fi
	out=$WORK/lsc-c.eapol
	SHOW=$RUN/radiusd.out REPRO="$EAPOL_TEST -c $out.conf -a 127.0.0.1 -p $AUTH_PORT -s $SECRET -M 00:11:22:33:44:c0"
	if ! run_phone lsc-c 00:11:22:33:44:c0 "$AUTH_PORT" "$out" && grep -q 'reason=capf-not-uploaded' "$RUN/radiusd.out"; then
		ok "a phone of a CAPF not uploaded is refused and diagnosed (capf-not-uploaded)"
	else
		not_ok "capf-not-uploaded refusal" "accepted, or no diagnosis in radiusd's log"
	fi
	# A second cluster's CAPF uploaded while radiusd runs, then a reload: the module re-reads its
	# file and rewrites ca.d as freerad (radiusd has dropped root for good by then).
	install -m 0640 -o root -g freerad "$PKI/capf-b.crt" "$RADDB/phonecert/capf/CAPF-a7fb32bf.pem"
	printf '\n[anchor capf-cluster2]\nrole = lsc\nfile = capf/CAPF-a7fb32bf.pem\n' >>"$RADDB/phonecert/phonecert.conf"
	# FreeRADIUS 3.2 silently skips a module reload within 2 s of the module's last (re)load, and
	# still records the file as seen: wait that out, or the HUP would be lost.
	while [ $(($(date +%s) - STARTED)) -lt 3 ]; do sleep 0.2; done
	# README: radmin, through the control socket that step 6 enabled.
	radmin -d "$RADDB" -e "hup phonecert" >"$WORK/radmin.out" 2>&1 || echo "radmin: exit status $?" >>"$WORK/radmin.out"
	reloaded=no
	for _ in $(seq 1 50); do
		grep -q 'Reloaded module "phonecert"' "$RUN/radiusd.out" && { reloaded=yes; break; }
		sleep 0.1
	done
	out=$WORK/lsc-b.eapol
	SHOW=$RUN/radiusd.out REPRO="$EAPOL_TEST -c $out.conf -a 127.0.0.1 -p $AUTH_PORT -s $SECRET -M b0:00:b4:ba:0a:ef"
	if [ "$reloaded" = yes ] && run_phone lsc-b b0:00:b4:ba:0a:ef "$AUTH_PORT" "$out"; then
		ok "a CAPF uploaded and reloaded (radmin -e \"hup phonecert\") without a restart admits its phones"
	else
		not_ok "upload + reload" "reloaded=$reloaded; radmin: $(head -c 300 "$WORK/radmin.out"); eapol_test: $(grep -m1 -E 'SUCCESS|FAILURE' "$out")"
	fi
	SHOW='' REPRO=''
	check "the module (running as freerad) wrote the trust store, with no warning" \
		'[ -n "$(find "$RADDB/phonecert/ca.d" -type f -user freerad -name "*.[0-9]")" ] && ! grep -q "Warning: rlm_phonecert" "$RUN/radiusd.out"'
else
	not_ok "radiusd starts from the staged tree" "it did not report ready"
fi
stop_radiusd

# ---------------------------------------------------------------- uninstall
snapshot >"$WORK/s3"
SHOW=$WORK/uninstall1.out
if ! mk uninstall >"$WORK/uninstall1.out" 2>&1 && grep -q 'refused' "$WORK/uninstall1.out" \
	&& grep -q 'sites-enabled/default:.*phonecert_require_decision' "$WORK/uninstall1.out" \
	&& grep -q 'mods-enabled/eap -> ../mods-available/eap-phonecert' "$WORK/uninstall1.out"; then
	ok "make uninstall refuses while the configuration uses phonecert, naming each use"
else
	not_ok "make uninstall refuses while in use" "it did not refuse, or did not name the uses"
fi
snapshot >"$WORK/s4"
if cmp -s "$WORK/s3" "$WORK/s4"; then ok "a refused uninstall removes nothing"; else not_ok "a refused uninstall removes nothing" "$(diff "$WORK/s3" "$WORK/s4" | head -5)"; fi

# shellcheck disable=SC2034 # read by check
CONF_SUM=$(sha256sum <"$RADDB/phonecert/phonecert.conf")

# The admin undoes the integration (Debian's eap back, post-auth lines out), keeps the uploads.
ln -sfn ../mods-available/eap "$RADDB/mods-enabled/eap"
cat "$WORK/default.orig" >"$RADDB/sites-available/default"
SHOW=$WORK/uninstall2.out REPRO="make BUILD=$BUILD DESTDIR=$STAGE uninstall"
if mk uninstall >"$WORK/uninstall2.out" 2>&1; then ok "make uninstall"; else not_ok "make uninstall" "exit status $?"; fi
SHOW='' REPRO=''
check "the admin's dictionary is byte for byte what it was" '[ "$(sha256sum <"$RADDB/dictionary")" = "$DICT_BEFORE" ]'
check "the admin's edited phonecert.conf and upload are kept" '[ "$(sha256sum <"$RADDB/phonecert/phonecert.conf")" = "$CONF_SUM" ] &&
	[ -f "$RADDB/phonecert/capf/CAPF-a6d4c572.pem" ]'
radiusd_check "the admin's server starts after uninstall"

# Apart from the admin's own files (uploads, edited policy, server certificate) the tree is
# exactly what it was before install.
admin_own='^\./etc/freeradius/3\.0/(phonecert|phonecert/capf|phonecert/phonecert\.conf|phonecert/capf/CAPF-a(6d4c572|7fb32bf)\.pem|certs/server\.(pem|key)|sites-(available|enabled)/control-socket) '
snapshot | grep -Ev "$admin_own" >"$WORK/s5"
grep -Ev "$admin_own" "$WORK/s0" >"$WORK/s0-cmp"
if cmp -s "$WORK/s0-cmp" "$WORK/s5"; then
	ok "after uninstall nothing of ours is left (tree = before install + the admin's own files)"
else
	not_ok "nothing of ours left" "$(diff "$WORK/s0-cmp" "$WORK/s5" | head -10)"
fi

# ---------------------------------------------------------------- packaging: DESTDIR + PREFIX
PKG=$WORK/pkg
SHOW=$WORK/pkg.out
if make -C "$TOP" --no-print-directory BUILD="$BUILD" DESTDIR="$PKG" PREFIX=/usr/local install >"$WORK/pkg.out" 2>&1 \
	&& [ -x "$PKG/usr/local/bin/phonecert" ] && [ -f "$PKG/usr/lib/freeradius/rlm_phonecert.so" ] \
	&& [ -f "$PKG/etc/freeradius/3.0/mods-available/phonecert" ] && [ ! -e "$PKG/etc/freeradius/3.0/mods-enabled" ] \
	&& [ ! -e "$PKG/etc/freeradius/3.0/dictionary" ]; then
	ok "DESTDIR + PREFIX=/usr/local into an empty root: CLI in /usr/local/bin, nothing enabled"
else
	not_ok "DESTDIR + PREFIX into an empty root" "see $WORK/pkg.out"
fi
make -C "$TOP" --no-print-directory BUILD="$BUILD" DESTDIR="$PKG" PREFIX=/usr/local uninstall >>"$WORK/pkg.out" 2>&1
left=$(find "$PKG" ! -type d)
if [ -z "$left" ]; then ok "uninstall from it leaves no file"; else not_ok "uninstall from the packaging root" "left: $left"; fi
SHOW=

printf 'install: %d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" -eq 0 ]
