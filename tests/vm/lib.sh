# shellcheck shell=bash disable=SC2034
# tests/vm/lib.sh: helpers shared by the VM harness scripts (sourced, not run).
#
# Provides: REPO, MMSTALL_OUT, msg/die, ensure_pkgs (apt, at most one
# `apt-get update` per run), the kernel matrix table, and the builders that
# every harness entry point needs: build_bin (reader + static workloads) and
# build_module (mmstall.ko for one kernel, built in a private copy of the tree).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM_DIR=$REPO/tests/vm
: "${MMSTALL_OUT:=$REPO/out}"
export MMSTALL_OUT

# The matrix: name -> apt meta package whose first dependency names the image.
declare -A KERNEL_META=(
	[6.1-cloud]=linux-image-cloud-amd64
	[6.12-cloud]=linux-image-6.12-cloud-amd64
	[6.1-rt]=linux-image-rt-amd64
)
KERNEL_NAMES=(5.10-cloud 6.1-cloud 6.12-cloud 6.1-rt 6.1-slab)

# Kernels of an older Debian release, fetched and unpacked (never installed)
# by fetch-kernel.sh: name -> "SUITE META", META the suite's meta package.
# 5.10 has neither the lock contention tracepoints (5.19) nor rethook (5.19
# on x86): the rwsem classes run on their kretprobes there, as on RHEL 8
# and Ubuntu 20.04.
declare -A KERNEL_SUITE=(
	[5.10-cloud]="bullseye linux-image-cloud-amd64"
)

# Packages the harness itself needs on the host.
HOST_PKGS=(qemu-system-x86 busybox-static cpio gzip xz-utils python3 gcc make
	libc6-dev kmod)

# Kernels of our own, built from Debian's linux-source-6.1 by
# build-kernel.sh (no apt meta package): name -> config fragments in
# tests/vm/configs/, merged in order over tinyconfig. Their releases are
# found under $(kernel_cache_dir)/by-release/RELEASE/{bzImage,build}.
declare -A KERNEL_CONFIGS=(
	[6.1-slab]=slab.config
	[6.1-debug]="slab.config debug.config"
)

# Guest memory (MiB) of the kernels that need more than MMSTALL_QEMU_MEM
# (default 512): KASAN's shadow and kmemleak's metadata.
declare -A KERNEL_QEMU_MEM=(
	[6.1-debug]=1024
)

# Boot timeout (s, the whole guest suite) of the kernels slower than
# MMSTALL_BOOT_TIMEOUT (default 900) allows; the guest's per-test-file
# timeout grows with it (tests/guest/run.sh).
declare -A KERNEL_BOOT_TIMEOUT=(
	[6.1-debug]=2400
)

# Guest test settings of the slow kernels (tests/guest/*.sh read them from
# the environment; build-initramfs.sh -e), ';'-separated VAR=VALUE: smaller
# workloads where the defaults take minutes.
declare -A KERNEL_GUEST_ENV=(
	[6.1-debug]="JIT_ITERATIONS=1000;BENCH_RUNS=1;BENCH_ARGS=-n 200 -r 2;BHWRITE_N=2000;SLABREAD_N=30;CYCLES=2"
)

# kernel_cache_dir: where built kernels are kept, outside the work tree.
kernel_cache_dir() {
	local d=${MMSTALL_KERNEL_CACHE:-/var/cache/mmstall/kernels}
	if [ -z "${MMSTALL_KERNEL_CACHE:-}" ] && ! mkdir -p "$d" 2>/dev/null; then
		d=${XDG_CACHE_HOME:-$HOME/.cache}/mmstall/kernels
	fi
	echo "$d"
}

# kernel_image VER / kernel_build_dir VER: the boot image and the build
# tree of release VER: a kernel we built, else the distro's.
kernel_image() {
	local b
	b=$(kernel_cache_dir)/by-release/$1
	if [ -f "$b/bzImage" ]; then echo "$b/bzImage"; else echo "/boot/vmlinuz-$1"; fi
}

kernel_build_dir() {
	local b
	b=$(kernel_cache_dir)/by-release/$1
	if [ -d "$b/build" ]; then readlink -f "$b/build"; else echo "/lib/modules/$1/build"; fi
}

# kernel_mod_root VER: the root directory holding lib/modules/VER (for
# modprobe -d): / for the distro's kernels, the unpacked packages for a
# fetched one.
kernel_mod_root() {
	local b
	b=$(kernel_cache_dir)/by-release/$1
	if [ -d "$b/modroot" ]; then readlink -f "$b/modroot"; else echo /; fi
}

# kernel_mod_deps VER MOD: modprobe's insmod lines for module MOD of
# release VER and its dependencies (fails if VER has no such module).
kernel_mod_deps() {
	modprobe -d "$(kernel_mod_root "$1")" -S "$1" --show-depends "$2"
}

