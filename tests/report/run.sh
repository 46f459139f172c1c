#!/usr/bin/env bash
#
# tests/report/run.sh BUILD_DIR
#
# Tests of "phonecert rollover" and "phonecert phones" (and of the ledger reader under them)
# against ledgers built at test time: raddb/mods-config/sql/phonecert/*/schema.sql plus the
# writer's upserts (one per decision) from tests/report/ledger.py, with anchors generated here by
# openssl (their fingerprints are the ledger's keys).  The same ledger is loaded into SQLite
# and into a PostgreSQL server of the test's own (tests/lib/postgres.sh): both must give the
# same JSON.  The HTML report is rendered by headless Chromium and its DOM checked.
#
# Every case is one line:  t NAME EXPECTED_EXIT [CHECK]... -- COMMAND...
#   out=ERE / !out=ERE   stdout has (has no) a line matching ERE
#   err=ERE / !err=ERE   stderr has (has no) a line matching ERE
#   err1                 stderr is exactly one line
#   py=EXPR              python3 EXPR is true, d = the JSON document on stdout
#   clean                stdout holds no raw control byte but newline
#
# Prints one line per case, then "report: N passed, M failed"; exits 1 if M > 0.
#
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd -P) || exit 2
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
PC=$BUILD/phonecert
[ -x "$PC" ] || { echo "$0: $PC is not built (make cli)" >&2; exit 2; }
for tool in python3 sqlite3 openssl chromium; do
	command -v "$tool" >/dev/null || { echo "$0: $tool is needed (scripts/deps.sh)" >&2; exit 2; }
done
# shellcheck source=tests/lib/postgres.sh
. "$SRC/tests/lib/postgres.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/phonecert-report.XXXXXX") || exit 2
chmod 755 "$T"
cleanup() {
	pg_stop
	rm -rf "$T"
}
trap cleanup EXIT

pass=0
fail=0

# shellcheck source=tests/lib/check.sh
. "$SRC/tests/lib/check.sh"

# ok NAME CONDITION-COMMAND...: a check that is not a phonecert run.
ok() {
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name: $*"
	fi
}

