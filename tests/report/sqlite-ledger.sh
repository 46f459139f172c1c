#!/usr/bin/env bash
# sqlite-ledger.sh DB: an empty SQLite ledger as radiusd makes it at its first start: the shipped
# schema.sql (rlm_sql_sqlite's bootstrap) and the history trigger that the phonecert_ledger
# instance creates at start (client_query in sqlite/queries.conf; the bootstrap loader cannot
# load a trigger).  The trigger's text is taken from queries.conf itself, so the tests run the
# shipped one.
set -euo pipefail
db=${1:?usage: sqlite-ledger.sh DB}
dir=$(cd "$(dirname "$0")/../../raddb/mods-config/sql/phonecert/sqlite" && pwd)
sqlite3 "$db" <"$dir/schema.sql"
trigger=$(awk '/^client_query = "\\$/ { on = 1; next }
	on { line = $0; sub(/[ \t]*\\$/, "", line); if (line ~ /"$/) { sub(/"$/, "", line); print line; exit }
	     print line }' "$dir/queries.conf")
case $trigger in
*"CREATE TRIGGER"*END) ;;
*) echo "sqlite-ledger.sh: no client_query trigger in $dir/queries.conf" >&2; exit 1 ;;
esac
printf '%s;\n' "$trigger" | sqlite3 "$db"
