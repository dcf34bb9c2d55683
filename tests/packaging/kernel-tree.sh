#!/usr/bin/env bash
# tests/packaging/kernel-tree.sh: (once) a pristine kernel source tree from
# Debian's linux-source-SERIES and an object directory configured for it,
# ready for in-tree module builds with O=: `make O=OBJ tinyconfig`,
# tests/packaging/in-tree.config merged over it, `make modules_prepare`.
#
# Usage: tests/packaging/kernel-tree.sh SERIES   (6.1, 6.12: linux-source-SERIES)
# Env:   MMSTALL_TREE_CACHE (default /var/cache/mmstall/trees)
#
# Kept in CACHE/KEY/{src,obj}, KEY a hash of this recipe, the fragment and
# the source tarball (name and size): a later run reuses them, a new key
# drops the older trees of the same series. Callers never write into them:
# they hard-link the source (cp -al; scripts/graft-into-kernel.sh replaces
# files, never rewrites them) and copy obj (about 10 MB). The first time:
# about 20 s to unpack, 10 s to configure, 15-50 s for modules_prepare.
#
# Prints three lines: src=DIR, obj=DIR, release=KERNELRELEASE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"

RECIPE=1	# bump when the steps below change what gets built
[ $# -eq 1 ] || die "usage: $0 SERIES (6.1, 6.12)"
series=$1
fragment=$here/in-tree.config
src_tar=/usr/src/linux-source-$series.tar.xz

[ -r "$src_tar" ] || ensure_pkgs "linux-source-$series" >&2
[ -r "$src_tar" ] || die "linux-source-$series did not install $src_tar"
ensure_pkgs bc flex bison libelf-dev libssl-dev make gcc xz-utils >&2

cache=${MMSTALL_TREE_CACHE:-/var/cache/mmstall/trees}
mkdir -p "$cache"
key=$({
	echo "recipe $RECIPE"
	cat "$fragment"
	echo "source $(basename "$src_tar") $(stat -c %s "$src_tar")"
} | sha256sum | cut -c1-16)
dir=$cache/$key

print_result() {
	echo "src=$dir/src"
	echo "obj=$dir/obj"
	echo "release=$(cat "$dir/release")"
}

if cache_claim "$cache" "$key"; then
	print_result
	exit 0
fi

start=$SECONDS
msg "linux-source-$series: unpacking and preparing $dir (about 1 min)" >&2
rm -rf "$dir"
mkdir -p "$dir/obj"
tar -C "$dir" -xf "$src_tar"
mv "$dir/linux-source-$series" "$dir/src"
log=$dir/prepare.log
{
	make -C "$dir/src" O="$dir/obj" tinyconfig
	"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/obj" \
		"$dir/obj/.config" "$fragment"
	make -C "$dir/src" O="$dir/obj" olddefconfig
	make -C "$dir/src" O="$dir/obj" -j"${MMSTALL_JOBS:-2}" modules_prepare
} >"$log" 2>&1 || die "preparing linux-source-$series failed, see $log"
for opt in MODULES KPROBES DEBUG_FS; do
	grep -qx "CONFIG_$opt=y" "$dir/obj/.config" ||
		die "CONFIG_$opt is not set in $dir/obj/.config"
done
make -s -C "$dir/src" O="$dir/obj" kernelrelease >"$dir/release"
echo "$series" >"$dir/series"
for old in "$cache"/*/series; do
	if [ "$old" != "$dir/series" ] && [ "$(cat "$old")" = "$series" ]; then
		rm -rf "$(dirname "$old")"
	fi
done
echo "$((SECONDS - start)) s" >"$dir/build-time"
touch "$dir/done"
print_result
