#!/usr/bin/env bash
#
# tests/report/picture.sh BUILD_DIR OUT.png
#
# The README's picture: the HTML rollover report of a demo ledger (tests/report/ledger.py demo,
# anchors generated here), as headless Chromium renders it.  The dates are fixed; the anchors,
# and so the fingerprints shown, are new each time (no private key is ever committed).
#
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 BUILD_DIR OUT.png" >&2; exit 2; }
BUILD=$(cd "$1" && pwd -P)
OUT=$2
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
T=$(mktemp -d "${TMPDIR:-/tmp}/phonecert-picture.XXXXXX")
trap 'rm -rf "$T"' EXIT

AT_ISO=2027-01-15T09:00:00Z
AT=$(date -u -d "$AT_ISO" +%s)
for name in capf-old capf-new cisco-mfg capf-regen; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/$name.key" \
		-out "$T/$name.pem" -days 3650 -subj "/CN=$name" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
done
fp() { openssl x509 -in "$T/$1.pem" -outform DER | sha256sum | cut -c1-64; }
printf '[policy]\nmac_binding = off\n\n[anchor capf-old]\nrole = lsc\nfile = capf-old.pem\nstate = retiring\n'`
	`'trust_until = 2027-01-31T00:00:00Z\n\n[anchor capf-new]\nrole = lsc\nfile = capf-new.pem\n\n'`
	`'[anchor cisco-mfg]\nrole = mic\nfile = cisco-mfg.pem\n' >"$T/phonecert.conf"
"$SRC/tests/report/sqlite-ledger.sh" "$T/ledger.db"
python3 "$SRC/tests/report/ledger.py" demo "$AT" "$(fp capf-old)" "$(fp capf-new)" "$(fp cisco-mfg)" \
	"$(fp capf-regen)" | sqlite3 "$T/ledger.db"

status=0
"$BUILD/phonecert" rollover --db "$T/ledger.db" --config "$T/phonecert.conf" --at "$AT_ISO" \
	--html "$T/report.html" || status=$?
[ "$status" -le 1 ] || exit 1
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$T/chromium" \
	--window-size=1250,1300 --screenshot="$T/shot.png" "file://$T/report.html" >/dev/null 2>&1
cp "$T/shot.png" "$OUT"
echo "wrote $OUT"
