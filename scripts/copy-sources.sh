#!/usr/bin/env bash
# scripts/copy-sources.sh: copy the module's sources (module/: Kbuild,
# Makefile, *.c, *.h, compat/) and uapi/ into DEST/module and DEST/uapi,
# replacing what was there. Build products are left behind. Shared by
# stage-dkms-source.sh (DKMS, packages) and graft-into-kernel.sh (in-tree).
#
# Usage: scripts/copy-sources.sh DEST
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
dest=$1
repo=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p "$dest"
rm -rf "$dest/module" "$dest/uapi"
cd "$repo"
find module uapi -type f \( -name Kbuild -o -name Makefile -o -name '*.c' \
	-o -name '*.h' \) ! -name '*.mod.c' -print0 |
	xargs -0 -I{} install -D -m 0644 {} "$dest/{}"
