#!/usr/bin/env bash
# tests/packaging/run.sh: DKMS, .deb and .rpm packaging, as TAP 13.
#
# Usage: tests/packaging/run.sh   (as root, or with sudo; called by tests/run-all.sh)
#
# Installs dkms, dpkg-dev and rpm if missing (apt). Resolves the 6.1 and 6.12
# cloud kernels as tests/vm/kernels.sh does, then: `make dkms-install` (source
# into /usr/src/mmstall-VERSION, dkms add), `dkms build` and `dkms install`
# for each kernel (files into /lib/modules/VER/updates/dkms only: nothing is
# ever loaded), the .ko's vermagic against VER; `make deb` and `make rpm`
# and the packages' file lists; the reader's --help from the .deb unpacked
# into a scratch root; then `dkms remove --all` and a check that nothing is
# left. Any mmstall/VERSION already registered with DKMS is replaced.
# Last, scripts/graft-into-kernel.sh on a copy (in /tmp, about 1.6 GB) of
# the 6.1-slab kernel tree, if built, and an in-tree build with
# CONFIG_MMSTALL=m.
# A copy of each DKMS-built module is kept as $MMSTALL_OUT/packaging/VER/
# mmstall.ko (for MMSTALL_KO_OVERRIDE, tests/vm/run-matrix.sh). Logs in
# $MMSTALL_OUT/packaging/. Exit status 1 if anything failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"
# shellcheck source=tests/vm/tap.sh
. "$VM_DIR/tap.sh"

KERNELS=(6.1-cloud 6.12-cloud)
VERSION=$("$REPO/scripts/version.sh")
LOGS=$MMSTALL_OUT/packaging
SCRATCH=$(mktemp -d)
DKMS_READY=0

# step DESC LOG CMD...: run CMD with its output in LOG; ok, or not ok with
# the end of LOG as diagnostics. Returns CMD's status.
step() {
	local desc=$1 log=$2 rc=0
	shift 2
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc (exit $rc)"
		tap_diag "$(tail -n 25 "$log")"
	fi
	return "$rc"
}

# expect_files DESC LISTING PATH...: ok if every PATH is a line of LISTING.
expect_files() {
	local desc=$1 listing=$2 p missing=()
	shift 2
	for p in "$@"; do
		grep -qxF -- "$p" "$listing" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc"
		tap_diag "missing: ${missing[*]}"
	fi
}

# vermagic_is VER KO: the first word of KO's vermagic is VER.
vermagic_is() {
	local vm
	vm=$(modinfo -F vermagic "$2" 2>/dev/null | awk '{ print $1 }')
	[ "$vm" = "$1" ] || { echo "vermagic of $2 is '$vm', not $1"; return 1; }
}

dkms_clean() {
	as_root dkms remove "mmstall/$VERSION" --all >>"$LOGS/dkms-remove.log" 2>&1 || true
	as_root rm -rf "/usr/src/mmstall-$VERSION"
}

cleanup() {
	if [ "$DKMS_READY" = 1 ]; then dkms_clean; fi
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

test_kernel() {
	local name=$1 ver=$2 built inst
	if ! step "dkms build -k $ver ($name)" "$LOGS/dkms-build-$ver.log" \
		as_root dkms build -k "$ver" "mmstall/$VERSION"; then
		tap_diag "$(tail -n 25 "/var/lib/dkms/mmstall/$VERSION/build/make.log" 2>/dev/null)"
		tap_skip "dkms install -k $ver ($name)" "the build failed"
		return 0
	fi
	built=$(find "/var/lib/dkms/mmstall/$VERSION/$ver" -name 'mmstall.ko*' 2>/dev/null | head -n1)
	step "$name: DKMS-built module's vermagic is $ver" "$LOGS/vermagic-$ver.log" \
		vermagic_is "$ver" "${built:-/nonexistent}" || true
	# Kept uncompressed for the QEMU harness (busybox insmod).
	mkdir -p "$LOGS/$ver"
	case $built in
	*.xz) xz -dc "$built" >"$LOGS/$ver/mmstall.ko" ;;
	*.zst) zstd -qdc "$built" >"$LOGS/$ver/mmstall.ko" ;;
	?*) cp "$built" "$LOGS/$ver/mmstall.ko" ;;
	esac

	step "dkms install -k $ver ($name)" "$LOGS/dkms-install-$ver.log" \
		as_root dkms install -k "$ver" "mmstall/$VERSION" || return 0
	inst=$(modinfo -k "$ver" -n mmstall 2>/dev/null || true)
	case $inst in
	"/lib/modules/$ver/updates/"*)
		step "$name: depmod finds the installed module, vermagic $ver" \
			"$LOGS/installed-$ver.log" vermagic_is "$ver" "$inst" || true ;;
	*)
		tap_fail "$name: depmod finds the installed module"
		tap_diag "modinfo -k $ver -n mmstall: '$inst'" ;;
	esac
}

