#!/bin/sh
# The image's HEALTHCHECK: a real RADIUS Status-Server to radiusd's status listener (Debian's
# sites-available/status, enabled in the image: 127.0.0.1:18121, its own client and secret).
# Healthy only if radiusd itself answers, which neither a process nor a port check can tell.
#
# usage: phonecert-healthcheck [PORT]
port=${1:-${PHONECERT_STATUS_PORT:-18121}}
secret=${PHONECERT_STATUS_SECRET:-adminsecret}
echo 'Message-Authenticator = 0x00' |
	radclient -q -r 1 -t 3 "127.0.0.1:$port" status "$secret" >/dev/null 2>&1
