#!/usr/bin/env bash
# scripts/graft-into-kernel.sh: add mmstall to a kernel source tree, to be
# built in-tree as CONFIG_MMSTALL (y or m). Copies module/, uapi/ and
# Kconfig into TREE/drivers/misc/mmstall/ (replacing an earlier graft),
# writes its Makefile (obj-$(CONFIG_MMSTALL) += module/), and adds, once,
#     source "drivers/misc/mmstall/Kconfig"    to drivers/misc/Kconfig
#     obj-$(CONFIG_MMSTALL) += mmstall/        to drivers/misc/Makefile
# The kernel's files are rewritten through a temporary file, never in
# place. Then: scripts/config --module MMSTALL && make olddefconfig.
#
# Usage: scripts/graft-into-kernel.sh TREE
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 KERNEL_TREE" >&2; exit 2; }
tree=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
misc=$tree/drivers/misc
dest=$misc/mmstall
kconfig_line='source "drivers/misc/mmstall/Kconfig"'
# shellcheck disable=SC2016 # a Makefile line, not shell
make_line='obj-$(CONFIG_MMSTALL)		+= mmstall/'

for f in "$tree/Makefile" "$misc/Kconfig" "$misc/Makefile"; do
	[ -f "$f" ] || { echo "error: $f not found: not a kernel tree?" >&2; exit 1; }
done

# replace FILE NEWFILE: put NEWFILE in FILE's place, keeping its mode.
replace() {
	chmod --reference="$1" "$2"
	mv "$2" "$1"
}

rm -rf "$dest"
"$repo/scripts/copy-sources.sh" "$dest"
rm -f "$dest/module/Makefile"	# the out-of-tree entry point; Kbuild is read
install -m 0644 "$repo/Kconfig" "$dest/Kconfig"
cat >"$dest/Makefile" <<'END'
# SPDX-License-Identifier: GPL-2.0
# mmstall, grafted by scripts/graft-into-kernel.sh; module/Kbuild builds it.
obj-$(CONFIG_MMSTALL) += module/
END

if ! grep -qxF "$kconfig_line" "$misc/Kconfig"; then
	# Inside the "Misc devices" menu: before its last endmenu.
	awk -v line="$kconfig_line" '
		{ l[NR] = $0 } $0 ~ /^endmenu/ { last = NR }
		END {
			for (i = 1; i <= NR; i++) {
				if (i == last) print line
				print l[i]
			}
			if (!last) print line
		}' "$misc/Kconfig" >"$misc/Kconfig.mmstall"
	replace "$misc/Kconfig" "$misc/Kconfig.mmstall"
fi
if ! grep -qxF "$make_line" "$misc/Makefile"; then
	{ cat "$misc/Makefile"; echo "$make_line"; } >"$misc/Makefile.mmstall"
	replace "$misc/Makefile" "$misc/Makefile.mmstall"
fi
echo "grafted into $dest; enable CONFIG_MMSTALL (depends on KPROBES && DEBUG_FS)"
