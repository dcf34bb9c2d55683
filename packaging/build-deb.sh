#!/usr/bin/env bash
# packaging/build-deb.sh: build the Debian packages into out/packages/:
#   mmstall-dkms_VERSION-1_all.deb  the module's source in /usr/src/mmstall-VERSION,
#                                   registered with DKMS on install
#   mmstall_VERSION-1_ARCH.deb      the reader, /usr/sbin/mmstall, its man
#                                   page and bash completion, and the
#                                   Prometheus exporter's unit (not enabled)
# Staged trees are packed with dpkg-deb; Depends of the reader come from
# dpkg-shlibdeps (none when it is linked statically). VERSION is read from
# uapi/mmstall.h. Prints the paths of the packages it built.
#
# Usage: packaging/build-deb.sh   (env: MMSTALL_OUT, MMSTALL_MAINTAINER)
set -euo pipefail
# shellcheck source=packaging/lib.sh
. "$(dirname "$0")/lib.sh"

DEBVER=$VERSION-1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# copyright PKG ROOT: the policy's copyright file.
copyright() {
	install -d "$2/usr/share/doc/$1"
	cat >"$2/usr/share/doc/$1/copyright" <<-END
		Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
		Upstream-Name: mmstall

		Files: *
		License: GPL-2.0
		 The kernel module is GPL-2.0; uapi/mmstall.h is GPL-2.0 WITH
		 Linux-syscall-note. On Debian systems the full text of the GPL
		 version 2 is in /usr/share/common-licenses/GPL-2.
	END
}

# control ROOT FIELDS...: DEBIAN/control from FIELDS plus Installed-Size.
control() {
	local root=$1
	shift
	install -d "$root/DEBIAN"
	{
		printf '%s\n' "$@"
		echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
	} >"$root/DEBIAN/control"
}

build_dkms_deb() {
	local root=$tmp/dkms pkg=mmstall-dkms
	"$REPO/scripts/stage-dkms-source.sh" "$root/usr/src/mmstall-$VERSION"
	copyright "$pkg" "$root"
	control "$root" "Package: $pkg" "Version: $DEBVER" "Architecture: all" \
		"Maintainer: $MAINTAINER" "Section: kernel" "Priority: optional" \
		"Depends: dkms (>= 2.1.0.0), make, gcc" \
		"Recommends: mmstall (= $DEBVER)" \
		"Description: $SUMMARY_DKMS" \
		" mmstall.ko times the kernel's memory-management slow paths (rwsem" \
		" waits on mmap_lock, slab refills, direct and memcg reclaim," \
		" compaction) per task with kprobes and tracepoints, and exposes" \
		" per-task histograms in debugfs. DKMS builds it for each kernel" \
		" whose headers are installed."
	# The maintainer scripts dh_dkms would write.
	cat >"$root/DEBIAN/postinst" <<-END
		#!/bin/sh
		set -e
		if [ "\$1" = configure ]; then
		        if [ -x /usr/lib/dkms/common.postinst ]; then
		                /usr/lib/dkms/common.postinst mmstall $VERSION "" "" "\$2"
		        else
		                dkms add mmstall/$VERSION || true
		                dkms autoinstall || true
		        fi
		fi
	END
	cat >"$root/DEBIAN/prerm" <<-END
		#!/bin/sh
		set -e
		case "\$1" in
		remove|upgrade|deconfigure)
		        dkms remove mmstall/$VERSION --all || true
		        ;;
		esac
	END
	chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
	dpkg-deb --root-owner-group -Zxz --build "$root" \
		"$PKG_OUT/${pkg}_${DEBVER}_all.deb" >/dev/null
	echo "$PKG_OUT/${pkg}_${DEBVER}_all.deb"
}

build_reader_deb() {
	local root=$tmp/reader src=$tmp/src arch deps pkg=mmstall
	arch=$(dpkg --print-architecture)
	copy_reader_source "$src"
	make -s -C "$src/userspace" >"$tmp/make.log" 2>&1 ||
		{ cat "$tmp/make.log" >&2; return 1; }
	install -D -m 0755 "$src/userspace/mmstall" "$root/usr/sbin/mmstall"
	strip --strip-unneeded "$root/usr/sbin/mmstall"
	copyright "$pkg" "$root"
	gzip -9n <"$REPO/README.md" >"$root/usr/share/doc/$pkg/README.md.gz"
	install -d "$root/usr/share/man/man8"
	gzip -9n <"$REPO/man/mmstall.8" >"$root/usr/share/man/man8/mmstall.8.gz"
	install -D -m 0644 "$REPO/completion/mmstall.bash" \
		"$root/usr/share/bash-completion/completions/mmstall"
	# Shipped, not enabled: the admin enables it.
	install -D -m 0644 "$REPO/packaging/systemd/mmstall-exporter.service" \
		"$root/lib/systemd/system/mmstall-exporter.service"
	# dpkg-shlibdeps wants a debian/control to read.
	mkdir -p "$tmp/shlibs/debian"
	printf 'Source: mmstall\n\nPackage: mmstall\nArchitecture: any\n' \
		>"$tmp/shlibs/debian/control"
	deps=$(cd "$tmp/shlibs" && dpkg-shlibdeps -O "$root/usr/sbin/mmstall" 2>/dev/null |
		sed -n 's/^shlibs:Depends=//p')
	control "$root" "Package: $pkg" "Version: $DEBVER" "Architecture: $arch" \
		"Maintainer: $MAINTAINER" "Section: admin" "Priority: optional" \
		${deps:+"Depends: $deps"} \
		"Recommends: mmstall-dkms (= $DEBVER)" \
		"Description: $SUMMARY_READER" \
		" mmstall reads the snapshot of the mmstall kernel module (debugfs) or" \
		" a saved one and prints who stalled where: text, JSON, histograms, a" \
		" top-like view."
	dpkg-deb --root-owner-group -Zxz --build "$root" \
		"$PKG_OUT/${pkg}_${DEBVER}_$arch.deb" >/dev/null
	echo "$PKG_OUT/${pkg}_${DEBVER}_$arch.deb"
}

main() {
	command -v dpkg-deb >/dev/null || { echo "error: dpkg-deb not found" >&2; exit 1; }
	mkdir -p "$PKG_OUT"
	build_dkms_deb
	build_reader_deb
}

main "$@"
