#!/usr/bin/env bash
# packaging/build-rpm.sh: build the RPMs of packaging/mmstall.spec into
# out/packages/ (mmstall-VERSION-1.ARCH.rpm, the reader, and
# mmstall-dkms-VERSION-1.noarch.rpm). Makes the Source0 tarball from the
# working tree, then runs rpmbuild -bb with a private _topdir. VERSION is
# read from uapi/mmstall.h. On a host whose packages are not in the RPM
# database (Debian's rpm package) BuildRequires cannot be checked: --nodeps.
# Prints the paths of the packages it built.
#
# Usage: packaging/build-rpm.sh   (env: MMSTALL_OUT)
set -euo pipefail
# shellcheck source=packaging/lib.sh
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

main() {
	local top=$tmp/rpmbuild name=mmstall-$VERSION opts=() f
	command -v rpmbuild >/dev/null || { echo "error: rpmbuild not found" >&2; exit 1; }
	mkdir -p "$top"/{SOURCES,SPECS,BUILD,RPMS,SRPMS} "$tmp/$name" "$PKG_OUT"

	# The tarball: what the spec builds and installs, no build products.
	copy_reader_source "$tmp/$name"
	mkdir -p "$tmp/$name/module"
	tar -C "$REPO" --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers \
		--exclude=modules.order --exclude='*.order' \
		-cf - Makefile README.md module dkms scripts packaging/systemd man \
		completion | tar -C "$tmp/$name" -xf -
	tar -C "$tmp" -czf "$top/SOURCES/$name.tar.gz" "$name"

	rpm -q glibc >/dev/null 2>&1 || opts+=(--nodeps)
	rpmbuild -bb "${opts[@]}" \
		--define "_topdir $top" \
		--define "mmstall_version $VERSION" \
		--define "debug_package %{nil}" \
		"$REPO/packaging/mmstall.spec" >"$tmp/rpmbuild.log" 2>&1 ||
		{ tail -n 40 "$tmp/rpmbuild.log" >&2; exit 1; }
	for f in "$top"/RPMS/*/*.rpm; do
		cp "$f" "$PKG_OUT/"
		echo "$PKG_OUT/$(basename "$f")"
	done
}

main "$@"
