#!/usr/bin/env bash
# tests/vm/kernels.sh: resolve and install the kernel test matrix.
#
# Usage: tests/vm/kernels.sh [NAME...]   (default: the whole matrix, lib.sh)
#
# Installs the host tools the harness needs (qemu, busybox-static, cpio, ...),
# then for each NAME asks apt which image its meta package currently depends
# on (no ABI number is hard-coded), installs linux-image-VER-unsigned and
# linux-headers-VER unless /boot/vmlinuz-VER and /lib/modules/VER/build exist,
# and prints "NAME VERSION" lines (also saved to $MMSTALL_OUT/kernels.txt).
# A kernel of our own (KERNEL_CONFIGS in lib.sh: 6.1-slab, 6.1-debug) is
# built by build-kernel.sh, or reused from the cache, and named by its release;
# one of an older Debian release (KERNEL_SUITE: 5.10-cloud) is fetched and
# unpacked by fetch-kernel.sh.
# Without network or apt lists it falls back to the newest installed match.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# Fallback globs for an already installed kernel of each name.
declare -A KERNEL_GLOB=(
	[6.1-cloud]='6.1.*-cloud-amd64'
	[6.12-cloud]='6.12.*-cloud-amd64'
	[6.1-rt]='6.1.*-rt-amd64'
)

resolve_apt() {
	apt-cache depends "${KERNEL_META[$1]}" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*\)$/\1/p' | head -n1
}

resolve_installed() {
	local f v best=
	for f in /boot/vmlinuz-${KERNEL_GLOB[$1]}; do
		[ -e "$f" ] || continue
		v=${f#/boot/vmlinuz-}
		[ -f "/lib/modules/$v/build/Makefile" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n1)
	done
	echo "$best"
}

installed() {
	[ -f "/boot/vmlinuz-$1" ] && [ -f "/lib/modules/$1/build/Makefile" ]
}

# record NAME VERSION LIST: print the pair and keep it in LIST.
record() {
	echo "$1 $2"
	awk -v n="$1" '$1 != n' "$3" >"$3.tmp"
	echo "$1 $2" >>"$3.tmp"
	mv "$3.tmp" "$3"
}

# cached_kernel SCRIPT NAME: a kernel of our own or a fetched one, by
# build-kernel.sh or fetch-kernel.sh (cached, so usually instant); prints
# its release. The time taken goes to timings.txt.
cached_kernel() {
	local t0=$SECONDS out ver
	out=$("$VM_DIR/$1" "$2") || die "$2: $1 failed"
	ver=$(sed -n 's/^release=//p' <<<"$out")
	[ -n "$ver" ] || die "$2: $1 printed no release"
	echo "$2 kernel ready $((SECONDS - t0)) s ($ver)" >>"$MMSTALL_OUT/timings.txt"
	echo "$ver"
}

main() {
	local names=("$@") name ver list
	[ ${#names[@]} -gt 0 ] || names=("${KERNEL_NAMES[@]}")
	ensure_pkgs "${HOST_PKGS[@]}" >&2
	mkdir -p "$MMSTALL_OUT"
	list=$MMSTALL_OUT/kernels.txt
	touch "$list"
	for name in "${names[@]}"; do
		if [ -n "${KERNEL_CONFIGS[$name]:-}" ]; then
			ver=$(cached_kernel build-kernel.sh "$name")
			record "$name" "$ver" "$list"
			continue
		fi
		if [ -n "${KERNEL_SUITE[$name]:-}" ]; then
			# An old release can vanish from the mirrors: its kernel is
			# then "-" (run-matrix.sh skips it, saying why), not a failure
			# of the whole matrix.
			if ! ver=$(cached_kernel fetch-kernel.sh "$name"); then
				echo "$name: cannot fetch ${KERNEL_SUITE[$name]} (no network, or gone from the mirrors)" >&2
				ver=-
			fi
			record "$name" "$ver" "$list"
			continue
		fi
		[ -n "${KERNEL_META[$name]:-}" ] ||
			die "unknown kernel '$name' (known: ${KERNEL_NAMES[*]})"
		ver=$(resolve_apt "$name")
		if [ -z "$ver" ] || ! installed "$ver"; then
			# Stale or missing apt lists: refresh once, then ask again.
			apt_update_once >&2 || true
			ver=$(resolve_apt "$name")
		fi
		[ -n "$ver" ] || ver=$(resolve_installed "$name")
		[ -n "$ver" ] || die "cannot resolve a kernel for $name"
		if ! installed "$ver"; then
			ensure_pkgs "linux-image-$ver-unsigned" "linux-headers-$ver" >&2
			installed "$ver" || die "$name: $ver did not install"
		fi
		record "$name" "$ver" "$list"
	done
}

main "$@"
