#!/usr/bin/env bash
# Build the Debian package from debian/ in a copy of the source tree (dpkg-buildpackage writes
# into the parent of the tree it builds, so the copy lives in BUILD/deb/), then run lintian.
# Installs the missing Build-Depends (and lintian) first, saying which.
#
# usage: mk/deb.sh BUILD_DIR     prints the path of the .deb last
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: deb.sh BUILD_DIR}
mkdir -p "$build"
build=$(cd "$build" && pwd)
out=$build/deb
cd "$top"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else echo "deb: '$*' needs root, and sudo is not installed" >&2; exit 1; fi
}

# Build-Depends and the tools of this script.
missing=$(dpkg-checkbuilddeps debian/control 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
	sed 's/([^)]*)//g; s/|[^ ]*//g') || true
for tool in dpkg-buildpackage:dpkg-dev lintian:lintian; do
	command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool#*:}"
done
# shellcheck disable=SC2086 # a list of package names
if [ -n "${missing//[[:space:]]/}" ]; then
	echo "deb: installing the build dependencies:" $missing
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$out/freeradius-phonecert_${version}_${arch}.deb
src=$out/freeradius-phonecert-$version
rm -rf "$out"
mkdir -p "$src"

# The tree as it is (tracked and untracked files, without what .gitignore excludes: no build/).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude="./${build#"$top"/}" -cf - . | tar -xf - -C "$src"
fi

# Debian's FreeRADIUS source of the installed version, if the build already fetched it
# (scripts/fr-headers.sh): the package build then needs no network.
fr_version=$(dpkg-query -W -f='${Version}' libfreeradius-dev)
if [ -f "$build/freeradius-src/debian/changelog" ] &&
	[ "$(dpkg-parsechangelog -l "$build/freeradius-src/debian/changelog" -S Version)" = "$fr_version" ]; then
	mkdir -p "$src/build"
	cp -a "$build/freeradius-src" "$src/build/"
fi

echo "deb: dpkg-buildpackage in ${src#"$top"/} (log: ${out#"$top"/}/build.log)"
# --no-pre-clean: the copy is fresh, and a clean would drop the FreeRADIUS source seeded above.
if ! (cd "$src" && dpkg-buildpackage -us -uc -b --no-pre-clean) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed (${out#"$top"/}/build.log)" >&2
	exit 1
fi
[ -f "$deb" ] || { echo "deb: $deb was not built" >&2; exit 1; }

echo "deb: lintian (${out#"$top"/}/lintian.txt)"
lintian --fail-on error --display-info --info "$out"/freeradius-phonecert_"${version}"_"${arch}".changes >"$out/lintian.txt" 2>&1 && lint=0 || lint=$?
sed 's/^/deb:   /' "$out/lintian.txt" | grep -v '^deb:   N: *$' | grep -E '^deb:   [EWI]:' || echo "deb:   (no tags)"
printf 'deb: lintian: %d errors, %d warnings, %d info\n' "$(grep -c '^E:' "$out/lintian.txt" || true)" \
	"$(grep -c '^W:' "$out/lintian.txt" || true)" "$(grep -c '^I:' "$out/lintian.txt" || true)"
[ "$lint" -eq 0 ] || { echo "deb: lintian reports errors" >&2; exit 1; }

echo "deb: Depends: $(dpkg-deb -f "$deb" Depends)"
echo "deb: ${deb#"$top"/}"
