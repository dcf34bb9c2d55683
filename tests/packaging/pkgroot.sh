#!/usr/bin/env bash
# tests/packaging/pkgroot.sh: build (once) the Debian bookworm root that the
# package install tests (tests/packaging/install.sh) run in, and print its
# path.
#
# Usage: tests/packaging/pkgroot.sh   (as root)
# Env:   MMSTALL_PKGROOT_CACHE (default /var/cache/mmstall/pkgroot)
#
# `debootstrap --variant=minbase --include=PKGS bookworm`, PKGS being what
# the packages depend on (dkms, gcc, make, libc6-dev: the Depends of
# mmstall-dkms and mmstall-dev) and bookworm's 6.1 cloud kernel headers
# (linux-headers-cloud-amd64, whatever ABI the release has), so that the
# mmstall-dkms postinst has a kernel to build for. debootstrap's default
# mirror; about 1 minute and 630 MB. Kept in CACHE/KEY/root, KEY a hash of
# this recipe: a later run reuses it, a changed recipe builds anew and drops
# the other roots. Tests work on a copy, never on the cached root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"

RECIPE=1	# bump when the steps below change what gets installed
SUITE=bookworm
INCLUDE=dkms,gcc,make,libc6-dev,linux-headers-cloud-amd64

cache=${MMSTALL_PKGROOT_CACHE:-/var/cache/mmstall/pkgroot}
key=$(printf 'recipe %s\nsuite %s\ninclude %s\narch %s\n' "$RECIPE" "$SUITE" \
	"$INCLUDE" "$(dpkg --print-architecture)" | sha256sum | cut -c1-16)
dir=$cache/$key

mkdir -p "$cache"
# One builder per key; a second caller waits and then reuses the result.
exec 9>"$cache/.lock-$key"
flock 9
if [ -f "$dir/done" ]; then
	echo "$dir/root"
	exit 0
fi

ensure_pkgs debootstrap >&2
start=$SECONDS
msg "debootstrap $SUITE into $dir (about 1 min)" >&2
rm -rf "$dir"
mkdir -p "$dir"
debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$dir/root" \
	>"$dir/debootstrap.log" 2>&1 || die "debootstrap failed, see $dir/debootstrap.log"
rm -f "$dir/root/var/cache/apt/archives/"*.deb
# build is a link to /usr/src/linux-headers-VER inside the root.
[ -n "$(find "$dir/root/lib/modules/" -mindepth 2 -maxdepth 2 -name build)" ] ||
	die "no kernel headers in $dir/root/lib/modules"
for old in "$cache"/*/; do
	[ "${old%/}" = "$dir" ] || rm -rf "${old%/}"
done
echo "$((SECONDS - start)) s" >"$dir/build-time"
touch "$dir/done"
echo "$dir/root"