# kernel_make_args VER: extra make arguments for building against VER
# (make.args of a fetched kernel: CC=gcc when its compiler is missing).
kernel_make_args() {
	local f
	f=$(kernel_cache_dir)/by-release/$1/make.args
	[ -f "$f" ] && cat "$f"
	return 0
}

# kernel_at_least TABLE NAME VALUE: VALUE, or TABLE[NAME] if larger (a
# kernel's guest memory or boot timeout, KERNEL_QEMU_MEM, KERNEL_BOOT_TIMEOUT).
kernel_at_least() {
	local -n tb=$1
	local k=${tb[$2]:-0}
	echo $((k > $3 ? k : $3))
}

# kernel_config_has VER OPTION: is OPTION built in (=y) in release VER?
kernel_config_has() {
	grep -qx "$2=y" "$(kernel_build_dir "$1")/.config" 2>/dev/null
}

msg() { printf '# %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# cache_claim CACHE KEY: one builder per key of a build cache.  Takes the
# key's lock (fd 9, held until the script exits; a second caller waits for
# the first); true when CACHE/KEY/done says the result is there already.
cache_claim() {
	exec 9>"$1/.lock-$2"
	flock 9
	[ -f "$1/$2/done" ]
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# apt-get update once per run (MMSTALL_APT_UPDATED is exported to children).
apt_update_once() {
	[ "${MMSTALL_APT_UPDATED:-0}" = 1 ] && return 0
	msg "apt-get update"
	as_root apt-get update -qq >&2
	export MMSTALL_APT_UPDATED=1
}

pkg_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ensure_pkgs PKG...: install whichever of PKG... is missing.
ensure_pkgs() {
	local p missing=()
	for p in "$@"; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	apt_update_once
	msg "apt-get install ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2
}

# has_make_target DIR TARGET: does DIR's Makefile define TARGET?
has_make_target() {
	[ -f "$1/Makefile" ] && grep -qE "^$2:" "$1/Makefile"
}

# build_bin DEST LOG: the kernel-independent guest binaries: the reader
# (userspace/mmstall, `make userspace` when userspace/Makefile exists) and every
# tests/workloads/*.c as a static binary. Prints one line per skipped item.
build_bin() {
	local dest=$1 log=$2 c
	mkdir -p "$dest"
	: >"$log"
	if [ -f "$REPO/userspace/Makefile" ]; then
		make -C "$REPO" userspace >>"$log" 2>&1 || return 1
	fi
	if [ -x "$REPO/userspace/mmstall" ]; then
		cp "$REPO/userspace/mmstall" "$dest/mmstall"
	else
		echo "reader userspace/mmstall not built (no userspace/Makefile yet)"
	fi
	for c in "$REPO"/tests/workloads/*.c; do
		[ -e "$c" ] || { echo "no tests/workloads/*.c"; break; }
		echo "gcc -O2 -static -pthread $c" >>"$log"
		gcc -O2 -static -pthread -Wall -o "$dest/$(basename "$c" .c)" "$c" \
			>>"$log" 2>&1 || return 1
	done
}

# build_module VER DEST_KO LOG: build mmstall.ko against kernel_build_dir VER
# in a private copy of the source tree (kernels never share objects, and the
# working tree is left alone). Returns 2 when module/ has no build files yet.
build_module() {
	local ver=$1 dest=$2 log=$3 kdir margs
	kdir=$(kernel_build_dir "$ver")
	read -r -a margs <<<"$(kernel_make_args "$ver")"
	local src
	src=$(dirname "$dest")/src
	if [ ! -f "$REPO/module/Kbuild" ] && [ ! -f "$REPO/module/Makefile" ]; then
		return 2
	fi
	rm -rf "$src"
	mkdir -p "$src"
	local out_rel=./out
	case $MMSTALL_OUT in "$REPO"/*) out_rel=./${MMSTALL_OUT#"$REPO"/} ;; esac
	tar -C "$REPO" --exclude=./out --exclude="$out_rel" --exclude=./.git --exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
		-cf - . | tar -C "$src" -xf -
	{
		echo "kernel $ver, KDIR=$kdir, source copy $src"
		if has_make_target "$src" module; then
			make -C "$src" module KDIR="$kdir" "${margs[@]}"
		else
			make -C "$src/module" KDIR="$kdir" "${margs[@]}"
		fi
	} >"$log" 2>&1 || return 1
	[ -f "$src/module/mmstall.ko" ] || { echo "no module/mmstall.ko" >>"$log"; return 1; }
	cp "$src/module/mmstall.ko" "$dest"
	# The vermagic must name the kernel we are going to boot.
	local vm
	vm=$(modinfo -F vermagic "$dest" | awk '{ print $1 }')
	echo "vermagic $vm" >>"$log"
	[ "$vm" = "$ver" ] || { echo "vermagic $vm != $ver" >>"$log"; return 1; }
}
