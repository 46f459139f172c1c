#!/bin/sh
# The image's smoke test, run inside its build (Dockerfile, smoke stage), where containers
# cannot be started: the installed radiusd, module and configuration, run the way the container
# runs them (as freerad, logging to stdout), from a copy of the image's raddb that plays the
# admin's volumes (a CAPF upload, the server's certificate) and listens on 127.0.0.1 high
# ports (a build may share the host's network).  eapol_test plays the phones.  Any failure
# fails the build; success leaves a receipt that the final image carries.
#
# usage: docker/smoke.sh SRC PKI RECEIPT
set -u
src=${1:?usage: smoke.sh SRC PKI RECEIPT} pki=${2:?} receipt=${3:?}
work=$(mktemp -d /tmp/smoke.XXXXXX)
chmod 0755 "$work"
raddb=$work/raddb
out=$work/radiusd.out
pass=0 fail=0
pid=

ok() { pass=$((pass + 1)); echo "ok   $1"; }
not_ok() { fail=$((fail + 1)); echo "FAIL $1"; }
stop() {
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}
trap stop EXIT

# A UDP port and the next one, both free (no ss in the image: /proc/net/udp lists them in hex).
port_free() {
	! awk 'NR > 1 { print $2 }' /proc/net/udp /proc/net/udp6 2>/dev/null | grep -qi ":$(printf '%04X' "$1")\$"
}
pick_port() {
	p=$1
	while ! port_free "$p" || ! port_free $((p + 1)); do p=$((p + 2)); done
	echo "$p"
}
as_freerad() { setpriv --reuid=freerad --regid=freerad --init-groups "$@"; }

cp -a /etc/freeradius/3.0 "$raddb"
# The admin's volumes: phonecert/ with a CAPF upload, certs/ with the server's certificate.
install -m 0640 -o root -g freerad "$pki/capf-a.crt" "$raddb/phonecert/capf/CAPF-a6d4c572.pem"
printf '\n[anchor capf-cluster1]\nrole = lsc\nfile = capf/CAPF-a6d4c572.pem\n' >>"$raddb/phonecert/phonecert.conf"
install -m 0640 -o root -g freerad "$pki/server.crt" "$raddb/certs/server.pem"
install -m 0640 -o root -g freerad "$pki/server.key" "$raddb/certs/server.key"

auth=$(pick_port 19440)
status=$(pick_port $((auth + 2)))
sed -i "s|^raddbdir = .*|raddbdir = $raddb|" "$raddb/radiusd.conf"
awk -v auth="$auth" -v acct=$((auth + 1)) -f "$src/tests/install/relisten.awk" "$raddb/sites-available/default" >"$work/default" &&
	cat "$work/default" >"$raddb/sites-available/default"
awk -v status="$status" -f "$src/tests/install/relisten.awk" "$raddb/sites-available/status" >"$work/status" &&
	cat "$work/status" >"$raddb/sites-available/status"

if as_freerad phonecert anchors --config "$raddb/phonecert/phonecert.conf" >"$work/anchors.out" 2>&1; then
	ok "phonecert anchors (the CLI) accepts the upload"
else
	not_ok "phonecert anchors"; cat "$work/anchors.out"
fi
if as_freerad freeradius -XC -d "$raddb" >"$work/xc.out" 2>&1; then
	ok "radiusd -XC as freerad"
else
	not_ok "radiusd -XC"; tail -n 20 "$work/xc.out"
fi

# Not through as_freerad: a backgrounded function is a subshell, and $! would name the subshell,
# not radiusd (setpriv execs it, so here $! is radiusd itself).  With chroot isolation the
# build shares the host's processes: a radiusd left behind would outlive the build.
setpriv --reuid=freerad --regid=freerad --init-groups freeradius -f -l stdout -d "$raddb" >"$out" 2>&1 &
pid=$!
ready=no
for _ in $(seq 1 100); do
	kill -0 "$pid" 2>/dev/null || break
	grep -q 'Ready to process requests' "$out" && { ready=yes; break; }
	sleep 0.1
done
if [ "$ready" = yes ]; then ok "radiusd -f -l stdout as freerad: ready"; else not_ok "radiusd did not start"; fi

if phonecert-healthcheck "$status"; then ok "HEALTHCHECK: Status-Server answered"; else not_ok "HEALTHCHECK: no answer to Status-Server"; fi

# phone NAME MAC: one EAP-TLS authentication; eapol_test's exit status.
phone() {
	cat >"$work/$1.conf" <<EOF
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="$1"
	ca_cert="$pki/server-ca.crt"
	client_cert="$pki/$1.chain.pem"
	private_key="$pki/$1.key"
	eapol_flags=0
}
EOF
	timeout 30 eapol_test -c "$work/$1.conf" -a 127.0.0.1 -p "$auth" -s testing123 -M "$2" -t 10 >"$work/$1.out" 2>&1
}
# Cisco-AVPair (vendor 9, attribute 1) "device-traffic-class=voice", as eapol_test dumps it.
avpair="00000009011c$(printf 'device-traffic-class=voice' | od -An -tx1 | tr -d ' \n')"
if phone lsc-a b0:00:b4:ba:0a:ee && grep -q "Value: $avpair\$" "$work/lsc-a.out"; then
	ok "EAP-TLS, LSC of the uploaded CAPF: Access-Accept with device-traffic-class=voice"
else
	not_ok "EAP-TLS LSC accept"; grep -E 'SUCCESS|FAILURE|Access-' "$work/lsc-a.out" | tail -n 3
fi
if ! phone lsc-c 00:11:22:33:44:c0 && grep -q 'reason=capf-not-uploaded' "$out"; then
	ok "EAP-TLS, LSC of a CAPF not uploaded: refused, diagnosed on stdout"
else
	not_ok "EAP-TLS refusal of an unknown CAPF"
fi
stop
if phonecert-healthcheck "$status"; then not_ok "HEALTHCHECK still healthy with radiusd stopped"; else ok "HEALTHCHECK fails once radiusd has stopped"; fi

if [ "$fail" -ne 0 ]; then
	echo "--- radiusd (tail)"
	tail -n 30 "$out"
fi
echo "smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
{
	echo "rlm_phonecert image smoke test: $pass passed, 0 failed"
	echo "freeradius $(dpkg-query -W -f='${Version}' freeradius)"
	date -u +%Y-%m-%dT%H:%M:%SZ
} >"$receipt"
rm -rf "$work"
