#!/usr/bin/env bash
# scripts/version.sh: print mmstall's version, read from uapi/mmstall.h
# (MMSTALL_VERSION, the one place it is set). Used by the Makefile, the
# dkms.conf staging and the deb/rpm builders.
#
# Usage: scripts/version.sh [REPO]   (default: the tree this script is in)
set -euo pipefail

repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
hdr=$repo/uapi/mmstall.h
ver=$(sed -n 's/^#define[[:space:]]\{1,\}MMSTALL_VERSION[[:space:]]\{1,\}"\([^"]*\)".*/\1/p' "$hdr")
[[ $ver =~ ^[0-9]+(\.[0-9]+)*([~+.-][0-9A-Za-z.~+-]+)?$ ]] || {
	echo "error: no usable MMSTALL_VERSION in $hdr (got '$ver')" >&2
	exit 1
}
echo "$ver"
