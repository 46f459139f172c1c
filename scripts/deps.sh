#!/usr/bin/env bash
# Install the Debian 12 packages that building, testing and running rlm_phonecert need,
# and enable deb-src (the build takes FreeRADIUS headers missing from libfreeradius-dev
# from Debian's source package).  Quiet and quick when everything is already there.
set -euo pipefail
packages=(build-essential clang llvm libclang-rt-14-dev make pkg-config dpkg-dev
	freeradius freeradius-utils libfreeradius-dev libpcre3-dev eapoltest
	libtalloc-dev libssl-dev libcmocka-dev openssl valgrind python3 iproute2)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

need_src=0
grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ || need_src=1
if [ "$need_src" -eq 1 ]; then
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		$sudo sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
	else
		grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $sudo tee /etc/apt/sources.list.d/phonecert-src.list >/dev/null
	fi
fi

if [ ${#missing[@]} -gt 0 ] || [ "$need_src" -eq 1 ]; then
	echo "deps: installing ${missing[*]:-(none)}; deb-src enabled: $need_src"
	$sudo apt-get update -qq
	[ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts freeradius on install: it would hold 1812 and is not ours to run.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet freeradius 2>/dev/null; then
	$sudo systemctl stop freeradius || true
fi
exit 0