# ---------------------------------------------------------------- fixtures
DAY=86400
AT_ISO=2026-06-30T12:00:00Z
AT=$(date -u -d "$AT_ISO" +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# The anchors: three of the configuration, and a regenerated CAPF that only the ledger knows.
for name in capf-old capf-new cisco-mfg capf-regen; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/$name.key" \
		-out "$T/$name.pem" -days 3650 -subj "/CN=$name" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || { echo "$0: openssl failed" >&2; exit 2; }
done
fp() { openssl x509 -in "$T/$1.pem" -outform DER | sha256sum | cut -c1-64; }
FP_OLD=$(fp capf-old)
FP_NEW=$(fp capf-new)
FP_MIC=$(fp cisco-mfg)
FP_REGEN=$(fp capf-regen)

# config FILE TRUST_UNTIL: capf-old retiring until then, capf-new active, cisco-mfg (MIC) active.
config() {
	printf '[policy]\nmac_binding = off\n\n[anchor capf-old]\nrole = lsc\nfile = capf-old.pem\nstate = retiring\n'`
		`'trust_until = %s\n\n[anchor capf-new]\nrole = lsc\nfile = capf-new.pem\n\n'`
		`'[anchor cisco-mfg]\nrole = mic\nfile = cisco-mfg.pem\n' "$2" >"$1"
}
config "$T/open.conf" "$(iso $((AT + 20 * DAY)))"
config "$T/closed.conf" "$(iso $((AT - DAY)))"

SCHEMA_LITE=$SRC/raddb/mods-config/sql/phonecert/sqlite/schema.sql
SCHEMA_PG=$SRC/raddb/mods-config/sql/phonecert/postgresql/schema.sql
for scenario in rollover boundary switch empty; do
	python3 "$SRC/tests/report/ledger.py" "$scenario" "$AT" "$FP_OLD" "$FP_NEW" "$FP_MIC" "$FP_REGEN" \
		>"$T/$scenario.sql" || exit 2
	"$SRC/tests/report/sqlite-ledger.sh" "$T/$scenario.db" && sqlite3 "$T/$scenario.db" <"$T/$scenario.sql" || exit 2
done
DB=$T/rollover.db
DB_SUM=$(sha256sum <"$DB")
R=("$PC" rollover --at "$AT_ISO")

# ---------------------------------------------------------------- the ledger reader
sqlite3 "$T/other.db" "CREATE TABLE accounts (id INTEGER)"
sqlite3 "$T/v2.db" <"$SCHEMA_LITE" && sqlite3 "$T/v2.db" "UPDATE phonecert_schema SET version = 2"
sqlite3 "$T/vx.db" <"$SCHEMA_LITE" && sqlite3 "$T/vx.db" "UPDATE phonecert_schema SET version = '1x'"
sqlite3 "$T/two.db" <"$SCHEMA_LITE" && sqlite3 "$T/two.db" "INSERT INTO phonecert_schema VALUES (1)"
printf 'not a database at all, just text\n' >"$T/text.db"
mkdir "$T/dir.db"
cp "$DB" "$T/a=b.db"

t "db: missing file"             2 err1 'err=nosuch\.db: no such ledger file' -- "${R[@]}" --db "$T/nosuch.db"
t "db: a directory"              2 err1 'err=no such ledger file' -- "${R[@]}" --db "$T/dir.db"
t "db: not SQLite"               2 err1 'err=not a phonecert ledger' -- "${R[@]}" --db "$T/text.db"
t "db: SQLite, not a ledger"     2 err1 'err=not a phonecert ledger .*schema\.sql' -- "${R[@]}" --db "$T/other.db"
t "db: schema version 2"         2 err1 'err=ledger schema version 2, this phonecert reads version 1' -- "${R[@]}" --db "$T/v2.db"
t "db: version not a number"     2 err1 'err=version is not a number' -- "${R[@]}" --db "$T/vx.db"
t "db: two version rows"         2 err1 'err=exactly one row' -- "${R[@]}" --db "$T/two.db"
t "db: a file name with '='"     1 'out=9 phones would be refused' -- "${R[@]}" --db "$T/a=b.db"
t "db: empty --db"               2 err1 'err=no ledger given' -- "${R[@]}" --db ""
t "db: URL password never printed"   2 err1 'err=postgresql://radius:\*\*\*@127\.0\.0\.1:1/radius: cannot connect' \
	'!err=s3cret-PW' -- "${R[@]}" --db "postgresql://radius:s3cret-PW@127.0.0.1:1/radius"
t "db: query password never printed" 2 err1 'err=password=\*\*\*' '!err=s3cret-PW' -- \
	"${R[@]}" --db "postgresql://127.0.0.1:1/radius?user=radius&password=s3cret-PW&connect_timeout=2"
t "db: keyword password never printed" 2 err1 "err=password=\*\*\*" '!err=s3cret-PW' -- \
	"${R[@]}" --db "host=127.0.0.1 port=1 password='s3 cret-PW' dbname=radius"

# ---------------------------------------------------------------- rollover: usage
t "usage: --db required"         2 err1 'err=--db DB is required' -- "$PC" rollover
t "usage: --days 0"              2 err1 "err=--days '0'" -- "${R[@]}" --db "$DB" --days 0
t "usage: --days 3651"           2 err1 "err=--days '3651'" -- "${R[@]}" --db "$DB" --days 3651
t "usage: --days 7x"             2 err1 "err=--days '7x'" -- "${R[@]}" --db "$DB" --days 7x
t "usage: --limit -1"            2 err1 "err=--limit '-1'" -- "${R[@]}" --db "$DB" --limit -1
t "usage: --json with --html"    2 err1 'err=exclude each other' -- "${R[@]}" --db "$DB" --json --html "$T/x.html"
t "usage: bad config"            2 err1 -- "${R[@]}" --db "$DB" --config "$T/nosuch.conf"
t "usage: --help"                0 'out=^Exit status: 0 no retiring anchor' -- "$PC" rollover --help
t "main: rollover in the list"   0 'out=^  rollover ' 'out=^  phones ' -- "$PC" --help

# ---------------------------------------------------------------- rollover: the scenario, text
# capf-old (retiring, 20 days left) still has 9 phones in the 30-day window: SEP00AA00000001..6,
# the <img> device, SEP00AA00000008 (refused mac-mismatch, keeps its anchor) and SEP00AA00000009
# (last seen exactly 30 days ago); SEP00AA00000010 (30 days and one second) is outside.
t "text: verdict and exit 1"     1 clean 'out=^  verdict +9 phones would be refused$' \
	'out=^  trust until +2026-07-20T12:00:00Z \(20 days left\)$' 'out=^  moved +11 phones moved' \
	'out=9 in the window \(8 admitted\), 10 in the ledger' 'out=^    SEP00AA00000009 ' '!out=SEP00AA00000010' \
	'out=^MIC-only phones that never got an LSC \(3\):' 'out=^ +2  no-client-cert \(49\)$' \
	'out=sw\\x1B\[31mred' 'out=^  note +the name .capf-old. in the ledger also belongs' \
	'out=^1 retiring anchor still has phones$' -- "${R[@]}" --db "$DB" --config "$T/open.conf"
t "text: --limit lists fewer, counts stay" 1 'out=still on it \(9\):' 'out=and 7 more \(--limit\)' \
	'out=and 9 more \(--limit\)' -- "${R[@]}" --db "$DB" --config "$T/open.conf" --limit 2

# ---------------------------------------------------------------- rollover: JSON
J=("${R[@]}" --db "$DB" --config "$T/open.conf" --json)
P0=("$PC" phones --db "$DB")
old='d["anchors"][0]'
t "json: summary"                1 'py=d["phones"] == 33 and d["no_anchor"] == 3 and d["blocking"] == 1 and d["days"] == 30' -- "${J[@]}"
t "json: anchors by fingerprint" 1 "py=[(a['name'], a['fingerprint'], a['configured']) for a in d['anchors']] == \
[('capf-old', '$FP_OLD', True), ('capf-new', '$FP_NEW', True), ('cisco-mfg', '$FP_MIC', True), ('capf-old', '$FP_REGEN', False)]" -- "${J[@]}"
t "json: per-anchor counts"      1 "py=[(a['phones'], a['accepted'], a['in_ledger']) for a in d['anchors']] == [(9, 8, 10), (16, 15, 17), (4, 4, 5), (1, 1, 1)]" -- "${J[@]}"
t "json: retiring verdict"       1 "py=$old['verdict'] == 'blocked' and $old['verdict_text'] == '9 phones would be refused' and $old['days_left'] == 20 and $old['trust_until'] == '2026-07-20T12:00:00Z'" -- "${J[@]}"
t "json: still on capf-old"      1 "py=sorted(p['device'] for p in $old['still_on']) == sorted(['SEP00AA0000000%d' % i for i in (1, 2, 3, 4, 5, 6, 8, 9)] + ['SEP<img src=x onerror=alert(1)>'])" -- "${J[@]}"
t "json: still-on details"       1 "py=[(p['mac'], p['nas_ip'], p['nas_port_id'], p['last_seen'], p['server']) for p in $old['still_on'] if p['device'] == 'SEP00AA00000003'] == [('00:aa:00:00:00:03', '10.0.1.3', 'Gi1/0/3', '2026-06-27T12:00:00Z', 'radius-a')]" -- "${J[@]}"
t "json: hostile strings intact" 1 "py=[(p['nas_port_id'], p['nas_id'], p['model']) for p in $old['still_on'] if p['device'] == 'SEP00AA00000006'] == [('Gi1/0/6\"><script>alert(1)</script>', 'sw\x1b[31mred', '<b>CP-8845</b>')]" -- "${J[@]}"
t "json: moved, with when"       1 "py=$old['moved_count'] == 11 and [(m['device'], m['to_anchor'], m['at']) for m in $old['moved']][:3] == [('SEP00BB00000001', 'capf-new', '2026-06-05T12:00:00Z'), ('SEP00BB00000002', 'capf-new', '2026-06-05T12:00:00Z'), ('SEP00BB00000003', 'capf-new', '2026-06-10T12:00:00Z')] and $old['moved'][-1]['at'] == '2026-05-16T12:00:00Z'" -- "${J[@]}"
# The chart: 31 points.  Day 0 (30 days ago): 8 on capf-old (SEP00AA00000001..6, 8, 9; the <img>
# device came 3 days ago) + 10 not yet moved = 18; on another LSC anchor: SEP00DD00000005 (capf-new
# until 8 days ago) = 1.  Day 5: the first two moved.  Last day: 9 old; 10 moved + 4 new + DD04
# (LSC since 12 days ago) + EE02 + EE03 (the regenerated CAPF) = 17.
t "json: migration per day"      1 "py=len($old['migration']) == 31 and $old['migration'][0] == {'day': '2026-05-31', 'old': 18, 'new': 1} and $old['migration'][5] == {'day': '2026-06-05', 'old': 16, 'new': 3} and $old['migration'][-1] == {'day': '2026-06-30', 'old': 9, 'new': 17}" -- "${J[@]}"
t "json: MIC-only phones"        1 "py=d['mic_only_count'] == 3 and [p['device'] for p in d['mic_only']] == ['SEP00DD00000001', 'SEP00DD00000002', 'SEP00DD00000003']" -- "${J[@]}"
t "json: refusals by reason"     1 "py=[(r['reason'], r['code'], r['count']) for r in d['refusals']] == [('no-client-cert', 49, 2), ('capf-not-uploaded', 12, 1), ('cert-expired', 40, 1), ('mac-mismatch', 30, 1)]" -- "${J[@]}"
t "json: same name, other fingerprint" 1 "py=any('$FP_REGEN'[:16] in n and 'regenerated CAPF' in n for n in d['notes']) and any('not in the configuration' in n for n in d['notes'])" -- "${J[@]}"
t "json: only retiring anchors have a verdict" 1 "py=[a['verdict'] for a in d['anchors']] == ['blocked', None, None, None]" -- "${J[@]}"
t "json: without --config, the ledger's anchors" 1 "py=sorted(a['fingerprint'] for a in d['anchors']) == sorted(['$FP_OLD', '$FP_NEW', '$FP_MIC', '$FP_REGEN']) and [a['verdict'] for a in d['anchors'] if a['fingerprint'] == '$FP_OLD'] == ['blocked'] and all(not a['configured'] for a in d['anchors']) and all(a['days_left'] is None for a in d['anchors'])" -- \
	"${R[@]}" --db "$DB" --json
t "json: without --config, a name on two fingerprints" 1 "py=sum('belongs to two fingerprints' in n for n in d['notes']) == 1" -- "${R[@]}" --db "$DB" --json
t "phones: --anchor, a fingerprint prefix is no match" 1 -- "${P0[@]}" --anchor "${FP_REGEN:0:32}"
t "phones: --anchor, a fingerprint with more after it" 1 -- "${P0[@]}" --anchor "${FP_REGEN}00"
t "json: --days 7 narrows"       1 "py=d['phones'] == 30 and $old['phones'] == 8 and $old['verdict_text'] == '8 phones would be refused'" -- "${R[@]}" --db "$DB" --config "$T/open.conf" --json --days 7

# ---------------------------------------------------------------- rollover: verdict boundaries
B=("${R[@]}" --db "$T/boundary.db" --config "$T/open.conf" --json)
t "boundary: seen exactly 30 days ago counts" 1 "py=$old['phones'] == 1 and $old['verdict'] == 'blocked' and $old['verdict_text'] == '1 phone would be refused'" -- "${B[@]}"
t "boundary: --days 29: safe to close" 0 "py=$old['phones'] == 0 and $old['verdict'] == 'safe' and $old['verdict_text'] == 'safe to close: no phone has presented this CAPF for 29 days' and d['blocking'] == 0" -- "${B[@]}" --days 29
t "boundary: one second later: safe"   0 "py=$old['verdict'] == 'safe'" -- "$PC" rollover --db "$T/boundary.db" --config "$T/open.conf" --json --at "$(iso $((AT + 1)))"
t "boundary: text says safe, exit 0"   0 'out=^  verdict +safe to close: no phone has presented this CAPF for 29 days$' -- \
	"${R[@]}" --db "$T/boundary.db" --config "$T/open.conf" --days 29
t "closed window, phones refused"      1 "py=$old['verdict'] == 'closed-refused' and $old['days_left'] == -1 and $old['verdict_text'].startswith('window closed 2026-06-29T12:00:00Z: 9 phones are refused')" -- \
	"${R[@]}" --db "$DB" --config "$T/closed.conf" --json
t "closed window, no phone: remove it" 0 "py=$old['verdict'] == 'closed' and 'remove the anchor' in $old['verdict_text']" -- \
	"${R[@]}" --db "$T/boundary.db" --config "$T/closed.conf" --json --days 29
t "no phones at all"                   0 "py=d['phones'] == 0 and $old['verdict'] == 'safe' and 'never seen in the ledger' in $old['verdict_text'] and d['mic_only'] == [] and d['refusals'] == [] and $old['migration'][-1] == {'day': '2026-06-30', 'old': 0, 'new': 0}" -- \
	"${R[@]}" --db "$T/empty.db" --config "$T/open.conf" --json
t "a switch's MIC is no MIC-only phone" 0 "py=d['mic_only_count'] == 0 and d['mic_only'] == [] and [(r['reason'], r['count']) for r in d['refusals']] == [('not-a-phone', 1)]" -- \
	"${R[@]}" --db "$T/switch.db" --config "$T/open.conf" --json
t "phones: --mac finds a MAC stored in upper case" 0 "py=[p['device'] for p in d['phones']] == ['SEP00FF00000001']" -- \
	"$PC" phones --db "$T/switch.db" --mac 00ff.0000.0001 --json
t "no phones, no config"               0 "py=d['anchors'] == [] and d['blocking'] == 0" -- "${R[@]}" --db "$T/empty.db" --json

# ---------------------------------------------------------------- rollover: HTML in Chromium
HTML=$T/report.html
t "html: written, exit 1"        1 -- "${R[@]}" --db "$DB" --config "$T/open.conf" --html "$HTML"
ok "html: no http(s) URL, no script, no external resource" \
	bash -c "! grep -Eiq 'https?://|<script|<img|<link|@import|src=\"' '$HTML'"
ok "html: hostile strings escaped" grep -q 'Gi1/0/6&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' "$HTML"
ok "html: terminal escape shown inert" grep -q 'sw\\x1B\[31mred' "$HTML"
t "html: unwritable file"        2 err1 'err=cannot write the HTML report' -- "${R[@]}" --db "$DB" --html "$T/nodir/r.html"
render() {  # render HTML OUT: the DOM after Chromium loaded the page
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$T/chromium" \
		--dump-dom "file://$1" >"$2" 2>"$T/chromium.log"
}
if render "$HTML" "$T/dom.html"; then
	DOM_CHECK='
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
def text(id):
    m = re.search(r"id=\"%s\"[^>]*>([^<]*)<" % re.escape(id), dom)
    return m.group(1) if m else None
checks = {"phones": "33", "no-anchor": "3", "blocking": "1", "anchor-0-phones": "9", "anchor-1-phones": "16",
          "anchor-0-on": "9", "anchor-0-moved": "11", "anchor-0-days-left": "20", "mic-only": "3",
          "anchor-0-verdict": "9 phones would be refused"}
bad = ["%s=%r (expected %r)" % (k, text(k), v) for k, v in checks.items() if text(k) != v]
if "<script" in dom or "<img" in dom: bad.append("a script or img element in the DOM")
if "<svg id=\"chart-0\"" not in dom or dom.count("<polyline") != 2: bad.append("no chart with two lines")
rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td class=\"n\">(\d+)</td><td class=\"n\">(\d+)</td></tr>", dom)
if len(rows) != 31 or rows[0] != ("2026-05-31", "18", "1") or rows[-1] != ("2026-06-30", "9", "17"):
    bad.append("per-day table %r...%r" % (rows[:1], rows[-1:]))
