#!/usr/bin/env bash
# tests/kselftest/check.sh: the kselftest target is consistent, as TAP 13
# (host only: nothing here loads the module or runs a guest test).
#
# Usage: tests/kselftest/check.sh   (called by tests/run-all.sh)
#
# Checks: every TEST_PROGS entry of tests/kselftest/Makefile exists, is
# executable and links to the guest test of its name, and every
# tests/guest/NN-*.sh is listed; TEST_FILES exist; `settings` has a
# timeout; each `config` line is CONFIG_X=y|m with X defined in the 6.1
# Kconfig (KCONFIG_TREE, else Debian's 6.1 source as the 6.1-slab kernel
# unpacked it, else /usr/src/linux-source-6.1.tar.xz; a SKIP without any)
# and `config` has what the module's Kconfig depends on; runner.sh gives
# the kernel runner's TAP for a passing, a skipped, a failing and a timed
# out test (dummies in a scratch directory).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"
# shellcheck source=tests/vm/tap.sh
. "$VM_DIR/tap.sh"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "TAP version 13"

# --- TEST_PROGS, TEST_FILES -------------------------------------------
read -r -a progs <<<"$(make -s --no-print-directory -C "$here" show_test_progs)"
read -r -a files <<<"$(make -s --no-print-directory -C "$here" show_test_files)"
bad=()
for t in "${progs[@]}"; do
	if [ ! -f "$here/$t" ] || [ ! -x "$here/$t" ]; then
		bad+=("$t: missing or not executable")
	elif [ "$(readlink -f "$here/$t")" != "$REPO/tests/guest/$t" ]; then
		bad+=("$t: not a link to tests/guest/$t")
	fi
