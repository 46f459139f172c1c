#!/usr/bin/env bash
# The Debian package on a stock Debian 12, in a chroot: apt installs the .deb (and FreeRADIUS
# with it), phonecert is enabled exactly as the README says, `freeradius -XC` passes, and a
# radiusd started in the chroot admits an eapol_test phone; a CAPF uploaded later is reloaded
# with radmin.  Then apt is offered bookworm-backports' FreeRADIUS (another release, which
# would refuse the module): what apt does is printed, and whatever it does, radiusd must still
# start afterwards.
#
# The chroot: `debootstrap --variant=minbase bookworm`, made once and kept as a tarball under
# BUILD/deb-test/ (with apt's downloaded packages beside it), unpacked afresh for every run.
# /proc, /sys and /dev are mounted into it and always unmounted on exit.  No service starts in
# it (policy-rc.d); its radiusd listens on 127.0.0.1 high ports that are free, so it runs beside
# a FreeRADIUS on this machine without touching it.  The phone (eapol_test) and the test PKI
# (tests/pki/gen.sh) are this machine's.  Runs as root.
#
# usage: tests/deb/run.sh BUILD_DIR       (make test-deb: builds the package first)
# environment: DEB_MIRROR (http://deb.debian.org/debian), DEB_SECURITY_MIRROR

# Single quotes on purpose: dpkg-query formats, and conditions that check_ok evaluates.
# shellcheck disable=SC2016
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR}
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"

