# Move a site's listen sections to 127.0.0.1 and ports of the test's choosing, so that a copy of
# Debian's configuration can run beside anything already on 1812/18120 (and beside other tests).
# IPv6 listeners are commented out.  Braces are counted outside comments only.
#
# usage: awk -v auth=PORT [-v acct=PORT] [-v status=PORT] -f relisten.awk SITE > NEW
#        awk -v ports="PORT PORT..." -f relisten.awk SITE > NEW
# With ports, each listen section with an IPv4 address or a port takes the next port of the
# list, whatever its type (for a site the test knows nothing about).  A section with an address but no port line (it would
# listen on the type's standard port, 1812 for auth) gets one.
function braces(line,    code, opens, closes) {
	code = line
	sub(/#.*/, "", code)
	opens = gsub(/\{/, "{", code)
	closes = gsub(/\}/, "}", code)
	return opens - closes
}

function flush(    i, ipv6, ipv4, has_port, type, port, line) {
	ipv6 = 0
	ipv4 = 0
	has_port = 0
	type = ""
	for (i = 1; i <= n; i++) {
		if (buf[i] ~ /^[[:space:]]*ipv6addr[[:space:]]*=/) ipv6 = 1
		if (buf[i] ~ /^[[:space:]]*(ipaddr|ipv4addr)[[:space:]]*=/) ipv4 = 1
		if (buf[i] ~ /^[[:space:]]*port[[:space:]]*=/) has_port = 1
		if (buf[i] ~ /^[[:space:]]*type[[:space:]]*=/) {
			line = buf[i]
			sub(/^[[:space:]]*type[[:space:]]*=[[:space:]]*/, "", line)
			sub(/[[:space:]#].*/, "", line)
			type = line
		}
	}
	if (ports != "") port = (!ipv6 && (ipv4 || has_port) && next_port <= nports) ? list[next_port++] : ""
	else port = (type == "acct") ? acct : (type == "status") ? status : auth
	for (i = 1; i <= n; i++) {
		line = buf[i]
		if (ipv6) line = "#" line
		else if (line ~ /^[[:space:]]*(ipaddr|ipv4addr)[[:space:]]*=/) line = "\tipaddr = 127.0.0.1"
		else if (line ~ /^[[:space:]]*port[[:space:]]*=/ && port != "") line = "\tport = " port
		print line
		if (i == 1 && ipv4 && !ipv6 && !has_port && port != "") print "\tport = " port
	}
	n = 0
}

BEGIN { nports = split(ports, list, " "); next_port = 1 }
!inside && /^[[:space:]]*listen[[:space:]]*\{/ { inside = 1; depth = 0; n = 0 }
inside {
	buf[++n] = $0
	depth += braces($0)
	if (depth == 0) { flush(); inside = 0 }
	next
}
{ print }