if bad: print("     " + "; ".join(bad))
sys.exit(1 if bad else 0)'
	ok "html: Chromium DOM shows the counts, chart and no script" python3 -c "$DOM_CHECK" "$T/dom.html"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$T/chromium" \
		--window-size=1200,1600 --screenshot="$T/shot.png" "file://$HTML" >/dev/null 2>&1
	ok "html: Chromium screenshot is a PNG" bash -c "[ \"\$(head -c 8 '$T/shot.png' | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ]"
else
	fail=$((fail + 1))
	echo "FAIL html: chromium could not render the page:"
	tail -n 5 "$T/chromium.log"
fi

# ---------------------------------------------------------------- phones
P=("$PC" phones --db "$DB")
t "phones: usage, one filter"    2 err1 'err=give one of' -- "${P[@]}" --device a --mac 001122334455
t "phones: bad MAC"              2 err1 "err=--mac '00:11'" -- "${P[@]}" --mac 00:11
t "phones: unknown reason"       2 err1 "err=--reason 'bogus'" -- "${P[@]}" --reason bogus
t "phones: all devices"          0 "py=len(d['phones']) == 36 and d['phones'][0]['device'] == 'SEP00AA00000001'" -- "${P[@]}" --json
t "phones: --device, history"    0 "py=len(d['phones']) == 1 and [(h['old_anchor'], h['new_anchor'], h['at']) for h in d['phones'][0]['history']] == [('', 'capf-old', '2026-05-01T12:00:00Z'), ('capf-old', 'capf-new', '2026-06-05T12:00:00Z')] and d['phones'][0]['count'] == 3" -- \
	"${P[@]}" --device SEP00BB00000001 --json
