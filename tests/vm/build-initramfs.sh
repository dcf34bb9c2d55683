#!/usr/bin/env bash
# tests/vm/build-initramfs.sh: build the busybox initramfs of a test guest.
#
# Usage: tests/vm/build-initramfs.sh [options] KVER OUT.cpio.gz
#   -n NAME  matrix name, exported in the guest as MMSTALL_KERNEL (default KVER)
#   -k FILE  the module, installed as /mmstall/mmstall.ko
#   -b DIR   binaries (reader, workloads), installed in /mmstall/bin
#   -g DIR   guest test directory, copied to /mmstall/guest (default tests/guest)
#   -m MOD   a module of kernel KVER (e.g. virtio_blk) to insmod at boot, with
#            its dependencies (repeatable; hook for a virtio disk)
#   -x DIR   extra tree copied over the guest's / (hook)
#   -e VAR=VALUE  set in the guest tests' environment (repeatable; e.g.
#            a test's workload size on a slow kernel)
#
# Layout: /init (tests/vm/init.sh), /bin/busybox and its applet links, the
# libraries of any dynamically linked binary, /mmstall/{mmstall.ko,bin,guest},
# /mmstall/env (MMSTALL_KERNEL, MMSTALL_KVER, -e), /mmstall/kmods.order.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

name='' ko='' bindir='' guestdir=$REPO/tests/guest extra=''
kmods=() envs=()
while getopts n:k:b:g:m:x:e:h opt; do
	case $opt in
	n) name=$OPTARG ;;
	k) ko=$OPTARG ;;
	b) bindir=$OPTARG ;;
	g) guestdir=$OPTARG ;;
	m) kmods+=("$OPTARG") ;;
	x) extra=$OPTARG ;;
	e) envs+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
kver=$1 out=$2
: "${name:=$kver}"

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || die "busybox not found (apt-get install busybox-static)"

root=$(mktemp -d "${TMPDIR:-/tmp}/mmstall-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

# copy_bin SRC DEST: copy an executable, and for a dynamic one the loader
# and libraries ldd names, at the same paths (the guest has no libc).
copy_bin() {
	local lib
	install -D -m 0755 "$1" "$2"
	for lib in $(ldd "$1" 2>/dev/null | awk '$2 == "=>" { print $3; next }
	    $1 ~ /^\// { print $1 }'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,results,etc}
mkdir -p "$root/mmstall/bin" "$root/mmstall/guest"
copy_bin "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
fi
install -m 0755 "$VM_DIR/init.sh" "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"

# The payload.
[ -z "$ko" ] || install -m 0644 "$ko" "$root/mmstall/mmstall.ko"
if [ -n "$bindir" ] && [ -d "$bindir" ]; then
	for f in "$bindir"/*; do
		[ -f "$f" ] && copy_bin "$f" "$root/mmstall/bin/$(basename "$f")"
	done
fi
if [ -d "$guestdir" ]; then
	cp -a "$guestdir/." "$root/mmstall/guest/"
fi
{
	printf 'MMSTALL_KERNEL=%s\n' "$name"
	printf 'MMSTALL_KVER=%s\n' "$kver"
	for e in "${envs[@]}"; do
		printf "%s='%s'\n" "${e%%=*}" "${e#*=}"
	done
} >"$root/mmstall/env"

# Kernel modules from the distro kernel, in load order (hook: virtio disk).
: >"$root/mmstall/kmods.order"
for m in "${kmods[@]}"; do
	kernel_mod_deps "$kver" "$m" | awk '$1 == "insmod" { print $2 }' |
	while read -r path; do
		dest=/lib/modules/$kver/$(basename "${path%.xz}")
		dest=${dest%.zst}
		grep -qxF "$dest" "$root/mmstall/kmods.order" && continue
		mkdir -p "$root/lib/modules/$kver"
		case $path in
		*.xz) xz -dc "$path" >"$root$dest" ;;
		*.zst) zstd -dc "$path" >"$root$dest" ;;
		*) cp "$path" "$root$dest" ;;
		esac
		echo "$dest" >>"$root/mmstall/kmods.order"
	done
done

[ -z "$extra" ] || cp -a "$extra/." "$root/"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
