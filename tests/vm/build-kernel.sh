#!/usr/bin/env bash
# tests/vm/build-kernel.sh: build (once) a test kernel of our own.
#
# Usage: tests/vm/build-kernel.sh NAME   (a KERNEL_CONFIGS entry of lib.sh:
#        6.1-slab, 6.1-debug)
# Env:   MMSTALL_KERNEL_CACHE (default /var/cache/mmstall/kernels, else
#        ~/.cache/mmstall/kernels when that is not writable),
#        MMSTALL_LINUX_SOURCE (a linux-source-6.1 tarball; default
#        /usr/src/linux-source-6.1.tar.xz, installed with apt when missing),
#        MMSTALL_JOBS (make -j, default 3)
#
# Debian's linux-source-6.1, `make tinyconfig`, NAME's fragments
# (tests/vm/configs/, KERNEL_CONFIGS in lib.sh) merged over it in order (a
# later fragment overrides an earlier one), then bzImage and modules (which
# leaves Module.symvers, so out-of-tree modules build against the tree).
# The tree is built in place under CACHE/KEY/, KEY a hash of the fragments,
# the source tarball and this recipe: a later run with the same inputs
# reuses it (first build on 2 cores: about 7 minutes for 6.1-slab, 25 for
# 6.1-debug). The kernel release is 6.1.N-SUFFIX-KEY8, SUFFIX being NAME
# without "6.1-", and CACHE/by-release/RELEASE links to CACHE/KEY (how
# lib.sh finds the image and build tree of a release that is not in /boot).
#
# Prints three lines: release=RELEASE, image=PATH/bzImage, build=KDIR.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

RECIPE=1	# bump when the steps below change what gets built
name=${1:-}
if [ -z "$name" ] || [ -z "${KERNEL_CONFIGS[$name]:-}" ]; then
	die "usage: $0 NAME (one of: ${!KERNEL_CONFIGS[*]})"
fi
suffix=${name#6.1-}
fragments=()
for f in ${KERNEL_CONFIGS[$name]}; do
	[ -r "$VM_DIR/configs/$f" ] || die "cannot read $VM_DIR/configs/$f"
	fragments+=("$VM_DIR/configs/$f")
done

src_tar=${MMSTALL_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
if [ ! -r "$src_tar" ]; then
	[ -n "${MMSTALL_LINUX_SOURCE:-}" ] && die "cannot read $src_tar"
	ensure_pkgs linux-source-6.1 >&2
	[ -r "$src_tar" ] || die "linux-source-6.1 did not install $src_tar"
fi
ensure_pkgs bc flex bison libelf-dev libssl-dev make gcc xz-utils >&2

cache=$(kernel_cache_dir)
mkdir -p "$cache/by-release"
key=$({
	echo "recipe $RECIPE"
	cat "${fragments[@]}"
	echo "source $(basename "$src_tar") $(stat -c %s "$src_tar")"
} | sha256sum | cut -c1-16)
dir=$cache/$key

print_result() {
	echo "release=$(cat "$dir/release")"
	echo "image=$dir/bzImage"
	echo "build=$dir/build"
}

if cache_claim "$cache" "$key"; then
	print_result
	exit 0
fi

start=$SECONDS
msg "building the $name kernel in $dir" >&2
rm -rf "$dir"
mkdir -p "$dir"
tar -C "$dir" -xf "$src_tar"
tree=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n1)
[ -n "$tree" ] || die "no linux-source-* directory in $src_tar"
ln -s "$(basename "$tree")" "$dir/build"

log=$dir/build.log
{
	make -C "$tree" tinyconfig
	printf 'CONFIG_LOCALVERSION="-%s-%s"\n' "$suffix" "${key:0:8}" >"$dir/localversion.config"
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "${fragments[@]}" \
		"$dir/localversion.config")
	make -C "$tree" olddefconfig
} >"$log" 2>&1 || die "configuring failed, see $log"

# Options the tests depend on must have survived olddefconfig: each
# option's last setting in the fragments.
missing=()
while read -r line; do
	case $line in
	CONFIG_*=y) grep -qx "$line" "$tree/.config" || missing+=("$line") ;;
	'# CONFIG_'*' is not set')
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$tree/.config" && missing+=("$line")
		;;
	esac
done < <(awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { o = $0; sub(/=.*/, "", o) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { o = $2 }
	o != "" { if (!(o in last)) order[n++] = o; last[o] = $0; o = "" }
	END { for (i = 0; i < n; i++) print last[order[i]] }' "${fragments[@]}")
[ ${#missing[@]} -eq 0 ] || die "options not in the final .config: ${missing[*]}"

make -C "$tree" -j"${MMSTALL_JOBS:-3}" bzImage modules >>"$log" 2>&1 ||
	die "kernel build failed, see $log"
[ -f "$tree/Module.symvers" ] || die "no Module.symvers after make modules"
cp "$tree/arch/x86/boot/bzImage" "$dir/bzImage"
make -s -C "$tree" kernelrelease >"$dir/release"
ln -sfn "../$key" "$cache/by-release/$(cat "$dir/release")"
echo "$((SECONDS - start)) s" >"$dir/build-time"
touch "$dir/done"
msg "$name kernel built in $((SECONDS - start)) s" >&2
print_result