t "phones: --device text block"  0 clean 'out=^SEP00AA00000006: admitted$' 'out=^  port +Gi1/0/6"><script>' 'out=sw\\x1B\[31mred' \
	'out=^  history:$' 'out=first seen' -- "${P[@]}" --device SEP00AA00000006
t "phones: --device unknown"     1 'out=no device in the ledger matched' -- "${P[@]}" --device SEP000000000000
t "phones: --mac, Cisco dots"    0 "py=[p['device'] for p in d['phones']] == ['SEP00BB00000001']" -- "${P[@]}" --mac 00bb.0000.0001 --json
t "phones: --mac by Calling-Station-Id" 0 "py=[p['device'] for p in d['phones']] == ['csid:aa-bb-cc-dd-ee-01']" -- "${P[@]}" --mac AA:BB:CC:DD:EE:01 --json
t "phones: --anchor name"        0 "py=len(d['phones']) == 17 and all(p['anchor'] == 'capf-new' for p in d['phones'])" -- "${P[@]}" --anchor capf-new --json
t "phones: --anchor fingerprint" 0 "py=[p['device'] for p in d['phones']] == ['SEP00EE00000003']" -- "${P[@]}" --anchor "$FP_REGEN" --json
t "phones: --reason"             0 "py=[p['device'] for p in d['phones']] == ['csid:aa-bb-cc-dd-ee-01', 'csid:aa-bb-cc-dd-ee-02'] and not any(p['accepted'] for p in d['phones'])" -- "${P[@]}" --reason no-client-cert --json
t "phones: text table"           0 clean 'out=^DEVICE ' 'out=^SEP00DD00000001 .* admitted +mic-accepted$' -- "${P[@]}"