MIRROR=${DEB_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CACHE=$BUILD/deb-test
BASE=$CACHE/bookworm-minbase.tar
ARCHIVES=$CACHE/archives
ROOT=$CACHE/root
WORK=$CACHE/work
RADDB=/etc/freeradius/3.0
PASS=0
FAIL=0
T0=$(date +%s)

ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$1"; }
not_ok() {
	FAIL=$((FAIL + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	if [ -n "${SHOW:-}" ] && [ -f "$SHOW" ]; then printf '  --- %s (tail)\n' "$SHOW"; tail -n 20 "$SHOW" | sed 's/^/  | /'; fi
	SHOW=''
}
phase() { printf -- '--- %s (%ds)\n' "$1" $(($(date +%s) - T0)); }
# in_root CMD...: CMD in the chroot, with a clean environment.
in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

if [ "$(id -u)" -ne 0 ]; then echo "deb-test: must run as root (chroot, mounts)" >&2; exit 1; fi
DEB=
for f in "$BUILD"/deb/freeradius-phonecert_*.deb; do case $f in *-dbgsym_*) ;; *) [ -f "$f" ] && DEB=$f ;; esac; done
for need in "$DEB" "$EAPOL_TEST" "$PKI/lsc-a.crt" "$PKI/capf-b.crt"; do
	if [ -z "$need" ] || [ ! -e "$need" ]; then echo "deb-test: missing ${need:-the .deb} (make deb pki)" >&2; exit 1; fi
done
command -v debootstrap >/dev/null || {
	echo "deb-test: installing debootstrap"; apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }

# ---------------------------------------------------------------- mounts, always undone
umount_under() { # every mount point under $1, deepest first
	findmnt -rn -o TARGET | awk -v p="$1/" 'index($0, p) == 1' | sort -r | while IFS= read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}
RADIUSD_PID=
cleanup() {
	stop_radiusd
	umount_under "$(cd "$CACHE" 2>/dev/null && pwd -P || echo "$CACHE")"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$CACHE" "$ARCHIVES/partial"
CACHE=$(cd "$CACHE" && pwd -P) ROOT=$CACHE/root WORK=$CACHE/work BASE=$CACHE/bookworm-minbase.tar ARCHIVES=$CACHE/archives
umount_under "$CACHE"	# a run killed before its trap ran

# ---------------------------------------------------------------- the stock Debian 12
phase "chroot"
if [ ! -f "$BASE" ]; then
	echo "debootstrap --variant=minbase bookworm ($MIRROR), kept as ${BASE#"$TOP"/}"
	rm -rf --one-file-system "$CACHE/base"
	if ! debootstrap --variant=minbase bookworm "$CACHE/base" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
		tail -n 20 "$CACHE/debootstrap.log" >&2
		umount_under "$CACHE"
		echo "deb-test: debootstrap failed" >&2; exit 1
	fi
	umount_under "$CACHE"
	tar -C "$CACHE/base" -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
	rm -rf --one-file-system "$CACHE/base"
	printf 'made the chroot in %ds\n' $(($(date +%s) - T0))
fi
rm -rf --one-file-system "$ROOT" "$WORK"
mkdir -p "$ROOT" "$WORK"
tar -C "$ROOT" -xf "$BASE"
mount -t proc proc "$ROOT/proc"
mount -t sysfs sysfs "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
mount --bind "$ARCHIVES" "$ROOT/var/cache/apt/archives"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
printf '#!/bin/sh\n# deb-test: no service starts in this chroot\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
rm -f "$ROOT/etc/apt/sources.list"
cat >"$ROOT/etc/apt/sources.list.d/debian.sources" <<EOS
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
# Keep what apt downloads (the archives directory is shared between runs).
echo 'Binary::apt::APT::Keep-Downloaded-Packages "true"; APT::Keep-Downloaded-Packages "true";' \
	>"$ROOT/etc/apt/apt.conf.d/90deb-test-keep"

# ---------------------------------------------------------------- apt installs the package
phase "apt install ./$(basename "$DEB")"
cp "$DEB" "$ROOT/tmp/"
SHOW=$WORK/apt-update.log
in_root apt-get update >"$WORK/apt-update.log" 2>&1 || not_ok "apt-get update" "in the chroot"
SHOW=$WORK/apt-install.log
if in_root apt-get install -y "/tmp/$(basename "$DEB")" >"$WORK/apt-install.log" 2>&1; then
	ok "apt installs the package and FreeRADIUS with it ($(grep -Eo '^[0-9]+ upgraded, [0-9]+ newly installed' "$WORK/apt-install.log"))"
else
	not_ok "apt installs the package" "apt-get install failed"
	exit 1
fi
SHOW=''
FR_BEFORE=$(in_root dpkg-query -W -f='${Version}' freeradius)
echo "  freeradius $FR_BEFORE; freeradius-phonecert depends on: $(in_root dpkg-query -W -f='${Depends}' freeradius-phonecert)"
check_ok() { if eval "$2"; then ok "$1"; else not_ok "$1" "not true: $2"; fi; }
check_ok "postinst enables nothing and says what to do" '[ ! -e "$ROOT$RADDB/mods-enabled/phonecert" ] && grep -q "NOT enabled" "$WORK/apt-install.log"'
check_ok "ca.d freerad:freerad 750, conffiles registered" '[ "$(in_root stat -c "%a %U:%G" "$RADDB/phonecert/ca.d")" = "750 freerad:freerad" ] &&
	in_root dpkg-query -W -f="\${Conffiles}\n" freeradius-phonecert | grep -q "$RADDB/phonecert/phonecert.conf"'
SHOW=$WORK/xc0.out
if in_root freeradius -XC >"$WORK/xc0.out" 2>&1; then ok "stock FreeRADIUS still starts with the package installed (freeradius -XC)"; else not_ok "freeradius -XC after install" "refused"; fi

# ---------------------------------------------------------------- the README, literally
# The test's own liberties, first: its radiusd listens on 127.0.0.1 high ports, and the CAPF
# certificate to upload comes from the test PKI.
AUTH_PORT=$(pick_port 19600)
INNER_PORT=$(pick_port $((AUTH_PORT + 2)))
for site in default:"-v auth=$AUTH_PORT -v acct=$((AUTH_PORT + 1))" inner-tunnel:"-v auth=$INNER_PORT"; do
	f=$ROOT$RADDB/sites-available/${site%%:*}
	# shellcheck disable=SC2086 # awk options, two words each
	awk ${site#*:} -f "$TOP/tests/install/relisten.awk" "$f" >"$f.new" && cat "$f.new" >"$f" && rm -f "$f.new"
done
cp "$PKI/capf-a.crt" "$ROOT/root/CAPF-a6d4c572.pem"

phase "enable phonecert as the README says"
# README, "Installing into an existing FreeRADIUS": the commands of its "Then, as root" block,
# as they are, with the package's step 5.  Two changes: the CAPF file's path, and the restart,
# which is the test's own (no systemd in the chroot: radiusd is started by hand below).
awk '/^Then, as root:/ { f = 1; next } f && /^```sh$/ { p = 1; next } p && /^```$/ { exit } p' "$TOP/README.md" >"$WORK/readme.sh"
for want in 'ln -sfn ../mods-available/eap-phonecert mods-enabled/eap' 'openssl req' 'phonecert_require_decision' \
	'ln -s ../mods-available/phonecert mods-enabled/phonecert' 'mode = rw' 'freeradius -XC && systemctl restart freeradius'; do
	grep -qF -- "$want" "$WORK/readme.sh" || not_ok "the README's install block" "no longer has: $want"
done
{ echo 'set -ex'
  sed -e 's|/path/to/CAPF-a6d4c572.pem|/root/CAPF-a6d4c572.pem|' \
	-e 's|^freeradius -XC && systemctl restart freeradius$|freeradius -XC|' "$WORK/readme.sh"; } >"$ROOT/root/readme-steps.sh"
SHOW=$WORK/readme.out
if in_root sh /root/readme-steps.sh >"$WORK/readme.out" 2>&1 && grep -q 'Configuration appears to be OK' "$WORK/readme.out"; then
	ok "the README's steps, then freeradius -XC: Configuration appears to be OK"
else
	not_ok "the README's steps and freeradius -XC" "failed"
fi
cp "$ROOT$RADDB/certs/server.pem" "$WORK/server.pem"

# start_in_root NAME: radiusd in the chroot (root, dropping to freerad as Debian's radiusd.conf
# says), in the foreground mode, in the background, logging to WORK/NAME.out.
start_in_root() {
	local out=$WORK/$1.out
	# Debian's service has systemd create /run/freeradius; started by hand, it is made here.
	in_root install -d -o freerad -g freerad -m 0775 /run/freeradius
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
		/usr/sbin/freeradius -f -l stdout >"$out" 2>&1 &
	RADIUSD_PID=$!
	for _ in $(seq 1 100); do
		kill -0 "$RADIUSD_PID" 2>/dev/null || { wait "$RADIUSD_PID"; RADIUSD_PID=; return 1; }
		grep -q 'Ready to process requests' "$out" && return 0
		sleep 0.1
	done
	return 1
}

# phone NAME PHONE MAC: eapol_test (this machine's) against the chroot's radiusd, trusting the
# server certificate made by the README's command.
avpair="00000009011c$(printf 'device-traffic-class=voice' | od -An -tx1 | tr -d ' \n')"
phone() {
	local out=$WORK/$1.eapol
	cat >"$out.conf" <<EOC
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="$2"
	ca_cert="$WORK/server.pem"
	client_cert="$PKI/$2.chain.pem"
	private_key="$PKI/$2.key"
	eapol_flags=0
}
EOC
	timeout 30 "$EAPOL_TEST" -c "$out.conf" -a 127.0.0.1 -p "$AUTH_PORT" -s testing123 -M "$3" -t 10 >"$out" 2>&1
}
admitted() { grep -q 'Access-Accept' "$WORK/$1.eapol" && grep -q "Value: $avpair\$" "$WORK/$1.eapol"; }

phase "radiusd in the chroot, a phone"
SHOW=$WORK/radiusd1.out
if start_in_root radiusd1; then
	STARTED=$(date +%s)
	ok "radiusd starts in the chroot (127.0.0.1:$AUTH_PORT)"
	SHOW=$WORK/radiusd1.out
	if phone lsc-a lsc-a b0:00:b4:ba:0a:ee && admitted lsc-a; then
		ok "an LSC phone is admitted: Access-Accept with Cisco-AVPair device-traffic-class=voice"
	else
		not_ok "LSC phone admitted" "eapol_test: $(grep -m1 -E 'SUCCESS|FAILURE' "$WORK/lsc-a.eapol")"
	fi
	# README, "Uploading certificates": another CAPF, reloaded with radmin (after the 2 s in
	# which FreeRADIUS ignores a module reload).
	cp "$PKI/capf-b.crt" "$ROOT$RADDB/phonecert/capf/CAPF-a7fb32bf.pem"
	printf '\n[anchor capf-b]\nrole = lsc\nfile = capf/CAPF-a7fb32bf.pem\n' >>"$ROOT$RADDB/phonecert/phonecert.conf"
	while [ $(($(date +%s) - STARTED)) -lt 3 ]; do sleep 0.2; done
	SHOW=$WORK/radmin.out
	if in_root radmin -e "hup phonecert" >"$WORK/radmin.out" 2>&1 &&
		in_root phonecert status --config "$RADDB/phonecert/phonecert.conf" >>"$WORK/radmin.out" 2>&1; then
		ok "radmin -e \"hup phonecert\" reloads it (phonecert status: in force)"
	else
		not_ok "radmin hup + phonecert status" "failed"
	fi
	SHOW=$WORK/radiusd1.out
	if phone lsc-b lsc-b b0:00:b4:ba:0a:ef && admitted lsc-b; then ok "a phone of the CAPF uploaded and reloaded is admitted"
	else not_ok "phone of the reloaded CAPF" "eapol_test: $(grep -m1 -E 'SUCCESS|FAILURE' "$WORK/lsc-b.eapol")"; fi
else
	not_ok "radiusd starts in the chroot" "it did not report ready"
fi
stop_radiusd
SHOW=''

# ---------------------------------------------------------------- apt is offered FreeRADIUS 3.2.7
phase "bookworm-backports offers another FreeRADIUS"
cat >"$ROOT/etc/apt/sources.list.d/backports.sources" <<EOS
Types: deb
URIs: $MIRROR
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
in_root apt-get update >"$WORK/apt-update2.log" 2>&1 || not_ok "apt-get update (backports)" "failed"
echo "  candidate in bookworm-backports: freeradius $(in_root apt-cache policy freeradius | awk '/bookworm-backports/ { print prev } { prev = $1 }' | head -n 1)"
summary() { # what apt says it does: removals, upgrades, held back, unmet dependencies, errors
	awk '/^The following/ { keep = ($0 ~ /REMOVED|upgraded|kept back|NEW|unmet/) }
		/^The following/ && keep { print; next }
		/^  / && keep { print; next }
		/^[^ ]/ { keep = 0 }
		/^ [a-z0-9.+-]+ : / || /^(Remv|Inst freeradius|E:|W:|[0-9]+ upgraded|freeradius-phonecert:)/ { print }
		/^Installing new version of config file/ { conf++ }
		END { if (conf) print "(dpkg: " conf " unchanged conffiles of FreeRADIUS replaced by the new release'"'"'s; the edited ones kept)" }' "$1" |
		sed 's/^/  | /'
}
echo "  \$ apt-get -s upgrade -t bookworm-backports"
in_root apt-get -s upgrade -t bookworm-backports >"$WORK/apt-s-upgrade.log" 2>&1
summary "$WORK/apt-s-upgrade.log"
check_ok "apt upgrade holds freeradius back (kept back: it would break freeradius-phonecert)" \
	'grep -A3 "kept back" "$WORK/apt-s-upgrade.log" | grep -qw freeradius && ! grep -q "^Inst freeradius " "$WORK/apt-s-upgrade.log"'
echo "  \$ apt-get -s install -t bookworm-backports freeradius"
in_root apt-get -s install -t bookworm-backports freeradius >"$WORK/apt-s-install.log" 2>&1
summary "$WORK/apt-s-install.log"
echo "  \$ apt-get install -y -t bookworm-backports freeradius      (the real attempt; the admin's conffiles kept)"
in_root apt-get install -y -t bookworm-backports -o Dpkg::Options::=--force-confold freeradius >"$WORK/apt-install2.log" 2>&1
echo "  apt-get exit status $?"
summary "$WORK/apt-install2.log"
FR_AFTER=$(in_root dpkg-query -W -f='${Version}' freeradius)
PC_STATE=$(in_root dpkg-query -W -f='${db:Status-Abbrev}' freeradius-phonecert 2>/dev/null | tr -d ' ')
echo "  now: freeradius $FR_AFTER ($(in_root freeradius -v | sed -n '1s/.*FreeRADIUS Version \([^,]*\),.*/\1/p')), freeradius-phonecert ${PC_STATE:-not installed} (dpkg)"

SHOW=$WORK/xc2.out
if in_root freeradius -XC >"$WORK/xc2.out" 2>&1 && grep -q 'Configuration appears to be OK' "$WORK/xc2.out"; then
	ok "after apt's change radiusd's configuration loads (freeradius -XC)"
else
	not_ok "freeradius -XC after the upgrade attempt" "radiusd would not start"
fi
SHOW=$WORK/radiusd2.out
if start_in_root radiusd2; then
	ok "radiusd starts after apt's change"
	phone lsc-a2 lsc-a b0:00:b4:ba:0a:ee
	if [ "$FR_AFTER" = "$FR_BEFORE" ]; then
		if admitted lsc-a2; then ok "FreeRADIUS kept at $FR_BEFORE: the phone is still admitted"
		else not_ok "phone after a held-back upgrade" "refused"; fi
	elif [ "$PC_STATE" = ii ]; then
		not_ok "apt upgraded FreeRADIUS to $FR_AFTER" "while freeradius-phonecert (built for $FR_BEFORE) stayed installed"
	elif grep -q 'Access-Reject' "$WORK/lsc-a2.eapol" && ! admitted lsc-a2; then
		ok "phonecert removed by apt before the upgrade: phones refused (fail closed) until a package built for ${FR_AFTER%%+*} is installed"
	else
		not_ok "phone after phonecert's removal" "not refused: $(grep -m1 -E 'SUCCESS|FAILURE' "$WORK/lsc-a2.eapol")"
	fi
else
	not_ok "radiusd starts after apt's change" "it did not (radiusd left unable to start)"
fi
stop_radiusd
SHOW=''
if [ "$FR_AFTER" != "$FR_BEFORE" ]; then
	echo "  \$ apt-get -s install ./$(basename "$DEB")      (the package built for $FR_BEFORE, offered again)"
	in_root apt-get -s install "/tmp/$(basename "$DEB")" >"$WORK/apt-s-reinstall.log" 2>&1
	summary "$WORK/apt-s-reinstall.log"
fi

phase "done"
printf 'deb: %d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" -eq 0 ]
