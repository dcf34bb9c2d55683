# shellcheck shell=bash
# tests/packaging/install.sh: the built packages installed on a real Debian
# system and taken out again (sourced by run.sh, after lib.sh).
#
# test_install: the packages in the arrays BUILT_DEBS and BUILT_RPMS (set by
# run.sh when it built them; either may be empty). On a copy of the bookworm root of
# tests/packaging/pkgroot.sh, in a chroot: `dpkg -i` the .debs (their Depends
# must be met by what is there: dpkg refuses otherwise), the reader's --help,
# the files where they belong, the mmstall-dkms postinst registering,
# building and installing the module for the root's kernel headers, a C
# program built against the installed header; `dpkg -r mmstall-dkms` (its
# prerm: dkms remove), `dpkg -P` of the rest, and nothing of theirs left.
# Then the same root for the RPMs: `rpm -i --nodeps --root` (scriptlets run
# chrooted: %post dkms add), the files, --help, the header; `rpm -e`, and
# nothing left. Needs root (chroot, mounts); the mounts are made in a private
# mount namespace and go away with it. Uses REPO, VERSION, LOGS, SCRATCH.

HEADER_PATH=/usr/include/mmstall/mmstall.h
INST_BASE=	# the cached root (never written)
INST_ROOT=	# the copy the tests write to

# in_ns CMD...: CMD in a private mount namespace where INST_ROOT has /proc
# and /dev mounted.
in_ns() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -c \
		'mount -t proc proc "$0/proc" && mount --bind /dev "$0/dev" && exec "$@"' \
		"$INST_ROOT" "$@"
}

# in_root CMD...: CMD chrooted into INST_ROOT, with a clean environment.
in_root() {
	in_ns chroot "$INST_ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
}

# rpm_root ARGS...: the host's rpm on INST_ROOT's database.
rpm_root() {
	in_ns rpm --root "$INST_ROOT" --dbpath /var/lib/rpm "$@"
}

# check_present DESC PATH...: ok if every PATH exists in INST_ROOT.
check_present() {
	local desc=$1 p missing=()
	shift
	for p in "$@"; do
		[ -e "$INST_ROOT$p" ] || missing+=("$p")
	done
	ok_unless "$desc" missing "${missing[@]}"
}

# check_gone DESC LIST: ok if no path of LIST (one a line) is left in
# INST_ROOT, but for directories that were in the base root already.
check_gone() {
	local desc=$1 p left=()
	while read -r p; do
		if [ -z "$p" ] || [ ! -e "$INST_ROOT$p" ]; then
			continue
		fi
		if [ -d "$INST_ROOT$p" ] && [ -d "$INST_BASE$p" ]; then
			continue
		fi
		left+=("$p")
	done <"$2"
	ok_unless "$desc" left "${left[@]}"
}

