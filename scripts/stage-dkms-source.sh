#!/usr/bin/env bash
# scripts/stage-dkms-source.sh: copy what DKMS needs to build mmstall.ko
# into DEST (normally /usr/src/mmstall-VERSION, or a package's staging
# root): the top-level Makefile, module/ and uapi/ (copy-sources.sh), and
# dkms.conf with PACKAGE_VERSION filled in from uapi/mmstall.h.
#
# Usage: scripts/stage-dkms-source.sh DEST
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
dest=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
ver=$("$repo/scripts/version.sh" "$repo")

"$repo/scripts/copy-sources.sh" "$dest"
install -m 0644 "$repo/Makefile" "$dest/Makefile"
sed "s/@MMSTALL_VERSION@/$ver/" "$repo/dkms/dkms.conf" >"$dest/dkms.conf"
chmod 0644 "$dest/dkms.conf"
