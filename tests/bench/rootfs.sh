#!/usr/bin/env bash
# tests/bench/rootfs.sh: build (once) the Debian root file system the bench
# boots, for bpftrace (it needs a libc, LLVM and a shell that the busybox
# guest of the test matrix does not have).
#
# Usage: tests/bench/rootfs.sh
# Env:   MMSTALL_BENCH_CACHE (default /var/cache/mmstall/bench, else
#        ~/.cache/mmstall/bench when that is not writable),
#        MMSTALL_DEBIAN_MIRROR (default http://deb.debian.org/debian)
#
# debootstrap --variant=minbase bookworm with bpftrace, busybox-static,
# kmod and linux-perf, plus /mmstall-init (below), then `mke2fs -d` into an
# ext4 image: no loop mount. The image is CACHE/rootfs-KEY.img, KEY a hash
# of this recipe (the packages, the init, the steps); a later run reuses it
# (about 3 minutes and 1.2 GB the first time). QEMU boots it with
# snapshot=on, so it is never written to.
#
# At boot (root=/dev/vda init=/mmstall-init), /mmstall-init mounts the
# payload disk (label mmstall-bench, made by tests/bench/run.sh) on /mmstall
# and runs the test harness's own guest init (tests/vm/init.sh, copied into
# the payload) under busybox sh: the same results protocol as every test
# boot (tests/vm/README.md).
#
# Prints one line: image=PATH.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../vm/lib.sh"

SUITE=bookworm
PACKAGES=bpftrace,busybox-static,kmod,linux-perf
MIRROR=${MMSTALL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGE_SIZE=1200M

# The root file system's init: the payload, then the harness's init.
mmstall_init() {
	cat <<'EOF'
#!/bin/busybox sh
# /mmstall-init (tests/bench/rootfs.sh): mount the bench payload, run it.
/bin/busybox mount -t proc proc /proc 2>/dev/null
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox mkdir -p /mmstall
if ! /bin/busybox mount -o ro "$(/bin/busybox findfs LABEL=mmstall-bench)" /mmstall; then
	echo "mmstall-init: no payload disk (label mmstall-bench)"
	echo o >/proc/sysrq-trigger
fi
exec /bin/busybox sh /mmstall/init.sh
EOF
}

# build_rootfs DIR: the tree that goes into the image.
build_rootfs() {
	debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$1" "$MIRROR"
	mmstall_init >"$1/mmstall-init"
	chmod 0755 "$1/mmstall-init"
	mkdir -p "$1/mmstall" "$1/results"
	echo mmstall-bench >"$1/etc/hostname"
	rm -rf "$1/var/cache/apt/archives/"*.deb "$1/var/lib/apt/lists/"*
}

bench_cache_dir() {
	local d=${MMSTALL_BENCH_CACHE:-/var/cache/mmstall/bench}
	if [ -z "${MMSTALL_BENCH_CACHE:-}" ] && ! mkdir -p "$d" 2>/dev/null; then
		d=${XDG_CACHE_HOME:-$HOME/.cache}/mmstall/bench
	fi
	mkdir -p "$d"
	echo "$d"
}

main() {
	local cache key img tree
	ensure_pkgs debootstrap e2fsprogs >&2
	cache=$(bench_cache_dir)
	key=$({
		echo "$SUITE $PACKAGES $IMAGE_SIZE"
		declare -f mmstall_init build_rootfs
	} | sha256sum | cut -c1-16)
	img=$cache/rootfs-$key.img

	# One builder per key; a second caller waits, then reuses the image.
	exec 9>"$cache/.lock-$key"
	flock 9
	if [ ! -f "$img" ]; then
		[ "$(id -u)" -eq 0 ] || die "debootstrap needs root"
		tree=$cache/rootfs-$key.tree
		rm -rf "$tree"
		msg "debootstrap $SUITE ($PACKAGES) into $tree (about 3 minutes)" >&2
		build_rootfs "$tree" >"$cache/rootfs-$key.log" 2>&1 ||
			die "debootstrap failed, see $cache/rootfs-$key.log"
		mke2fs -q -F -t ext4 -L mmstall-root -d "$tree" "$img.tmp" "$IMAGE_SIZE" \
			>>"$cache/rootfs-$key.log" 2>&1 ||
			die "mke2fs -d failed, see $cache/rootfs-$key.log"
		mv "$img.tmp" "$img"
		rm -rf "$tree"
	fi
	echo "image=$img"
}

main "$@"