# check_dkms DESC PATTERN: ok if `dkms status` in the root has a line that
# matches the extended regex PATTERN. "" means: DKMS knows no mmstall, no
# line and no /var/lib/dkms/mmstall (dkms status says nothing of a module
# whose source is gone).
check_dkms() {
	local desc=$1 pattern=$2 out
	out=$(in_root dkms status 2>&1 || true)
	if [ -n "$pattern" ] && grep -qE "$pattern" <<<"$out"; then
		tap_ok "$desc"
	elif [ -z "$pattern" ] && ! grep -q '^mmstall[/,]' <<<"$out" &&
		[ ! -e "$INST_ROOT/var/lib/dkms/mmstall" ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc"
		tap_diag "dkms status: ${out:-(nothing)}" \
			"$(ls -d "$INST_ROOT/var/lib/dkms/mmstall" 2>/dev/null)"
	fi
}

# check_reader WHAT: the installed reader runs --help in the root.
check_reader() {
	local log=$LOGS/install-$1-help.log
	if in_root mmstall --help >"$log" 2>&1 && grep -q '^USAGE: mmstall' "$log"; then
		tap_ok "$1: /usr/sbin/mmstall --help runs in the root"
	else
		tap_fail "$1: /usr/sbin/mmstall --help runs in the root"
		tap_diag "$(head -n 10 "$log")"
	fi
}

# check_header WHAT: a C program that includes the installed header builds
# in the root with -Werror and prints the version and magic it defines.
check_header() {
	local log=$LOGS/install-$1-header.log want
	cat >"$INST_ROOT/tmp/snapinfo.c" <<-'END'
		#include <stdio.h>
		#include <mmstall/mmstall.h>

		int main(void)
		{
			static const char *const classes[] = MMSTALL_CLASS_NAMES;
			struct mmstall_snap_header h = { .magic = MMSTALL_SNAP_MAGIC };

			printf("%s %d %llx %s %zu\n", MMSTALL_VERSION, MMSTALL_ABI_VERSION,
			       (unsigned long long)h.magic, classes[0], sizeof(h));
			return 0;
		}
	END
	want="$VERSION $(sed -n 's/^#define[[:space:]]*MMSTALL_ABI_VERSION[[:space:]]*\([0-9]*\).*/\1/p' \
		"$REPO/uapi/mmstall.h") 314c4c4154534d4d rwsem_read"
	if in_root gcc -std=gnu11 -Wall -Wextra -Werror -o /tmp/snapinfo /tmp/snapinfo.c \
		>"$log" 2>&1 && in_root /tmp/snapinfo >>"$log" 2>&1 &&
		grep -q "^$want [0-9]" "$log"; then
		tap_ok "$1: a program including <mmstall/mmstall.h> builds in the root"
	else
		tap_fail "$1: a program including <mmstall/mmstall.h> builds in the root"
		tap_diag "wanted '$want SIZE'" "$(tail -n 15 "$log")"
	fi
	rm -f "$INST_ROOT/tmp/snapinfo" "$INST_ROOT/tmp/snapinfo.c"
}

# root_kver: the release of the kernel whose headers the root has.
root_kver() {
	find "$INST_ROOT/lib/modules/" -mindepth 2 -maxdepth 2 -name build \
		-printf '%h\n' | head -n1 | xargs basename
}

install_debs() {
	local debs=("$@") names=() f kver ko listed
	mkdir -p "$INST_ROOT/tmp/pkgs"
	for f in "${debs[@]}"; do
		cp "$f" "$INST_ROOT/tmp/pkgs/"
		names+=("/tmp/pkgs/$(basename "$f")")
	done
	step "deb: dpkg -i mmstall mmstall-dev mmstall-dkms in a bookworm root" \
		"$LOGS/install-dpkg-i.log" in_root dpkg -i "${names[@]}" || return 0
	in_root dpkg -L mmstall mmstall-dev mmstall-dkms >"$SCRATCH/deb-files.txt"
	mapfile -t listed <"$SCRATCH/deb-files.txt"
	check_present "deb: every file dpkg -L lists is there" "${listed[@]}"
	check_present "deb: files in place (reader, man page, completion, unit, header, DKMS source)" \
		/usr/sbin/mmstall /usr/share/man/man8/mmstall.8.gz \
		/usr/share/bash-completion/completions/mmstall \
		/lib/systemd/system/mmstall-exporter.service \
		"$HEADER_PATH" "/usr/src/mmstall-$VERSION/dkms.conf" \
		"/usr/src/mmstall-$VERSION/module/Kbuild"
	check_reader deb
	check_header deb

	kver=$(root_kver)
	check_dkms "deb: postinst built and installed mmstall/$VERSION for $kver (dkms status)" \
		"^mmstall/$VERSION, $kver, [^:]*: installed"
	ko=$(find "$INST_ROOT/lib/modules/$kver/updates/dkms/" -name 'mmstall.ko*' \
		2>/dev/null | head -n1)
	step "deb: /lib/modules/$kver/updates/dkms/mmstall.ko, vermagic $kver" \
		"$LOGS/install-vermagic.log" vermagic_is "$kver" "${ko:-/nonexistent}" || true

	step "deb: dpkg -r mmstall-dkms" "$LOGS/install-dpkg-r.log" \
		in_root dpkg -r mmstall-dkms || true
	check_dkms "deb: prerm took mmstall out of DKMS" ""
	grep -E '^/usr/src/mmstall-' "$SCRATCH/deb-files.txt" >"$SCRATCH/dkms-files.txt"
	echo "/lib/modules/$kver/updates/dkms/mmstall.ko" >>"$SCRATCH/dkms-files.txt"
	check_gone "deb: nothing left of mmstall-dkms (source, module)" \
		"$SCRATCH/dkms-files.txt"
	step "deb: dpkg -P mmstall mmstall-dev mmstall-dkms" "$LOGS/install-dpkg-P.log" \
		in_root dpkg -P mmstall mmstall-dev mmstall-dkms || true
	find "$INST_ROOT/var/lib/dpkg/info/" -name 'mmstall*' -printf '/var/lib/dpkg/info/%f\n' \
		>>"$SCRATCH/deb-files.txt"
	check_gone "deb: purged: no file of the packages left" "$SCRATCH/deb-files.txt"
}

# rpm_install RPM...: a new RPM database in the root, RPM... installed. The
# root's Debian packages are not in that database: --nodeps.
rpm_install() {
	rm -rf "$INST_ROOT/var/lib/rpm"
	rpm_root --initdb && rpm_root -i --nodeps "$@"
}

install_rpms() {
	local listed kver
	step "rpm: rpm -i --nodeps --root: mmstall mmstall-dkms mmstall-devel" \
		"$LOGS/install-rpm-i.log" rpm_install "$@" || return 0
	rpm_root -qla >"$SCRATCH/rpm-files.txt" 2>/dev/null || true
	mapfile -t listed <"$SCRATCH/rpm-files.txt"
	check_present "rpm: every file rpm -ql lists is there" "${listed[@]}"
	check_present "rpm: files in place (reader, completion, unit, header, DKMS source)" \
		/usr/sbin/mmstall /usr/share/bash-completion/completions/mmstall \
		/usr/lib/systemd/system/mmstall-exporter.service \
		"$HEADER_PATH" "/usr/src/mmstall-$VERSION/dkms.conf"
	check_reader rpm
	check_header rpm
	kver=$(root_kver)
	check_dkms "rpm: %post built and installed mmstall/$VERSION for $kver, the root's headers, not the running kernel's (dkms status)" \
		"^mmstall/$VERSION, $kver, [^:]*: installed"
	step "rpm: rpm -e mmstall mmstall-dkms mmstall-devel" "$LOGS/install-rpm-e.log" \
		rpm_root -e mmstall mmstall-dkms mmstall-devel || true
	check_dkms "rpm: %preun took mmstall out of DKMS" ""
	check_gone "rpm: erased: no file of the packages left" "$SCRATCH/rpm-files.txt"
}

# all_files PATH...: every PATH is a file (none empty).
all_files() {
	local f
	for f in "$@"; do [ -f "$f" ] || return 1; done
}

test_install() {
	if [ "$(id -u)" -ne 0 ]; then
		tap_skip "install in a Debian root" "needs root (debootstrap, chroot)"
		return 0
	fi
	if ! INST_BASE=$("$REPO/tests/packaging/pkgroot.sh" 2>"$LOGS/pkgroot.log"); then
		tap_fail "install: a bookworm root (tests/packaging/pkgroot.sh)"
		tap_diag "$(tail -n 20 "$LOGS/pkgroot.log")"
		return 0
	fi
	INST_ROOT=$SCRATCH/pkgroot
	rm -rf "$INST_ROOT"
	cp -a "$INST_BASE" "$INST_ROOT"
	tap_ok "install: a bookworm root (copy of $INST_BASE)"
	if [ ${#BUILT_DEBS[@]} -eq 3 ] && all_files "${BUILT_DEBS[@]}"; then
		install_debs "${BUILT_DEBS[@]}"
	else
		tap_skip "deb: install" "the .debs were not built"
	fi
	if [ ${#BUILT_RPMS[@]} -eq 3 ] && all_files "${BUILT_RPMS[@]}"; then
		install_rpms "${BUILT_RPMS[@]}"
	else
		tap_skip "rpm: install" "the .rpms were not built"
	fi
	rm -rf "$INST_ROOT"
}
