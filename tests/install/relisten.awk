# Move a site's listen sections to 127.0.0.1 and ports of the test's choosing, so that a copy of
# Debian's configuration can run beside anything already on 1812/18120 (and beside other tests).
# IPv6 listeners are commented out.  Braces are counted outside comments only.
#
# usage: awk -v auth=PORT [-v acct=PORT] [-v status=PORT] -f relisten.awk SITE > NEW
function braces(line,    code, opens, closes) {
	code = line
	sub(/#.*/, "", code)
	opens = gsub(/\{/, "{", code)
	closes = gsub(/\}/, "}", code)
	return opens - closes
}

function flush(    i, ipv6, type, port, line) {
	ipv6 = 0
	type = ""
	for (i = 1; i <= n; i++) {
		if (buf[i] ~ /^[[:space:]]*ipv6addr[[:space:]]*=/) ipv6 = 1
		if (buf[i] ~ /^[[:space:]]*type[[:space:]]*=/) {
			line = buf[i]
			sub(/^[[:space:]]*type[[:space:]]*=[[:space:]]*/, "", line)
			sub(/[[:space:]#].*/, "", line)
			type = line
		}
	}
	port = (type == "acct") ? acct : (type == "status") ? status : auth
	for (i = 1; i <= n; i++) {
		line = buf[i]
		if (ipv6) line = "#" line
		else if (line ~ /^[[:space:]]*(ipaddr|ipv4addr)[[:space:]]*=/) line = "\tipaddr = 127.0.0.1"
		else if (line ~ /^[[:space:]]*port[[:space:]]*=/ && port != "") line = "\tport = " port
		print line
	}
	n = 0
}

!inside && /^[[:space:]]*listen[[:space:]]*\{/ { inside = 1; depth = 0; n = 0 }
inside {
	buf[++n] = $0
	depth += braces($0)
	if (depth == 0) { flush(); inside = 0 }
	next
}
{ print }