done
tap_check ${#bad[@]} "TEST_PROGS: ${#progs[@]} entries, each an executable link to its guest test"
[ ${#bad[@]} -eq 0 ] || tap_diag "${bad[@]}"

bad=()
for g in "$REPO"/tests/guest/[0-9][0-9]-*.sh; do
	g=$(basename "$g")
	[[ " ${progs[*]} " == *" $g "* ]] || bad+=("$g")
done
tap_check ${#bad[@]} "every tests/guest/NN-*.sh is in TEST_PROGS"
[ ${#bad[@]} -eq 0 ] ||
	tap_diag "not listed (add it to TEST_PROGS and ln -s ../guest/NAME tests/kselftest/):" "${bad[@]}"

bad=()
for f in "${files[@]}"; do
	[ -f "$here/$f" ] || bad+=("$f")
done
tap_check ${#bad[@]} "TEST_FILES exist: ${files[*]}"
[ ${#bad[@]} -eq 0 ] || tap_diag "missing: ${bad[*]}"

# --- settings ---------------------------------------------------------
grep -qxE 'timeout=[1-9][0-9]*' "$here/settings"
tap_check $? "settings: timeout=$(sed -n 's/^timeout=//p' "$here/settings")"

# --- config -------------------------------------------------------------
mapfile -t opts < <(grep -v '^#' "$here/config" | grep .)
bad=()
for l in "${opts[@]}"; do
	[[ $l =~ ^CONFIG_[A-Z0-9_]+=[ym]$ ]] || bad+=("$l")
done
tap_check ${#bad[@]} "config: ${#opts[@]} lines, each CONFIG_X=y or =m"
[ ${#bad[@]} -eq 0 ] || tap_diag "malformed: ${bad[*]}"

# What the module's Kconfig depends on must be in config.
mapfile -t deps < <(sed -n 's/^[[:space:]]*depends on //p' "$REPO/Kconfig" |
		    grep -oE '[A-Z][A-Z0-9_]+' | sort -u)
bad=()
for d in MODULES "${deps[@]}"; do
	grep -qx "CONFIG_$d=[ym]" "$here/config" || bad+=("$d")
done
tap_check ${#bad[@]} "config has what Kconfig depends on (MODULES ${deps[*]})"
[ ${#bad[@]} -eq 0 ] || tap_diag "missing: ${bad[*]}"

# A 6.1 Kconfig tree: given, unpacked by the 6.1-slab build, or the tarball.
kconfig_tree() {
	local t
	if [ -n "${KCONFIG_TREE:-}" ]; then
		echo "$KCONFIG_TREE"
		return
	fi
	for t in "$(kernel_cache_dir)"/by-release/6.1.*/linux-source-6.1; do
		[ -f "$t/init/Kconfig" ] && { echo "$t"; return; }
	done
	[ -f /usr/src/linux-source-6.1.tar.xz ] || return 0
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$scratch" \
		--wildcards '*/Kconfig*' 2>/dev/null || return 0
	echo "$scratch/linux-source-6.1"
}
tree=$(kconfig_tree)
if [ -z "$tree" ] || [ ! -f "$tree/init/Kconfig" ]; then
	tap_skip "config: every option exists in the 6.1 Kconfig" \
		"no 6.1 source (KCONFIG_TREE, the 6.1-slab build, linux-source-6.1)"
else
	grep -rhoE --include='Kconfig*' '^[[:space:]]*(menu)?config[[:space:]]+[A-Z0-9_]+' \
		"$tree" | awk '{ print $2 }' | sort -u >"$scratch/symbols"
	bad=()
	for l in "${opts[@]}"; do
		s=${l%%=*}
		grep -qxF "${s#CONFIG_}" "$scratch/symbols" || bad+=("$s")
	done
	tap_check ${#bad[@]} "config: every option exists in the 6.1 Kconfig ($(wc -l <"$scratch/symbols") symbols)"
	[ ${#bad[@]} -eq 0 ] || tap_diag "unknown to 6.1: ${bad[*]}"
fi

# --- runner.sh ----------------------------------------------------------
r=$scratch/runner
mkdir -p "$r"
cp "$here/runner.sh" "$r/"
echo timeout=1 >"$r/settings"
printf '#!/bin/sh\necho "TAP version 13"\necho "ok 1 - fine"\necho "1..1"\n' >"$r/t-pass.sh"
printf '#!/bin/sh\necho "ok 1 - nothing # SKIP no such feature"\nexit 4\n' >"$r/t-skip.sh"
printf '#!/bin/sh\necho "not ok 1 - broken"\nexit 1\n' >"$r/t-fail.sh"
printf '#!/bin/sh\nsleep 10\n' >"$r/t-hang.sh"
chmod +x "$r"/t-*.sh
rc=0
"$r/runner.sh" t-pass.sh t-skip.sh t-fail.sh t-hang.sh t-absent.sh >"$scratch/runner.out" 2>&1 || rc=$?
cat >"$scratch/runner.want" <<'EOF'
TAP version 13
1..5
# selftests: mmstall: t-pass.sh
# TAP version 13
# ok 1 - fine
# 1..1
ok 1 selftests: mmstall: t-pass.sh
# selftests: mmstall: t-skip.sh
# ok 1 - nothing # SKIP no such feature
ok 2 selftests: mmstall: t-skip.sh # SKIP
# selftests: mmstall: t-fail.sh
# not ok 1 - broken
not ok 3 selftests: mmstall: t-fail.sh # exit=1
# selftests: mmstall: t-hang.sh
not ok 4 selftests: mmstall: t-hang.sh # TIMEOUT 1 seconds
# selftests: mmstall: t-absent.sh
# Warning: file t-absent.sh is missing or not executable
not ok 5 selftests: mmstall: t-absent.sh
EOF
diff -u "$scratch/runner.want" "$scratch/runner.out" >"$scratch/runner.diff"
tap_check $(( $? + (rc == 1 ? 0 : 1) )) "runner.sh: kselftest TAP for pass, skip, fail, timeout, missing; exit 1"
[ ! -s "$scratch/runner.diff" ] || tap_diag "$(cat "$scratch/runner.diff")"

echo "1..$TAP_N"
[ "$TAP_FAIL" -eq 0 ]