test_dkms() {
	local kernels name ver
	if ! command -v dkms >/dev/null; then
		tap_skip "dkms" "dkms is not installed and could not be installed"
		return 0
	fi
	if ! kernels=$("$VM_DIR/kernels.sh" "${KERNELS[@]}" 2>"$LOGS/kernels.log"); then
		tap_fail "resolve kernels ${KERNELS[*]}"
		tap_diag "$(tail -n 20 "$LOGS/kernels.log")"
		return 0
	fi
	tap_ok "resolve kernels: $(paste -sd' ' <<<"$kernels")"

	DKMS_READY=1
	dkms_clean
	step "make dkms-install (/usr/src/mmstall-$VERSION, dkms add)" \
		"$LOGS/dkms-add.log" as_root make -C "$REPO" dkms-install || return 0
	step "dkms.conf says PACKAGE_VERSION=\"$VERSION\"" "$LOGS/dkms-conf.log" \
		grep -qxF "PACKAGE_VERSION=\"$VERSION\"" "/usr/src/mmstall-$VERSION/dkms.conf" || true
	while read -r name ver; do
		test_kernel "$name" "$ver"
	done <<<"$kernels"

	dkms_clean
	DKMS_READY=0
	local left
	left=$( (dkms status 2>/dev/null | grep '^mmstall[/,]' || true
		ls -d "/usr/src/mmstall-$VERSION" /lib/modules/*/updates/dkms/mmstall.ko* 2>/dev/null || true) |
		paste -sd' ')
	if [ -z "$left" ]; then
		tap_ok "dkms remove --all: nothing left"
	else
		tap_fail "dkms remove --all: nothing left"
		tap_diag "left: $left"
	fi
}

test_deb() {
	local dkms_deb reader_deb src=./usr/src/mmstall-$VERSION
	if ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
		tap_skip "deb" "dpkg-deb or dpkg-shlibdeps (dpkg-dev) missing"
		return 0
	fi
	step "make deb" "$LOGS/deb.log" make -C "$REPO" deb || return 0
	dkms_deb=$(grep -o '/[^ ]*/mmstall-dkms_[^ ]*\.deb' "$LOGS/deb.log" | tail -n1)
	reader_deb=$(grep -o '/[^ ]*/mmstall_[^ ]*\.deb' "$LOGS/deb.log" | tail -n1)

	dpkg-deb -c "$dkms_deb" | awk '{ print $NF }' >"$SCRATCH/dkms-deb.txt"
	expect_files "mmstall-dkms .deb: dkms.conf and sources in /usr/src/mmstall-$VERSION" \
		"$SCRATCH/dkms-deb.txt" "$src/dkms.conf" "$src/Makefile" "$src/module/Kbuild" \
		"$src/module/Makefile" "$src/module/main.c" "$src/module/compat/version.h" \
		"$src/uapi/mmstall.h"
	if grep -qE '\.(o|ko|cmd)$|mod\.c$' "$SCRATCH/dkms-deb.txt"; then
		tap_fail "mmstall-dkms .deb: no build products"
		tap_diag "$(grep -E '\.(o|ko|cmd)$|mod\.c$' "$SCRATCH/dkms-deb.txt" | head)"
	else
		tap_ok "mmstall-dkms .deb: no build products"
	fi
	dpkg-deb -c "$reader_deb" | awk '{ print $NF }' >"$SCRATCH/reader-deb.txt"
	expect_files "mmstall .deb: the reader at /usr/sbin/mmstall, the exporter's unit" \
		"$SCRATCH/reader-deb.txt" ./usr/sbin/mmstall \
		./lib/systemd/system/mmstall-exporter.service

	mkdir -p "$SCRATCH/root"
	if dpkg -x "$reader_deb" "$SCRATCH/root" &&
		"$SCRATCH/root/usr/sbin/mmstall" --help >"$LOGS/reader-help.log" 2>&1 &&
		grep -q '^USAGE: mmstall' "$LOGS/reader-help.log"; then
		tap_ok "mmstall .deb: unpacked reader runs --help"
	else
		tap_fail "mmstall .deb: unpacked reader runs --help"
		tap_diag "$(head -n 10 "$LOGS/reader-help.log" 2>/dev/null)"
	fi
}

test_rpm() {
	local f
	if ! command -v rpmbuild >/dev/null; then
		tap_skip "rpm" "rpmbuild (package rpm) missing"
		return 0
	fi
	step "make rpm" "$LOGS/rpm.log" make -C "$REPO" rpm || return 0
	f=$(grep -o "/[^ ]*/mmstall-$VERSION-[^ ]*\.rpm" "$LOGS/rpm.log" | tail -n1)
	rpm -qlp "$f" >"$SCRATCH/reader-rpm.txt" 2>/dev/null || true
	expect_files "mmstall .rpm: the reader at /usr/sbin/mmstall, the exporter's unit" \
		"$SCRATCH/reader-rpm.txt" /usr/sbin/mmstall \
		/usr/lib/systemd/system/mmstall-exporter.service
	f=$(grep -o "/[^ ]*/mmstall-dkms-$VERSION-[^ ]*\.rpm" "$LOGS/rpm.log" | tail -n1)
	rpm -qlp "$f" >"$SCRATCH/dkms-rpm.txt" 2>/dev/null || true
	expect_files "mmstall-dkms .rpm: dkms.conf and sources in /usr/src/mmstall-$VERSION" \
		"$SCRATCH/dkms-rpm.txt" "/usr/src/mmstall-$VERSION/dkms.conf" \
		"/usr/src/mmstall-$VERSION/module/main.c" "/usr/src/mmstall-$VERSION/uapi/mmstall.h"
}

# graft_tree SRC TREE: TREE, a copy of the configured tree SRC, with mmstall
# grafted and CONFIG_MMSTALL=m.
graft_tree() {
	# Called as a condition, so no set -e here: chain with &&.
	cp -a "$1" "$2" &&
		"$REPO/scripts/graft-into-kernel.sh" "$2" &&
		(cd "$2" && scripts/config --module MMSTALL && make olddefconfig) &&
		grep -x CONFIG_MMSTALL=m "$2/.config"
}

# test_in_tree: graft into a copy of a configured kernel tree (the 6.1-slab
# kernel of tests/vm/slab-kernel.sh, when it has been built; never the
# cached tree itself) and build mmstall.ko there with CONFIG_MMSTALL=m.
test_in_tree() {
	local d src='' tree=$SCRATCH/linux ko
	for d in "$(kernel_cache_dir)"/by-release/*/build; do
		[ -f "$d/.config" ] && { src=$(readlink -f "$d"); break; }
	done
	if [ -z "$src" ]; then
		tap_skip "in-tree build" "no configured kernel tree (tests/vm/slab-kernel.sh builds one)"
		return 0
	fi
	if ! step "in-tree: copy $src, graft-into-kernel.sh, CONFIG_MMSTALL=m" \
		"$LOGS/in-tree-graft.log" graft_tree "$src" "$tree"; then
		rm -rf "$tree"
		return 0
	fi
	ko=$tree/drivers/misc/mmstall/module/mmstall.ko
	step "in-tree: make drivers/misc/mmstall/module/mmstall.ko" "$LOGS/in-tree-build.log" \
		make -C "$tree" -j"$(nproc)" drivers/misc/mmstall/module/mmstall.ko || true
	if [ -f "$ko" ] && [ "$(modinfo -F intree "$ko")" = Y ]; then
		tap_ok "in-tree: mmstall.ko is marked intree"
	else
		tap_fail "in-tree: mmstall.ko is marked intree"
	fi
	rm -rf "$tree"
}

main() {
	local t0=$SECONDS
	mkdir -p "$LOGS"
	echo "TAP version 13"
	if ensure_pkgs dkms dpkg-dev rpm >"$LOGS/apt.log" 2>&1; then
		tap_ok "tools: dkms dpkg-dev rpm"
	else
		tap_skip "tools: dkms dpkg-dev rpm" "apt-get install failed (see $LOGS/apt.log)"
	fi
	test_dkms
	test_deb
	test_rpm
	test_in_tree
	tap_diag "packaging took $((SECONDS - t0)) s; packages in $MMSTALL_OUT/packages"
	echo "1..$TAP_N"
	[ "$TAP_FAIL" -eq 0 ]
}

main "$@"
