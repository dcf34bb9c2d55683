#!/usr/bin/env bash
# tests/vm/fetch-kernel.sh: fetch (once) a kernel of an older Debian release.
#
# Usage: tests/vm/fetch-kernel.sh NAME   (a KERNEL_SUITE entry of lib.sh:
#        5.10-cloud)
# Env:   MMSTALL_KERNEL_CACHE (as build-kernel.sh), MMSTALL_DEBIAN_MIRRORS
#        (tried in order; default deb.debian.org, then archive.debian.org)
#
# The host's apt is left alone: a private apt (its own sources list, lists
# and package cache under CACHE/apt-SUITE) asks which image SUITE's meta
# package depends on, and downloads the image, its headers and the headers'
# -common and kbuild packages. They are unpacked with dpkg -x under
# CACHE/deb-RELEASE/root, never installed. The headers' Makefile includes
# the -common tree by its absolute /usr/src path; it is pointed at the
# unpacked copy, and depmod writes the modules' index. CACHE/by-release/
# RELEASE then links to CACHE/deb-RELEASE, which holds what lib.sh looks
# for: bzImage, build, modroot (the root that modprobe -d reads the image's
# modules from) and make.args (CC=gcc when the headers name a compiler the
# host does not have, as bullseye's gcc-10 on bookworm).
#
# Without network the release fetched last for NAME is used; with neither,
# it fails (exit 1) and kernels.sh reports the kernel unavailable.
# Prints three lines: release=RELEASE, image=PATH, build=KDIR.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

name=${1:-}
if [ -z "$name" ] || [ -z "${KERNEL_SUITE[$name]:-}" ]; then
	die "usage: $0 NAME (one of: ${!KERNEL_SUITE[*]})"
fi
read -r suite meta <<<"${KERNEL_SUITE[$name]}"
ensure_pkgs apt dpkg ca-certificates debian-archive-keyring >&2

cache=$(kernel_cache_dir)
mkdir -p "$cache/by-release"
apt_dir=$cache/apt-$suite

# papt CMD ARGS...: apt-get or apt-cache on the private state.
papt() {
	local cmd=$1
	shift
	"$cmd" -o Dir::State="$apt_dir" -o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::State::status="$apt_dir/status" -o Dir::Cache="$apt_dir" \
		-o Dir::Cache::archives="$apt_dir/archives" \
		-o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent -o APT::Architecture=amd64 \
		-o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

# depends PKG PATTERN: PKG's first dependency matching PATTERN.
depends() {
	papt apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \($2\)\$/\1/p" | head -n1
}

print_result() {
	local d=$cache/by-release/$1
	echo "release=$1"
	echo "image=$d/bzImage"
	echo "build=$(readlink -f "$d/build")"
}

mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
touch "$apt_dir/status"
exec 9>"$apt_dir/.lock"
flock 9
# A release leaves deb.debian.org for archive.debian.org some time after
# its LTS ends: the first mirror that knows the meta package wins.
img=
: >"$apt_dir/update.log"
for mirror in ${MMSTALL_DEBIAN_MIRRORS:-http://deb.debian.org/debian http://archive.debian.org/debian}; do
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"$mirror $suite main" >"$apt_dir/sources.list"
	echo "# $mirror" >>"$apt_dir/update.log"
	papt apt-get update -qq >>"$apt_dir/update.log" 2>&1 || continue
	img=$(depends "$meta" 'linux-image-[^ ]*' || true)
	[ -z "$img" ] || break
done
if [ -z "$img" ]; then
	last=$(cat "$cache/deb-$name.last" 2>/dev/null || true)
	{ [ -n "$last" ] && [ -f "$cache/deb-$last/done" ]; } ||
		die "$name: apt could not resolve $meta in $suite (see $apt_dir/update.log)"
	msg "$name: no apt answer, using the cached $last" >&2
	print_result "$last"
	exit 0
fi
ver=${img#linux-image-}
ver=${ver%-unsigned}
dir=$cache/deb-$ver
if [ -f "$dir/done" ]; then
	echo "$ver" >"$cache/deb-$name.last"
	print_result "$ver"
	exit 0
fi

msg "fetching $name ($ver) from Debian $suite" >&2
hdr=linux-headers-$ver
common=$(depends "$hdr" 'linux-headers-[^ ]*-common' || true)
kbuild=$(depends "$hdr" 'linux-kbuild-[^ ]*' || true)
{ [ -n "$common" ] && [ -n "$kbuild" ]; } || die "$name: $hdr has no -common or kbuild dependency"
image_pkg=linux-image-$ver-unsigned
papt apt-cache show "$image_pkg" >/dev/null 2>&1 || image_pkg=linux-image-$ver
rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
(cd "$dir/debs" && papt apt-get download -qq "$image_pkg" "$hdr" "$common" "$kbuild") \
	>"$dir/download.log" 2>&1 || die "$name: download failed, see $dir/download.log"
for deb in "$dir"/debs/*.deb; do
	dpkg -x "$deb" "$dir/root"
done
rm -rf "$dir/debs"

build=$dir/root/usr/src/$hdr
[ -f "$dir/root/boot/vmlinuz-$ver" ] || die "$name: no vmlinuz-$ver in $image_pkg"
[ -f "$build/Makefile" ] || die "$name: no Makefile in $hdr"
depmod -b "$dir/root" "$ver" || die "$name: depmod failed"
sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$build/Makefile"
ln -s "root/boot/vmlinuz-$ver" "$dir/bzImage"
ln -s "root/usr/src/$hdr" "$dir/build"
ln -s root "$dir/modroot"
cc=$(sed -n 's/^CC = .*\(gcc-[0-9][0-9]*\)$/\1/p' "$build/.kernelvariables" 2>/dev/null || true)
: >"$dir/make.args"
if [ -n "$cc" ] && ! command -v "$cc" >/dev/null 2>&1; then
	echo "CC=gcc" >"$dir/make.args"
fi
ln -sfn "../deb-$ver" "$cache/by-release/$ver"
touch "$dir/done"
echo "$ver" >"$cache/deb-$name.last"
print_result "$ver"
