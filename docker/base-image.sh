#!/bin/sh
# For a machine that cannot pull from a registry: make the Debian 12 base image locally, from
# Debian's archive, with debootstrap, and import it into podman under the name the Dockerfile's
# FROM uses.  The rootfs is shaped like the official debian:bookworm image where the build
# depends on it: minbase, apt sources in deb822 form with bookworm-updates and -security, no
# package cache.  Needs root, debootstrap and podman.
#
# usage: docker/base-image.sh [NAME]     (default docker.io/library/debian:bookworm)
set -eu
name=${1:-docker.io/library/debian:bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

for tool in debootstrap podman; do
	command -v "$tool" >/dev/null || { echo "base-image: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
	tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log

tar -C "$root" --numeric-owner -c . | podman import --change 'CMD ["bash"]' - "$name" >/dev/null
echo "base-image: $name imported ($(podman image inspect --format '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