# ---------------------------------------------------------------- the same ledger in PostgreSQL
if pg_start "$T/pg"; then
	export PG_DB=radius
	if pg_psql "$(cat "$SCHEMA_PG")" >/dev/null 2>"$T/pg-load.log" &&
	   pg_psql "$(cat "$T/rollover.sql")" >/dev/null 2>>"$T/pg-load.log" &&
	   pg_psql "GRANT SELECT ON ALL TABLES IN SCHEMA public TO radius" >/dev/null 2>>"$T/pg-load.log"; then
		for args in "--config $T/open.conf --json" "--json" "--config $T/closed.conf --json --days 7"; do
			# shellcheck disable=SC2086
			"${R[@]}" --db "$DB" $args >"$T/lite.json" 2>&1
			# shellcheck disable=SC2086
			"${R[@]}" --db "$PG_URL" $args >"$T/pg.json" 2>"$T/pg.err"
			ok "postgresql: rollover ${args//$T\//} same JSON as SQLite" cmp -s "$T/lite.json" "$T/pg.json"
			cmp -s "$T/lite.json" "$T/pg.json" || { diff "$T/lite.json" "$T/pg.json" | head -n 10; head -n 3 "$T/pg.err"; }
		done
		"${P[@]}" --device SEP00BB00000001 --json >"$T/lite.json"
		"$PC" phones --db "$PG_URL" --device SEP00BB00000001 --json >"$T/pg.json" 2>&1
		ok "postgresql: phones --device same JSON as SQLite" cmp -s "$T/lite.json" "$T/pg.json"
		t "postgresql: wrong password, not printed" 2 err1 'err=radius:\*\*\*@' '!err=wrong-PW' -- \
			"${R[@]}" --db "${PG_URL/:$PG_PASSWORD@/:wrong-PW@}"
	else
		fail=$((fail + 1))
		echo "FAIL postgresql: could not load the ledger"
		tail -n 5 "$T/pg-load.log"
	fi
	pg_stop
else
	fail=$((fail + 1))
	echo "FAIL postgresql: the test server did not start"
fi

ok "db: reading left the SQLite ledger unchanged" test "$(sha256sum <"$DB")" = "$DB_SUM"

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
