#!/bin/sh
# make docker-check: build the image, whose smoke stage runs radiusd, Status-Server and EAP-TLS
# inside the build (docker/smoke.sh), and report the wall time and the image's size.
#
# Engine: $ENGINE, else docker if its daemon answers, else podman.  With podman the build uses --isolation=chroot
# (no container runtime needed: it works where containers cannot be started) and
# --format docker (the OCI format has no HEALTHCHECK).  When the base image is not present
# locally, docker pulls it; podman is told where it comes from: a registry, or
# docker/base-image.sh (debootstrap) where there is none.
#
# usage: [NOCACHE=yes] [ENGINE=docker|podman] docker/check.sh [IMAGE]   (default rlm-phonecert:check)
set -eu
cd "$(dirname "$0")/.."
image=${1:-rlm-phonecert:check}
base=${DEBIAN_IMAGE:-debian:bookworm}
engine=${ENGINE:-}
if [ -z "$engine" ]; then
	# A docker client without a reachable daemon is no engine.
	if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker
	elif command -v podman >/dev/null 2>&1; then engine=podman
	elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		# A fresh Debian machine: podman (and debootstrap for the base image) from Debian's archive.
		echo "docker-check: installing podman and debootstrap from Debian's archive"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman debootstrap >/dev/null
		engine=podman
	else echo "docker-check: no docker daemon reachable and no podman installed" >&2; exit 1
	fi
fi

case $(basename "$engine") in
podman)
	if ! "$engine" image exists "$base"; then
		if [ "${BASE_FROM:-debootstrap}" = debootstrap ] && [ "$(id -u)" = 0 ]; then
			# No registry is assumed: the base image is made from Debian's archive.
			command -v debootstrap >/dev/null 2>&1 ||
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
			echo "docker-check: no $base image here; making it with debootstrap (docker/base-image.sh)"
			if [ -n "${DEBIAN_IMAGE:-}" ]; then docker/base-image.sh "$base"; else docker/base-image.sh; fi
		else
			echo "docker-check: no $base image here: podman pull $base, or docker/base-image.sh (debootstrap)" >&2
			exit 1
		fi
	fi
	set -- --isolation="${ISOLATION:-chroot}" --format docker --pull=never \
		--ignorefile docker/Dockerfile.dockerignore
	;;
*)
	set --
	;;
esac

# NOCACHE=yes: a cold build, as on a fresh CI machine.
[ "${NOCACHE:-no}" != yes ] || set -- "$@" --no-cache
log=${TMPDIR:-/tmp}/docker-check.log
start=$(date +%s)
# Every line of the log carries the seconds since the start (awk's srand() returns the previous
# seed, which is the time of day), so that the slow steps can be named below.
{ "$engine" build "$@" --build-arg DEBIAN_IMAGE="$base" -f docker/Dockerfile -t "$image" . 2>&1
	echo $? >"$log.rc"; } | awk -v s="$start" '{ srand(); t = srand(); print t - s "s " $0; fflush() }' >"$log"
elapsed=$(($(date +%s) - start))
if [ "$(cat "$log.rc")" != 0 ]; then
	tail -n 60 "$log" >&2
	echo "docker-check: FAILED after $elapsed s (full log: $log)" >&2
	exit 1
fi
rm -f "$log.rc"
grep -E '^[0-9]+s (ok|FAIL) |^[0-9]+s smoke: ' "$log" | cut -d' ' -f2- ||
	echo "docker-check: smoke stage reused from an identical earlier build (its receipt is in the image)"
echo "docker-check: slowest steps (podman):"
awk -v end="$elapsed" '
	/ STEP [0-9]+\/[0-9]+: / { if (label != "") print $1 - at, label; at = $1 + 0; label = substr($0, index($0, "STEP"), 90) }
	END { if (label != "") print end - at, label }' "$log" | sort -rn | head -n 4 | sed 's/^\([0-9]*\) /  \1 s  /'
size=$("$engine" image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }')
echo "docker-check: $image built and smoke-tested in ${elapsed} s with $(basename "$engine"); image size $size"
echo "docker-check: build log $log"
