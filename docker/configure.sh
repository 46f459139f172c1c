#!/bin/sh
# Runs once, inside the image build (Dockerfile, runtime stage), as root, with the build stage's
# source tree mounted read-only at SRC.  Installs the module, the CLI and the raddb files into
# the image's own Debian FreeRADIUS with the very script `make install` runs (mk/install.sh),
# then makes the choices an admin of a phones-only server makes.
#
# usage: docker/configure.sh SRC
set -eu
src=${1:?usage: configure.sh SRC}
raddb=/etc/freeradius/3.0
store=/var/lib/phonecert/ca.d

# This server is for phones: our eap module (EAP-TLS against the uploaded anchors only)
# instead of Debian's (PEAP/TTLS/TLS with every public CA), and no inner-tunnel server, which
# only PEAP/TTLS use (it would also listen on 127.0.0.1:18120).
ln -sfn ../mods-available/eap-phonecert "$raddb/mods-enabled/eap"
rm -f "$raddb/sites-enabled/inner-tunnel"

SRC=$src PREFIX=/usr FR_MODDIR=/usr/lib/freeradius FR_RADDB=$raddb FR_LOGDIR=/var/log/freeradius \
	MODULE=$src/build/rlm_phonecert.so CLI=$src/build/phonecert PHONECERT_ENABLE=auto \
	"$src/mk/install.sh" install
test -L "$raddb/mods-enabled/phonecert" && test -L "$raddb/sites-enabled/check-eap-tls-phonecert"

# phonecert/ (policy and uploaded anchors) is mounted read-only from the host, so the directory
# the module writes for OpenSSL lives outside it, owned by the user radiusd runs as.
install -d -o freerad -g freerad -m 0750 "$store"
rmdir "$raddb/phonecert/ca.d"
sed -i "s|^\([[:space:]]*ca_path[[:space:]]*=[[:space:]]*\)\${confdir}/phonecert/ca\.d\$|\1$store|" \
	"$raddb/mods-available/phonecert" "$raddb/mods-available/eap-phonecert"
grep -q "ca_path = $store\$" "$raddb/mods-available/phonecert"
grep -q "ca_path = $store\$" "$raddb/mods-available/eap-phonecert"

# The outer server (Debian's default site): refuse an EAP-TLS accept that phonecert did not
# decide, and explain refused handshakes (README, "Installing into an existing FreeRADIUS").
site=$raddb/sites-available/default
sed -i -e 's/^post-auth {$/&\n\tphonecert_require_decision/' \
	-e 's/^\tPost-Auth-Type REJECT {$/&\n\t\tphonecert/' "$site"
[ "$(grep -cE '^[[:space:]]+phonecert(_require_decision)?$' "$site")" -eq 2 ]

# Status-Server on 127.0.0.1:18121 (Debian's status site) for the HEALTHCHECK.
ln -s ../sites-available/status "$raddb/sites-enabled/status"
install -m 0755 "$src/docker/healthcheck.sh" /usr/local/bin/phonecert-healthcheck
