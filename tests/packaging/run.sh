#!/usr/bin/env bash
# tests/packaging/run.sh: DKMS, .deb and .rpm packaging, as TAP 13.
#
# Usage: tests/packaging/run.sh   (as root, or with sudo; called by tests/run-all.sh)
#
# Installs dkms, dpkg-dev, rpm and debootstrap if missing (apt). Resolves the
# 6.1 and 6.12 cloud kernels as tests/vm/kernels.sh does, then: `make
# dkms-install` (source into /usr/src/mmstall-VERSION, dkms add), `dkms
# build` and `dkms install` for each kernel (files into
# /lib/modules/VER/updates/dkms only: nothing is ever loaded), the .ko's
# vermagic against VER; then `dkms remove --all` and a check that nothing
# is left. Any mmstall/VERSION already registered with DKMS is replaced.
# `make deb` and `make rpm` and the packages' file lists; the packages
# installed and removed in a Debian bookworm root (install.sh). Last, the
# in-tree builds (in-tree.sh): in a copy of the 6.1-slab kernel tree, if
# built, and with O= in linux-source-6.1 and -6.12.
# A copy of each DKMS-built module is kept as $MMSTALL_OUT/packaging/VER/
# mmstall.ko (for MMSTALL_KO_OVERRIDE, tests/vm/run-matrix.sh). Logs in
# $MMSTALL_OUT/packaging/. Exit status 1 if anything failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"
# shellcheck source=tests/vm/tap.sh
. "$VM_DIR/tap.sh"
# shellcheck source=tests/packaging/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/packaging/install.sh
. "$here/install.sh"
# shellcheck source=tests/packaging/in-tree.sh
. "$here/in-tree.sh"

KERNELS=(6.1-cloud 6.12-cloud)
VERSION=$("$REPO/scripts/version.sh")
LOGS=$MMSTALL_OUT/packaging
SCRATCH=$(mktemp -d)
DKMS_READY=0
BUILT_DEBS=()	# reader, -dev, -dkms, once make deb has built them
BUILT_RPMS=()	# reader, -dkms, -devel, once make rpm has built them

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

# package_path LOG NAME: the path of package NAME (a regex: file name up to
# its version) that the build printed in LOG.
package_path() {
	grep -oE "/[^ ]*/$2[-_]${VERSION}[-_][^ /]*\.(deb|rpm)" "$1" | tail -n1
}

test_deb() {
	local dkms_deb reader_deb dev_deb src=./usr/src/mmstall-$VERSION hdrs
	if ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
		tap_skip "deb" "dpkg-deb or dpkg-shlibdeps (dpkg-dev) missing"
		return 0
	fi
	step "make deb" "$LOGS/deb.log" make -C "$REPO" deb || return 0
	dkms_deb=$(package_path "$LOGS/deb.log" mmstall-dkms)
	reader_deb=$(package_path "$LOGS/deb.log" mmstall)
	dev_deb=$(package_path "$LOGS/deb.log" mmstall-dev)
	BUILT_DEBS=("$reader_deb" "$dev_deb" "$dkms_deb")

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
	dpkg-deb -c "$dev_deb" | awk '$1 !~ /^d/ { print $NF }' >"$SCRATCH/dev-deb.txt"
	expect_files "mmstall-dev .deb: the header at /usr/include/mmstall/mmstall.h" \
		"$SCRATCH/dev-deb.txt" ./usr/include/mmstall/mmstall.h
	if dpkg-deb -x "$dev_deb" "$SCRATCH/dev" &&
		cmp -s "$REPO/uapi/mmstall.h" "$SCRATCH/dev/usr/include/mmstall/mmstall.h"; then
		tap_ok "mmstall-dev .deb: the header is uapi/mmstall.h"
	else
		tap_fail "mmstall-dev .deb: the header is uapi/mmstall.h"
	fi
	make -s -C "$REPO" install-header DESTDIR="$SCRATCH/hdr" PREFIX=/usr \
		>"$LOGS/install-header.log" 2>&1 || true
	(cd "$SCRATCH/hdr" 2>/dev/null && find . ! -type d) >"$SCRATCH/hdr.txt" || true
	mapfile -t hdrs < <(grep '^\./usr/include/' "$SCRATCH/dev-deb.txt")
	expect_files "make install-header PREFIX=/usr: where mmstall-dev puts it" \
		"$SCRATCH/hdr.txt" "${hdrs[@]:-(no header in mmstall-dev)}"
}

test_rpm() {
	local f
	if ! command -v rpmbuild >/dev/null; then
		tap_skip "rpm" "rpmbuild (package rpm) missing"
		return 0
	fi
	step "make rpm" "$LOGS/rpm.log" make -C "$REPO" rpm || return 0
	f=$(package_path "$LOGS/rpm.log" mmstall)
	BUILT_RPMS=("$f")
	rpm -qlp "$f" >"$SCRATCH/reader-rpm.txt" 2>/dev/null || true
	expect_files "mmstall .rpm: the reader at /usr/sbin/mmstall, the exporter's unit" \
		"$SCRATCH/reader-rpm.txt" /usr/sbin/mmstall \
		/usr/lib/systemd/system/mmstall-exporter.service
	f=$(package_path "$LOGS/rpm.log" mmstall-dkms)
	BUILT_RPMS+=("$f")
	rpm -qlp "$f" >"$SCRATCH/dkms-rpm.txt" 2>/dev/null || true
	expect_files "mmstall-dkms .rpm: dkms.conf and sources in /usr/src/mmstall-$VERSION" \
		"$SCRATCH/dkms-rpm.txt" "/usr/src/mmstall-$VERSION/dkms.conf" \
		"/usr/src/mmstall-$VERSION/module/main.c" "/usr/src/mmstall-$VERSION/uapi/mmstall.h"
	f=$(package_path "$LOGS/rpm.log" mmstall-devel)
	BUILT_RPMS+=("$f")
	rpm -qlp "$f" >"$SCRATCH/devel-rpm.txt" 2>/dev/null || true
	expect_files "mmstall-devel .rpm: the header at /usr/include/mmstall/mmstall.h" \
		"$SCRATCH/devel-rpm.txt" /usr/include/mmstall/mmstall.h
}

# timed CMD...: CMD, and how long it took as a diagnostic.
timed() {
	local t0=$SECONDS
	"$@"
	tap_diag "$* took $((SECONDS - t0)) s"
}

main() {
	local t0=$SECONDS
	mkdir -p "$LOGS"
	echo "TAP version 13"
	if ensure_pkgs dkms dpkg-dev rpm debootstrap >"$LOGS/apt.log" 2>&1; then
		tap_ok "tools: dkms dpkg-dev rpm debootstrap"
	else
		tap_skip "tools: dkms dpkg-dev rpm debootstrap" "apt-get install failed (see $LOGS/apt.log)"
	fi
	timed test_dkms
	timed test_deb
	timed test_rpm
	timed test_install
	timed test_in_tree
	timed test_in_tree_o 6.1
	timed test_in_tree_o 6.12
	tap_diag "packaging took $((SECONDS - t0)) s; packages in $MMSTALL_OUT/packages"
	echo "1..$TAP_N"
	[ "$TAP_FAIL" -eq 0 ]
}

main "$@"
