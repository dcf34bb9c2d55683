# shellcheck shell=bash disable=SC2034
# packaging/lib.sh: shared by build-deb.sh and build-rpm.sh (sourced).
#
# Sets REPO, VERSION (from uapi/mmstall.h), PKG_OUT (where packages go:
# $MMSTALL_OUT/packages, default out/packages), MAINTAINER, HEADER (where
# the -dev package puts uapi/mmstall.h; the Makefile's install-all and the
# spec use the same path); provides copy_reader_source DEST, a clean copy of
# what builds the reader.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=$("$REPO/scripts/version.sh" "$REPO")
PKG_OUT=${MMSTALL_OUT:-$REPO/out}/packages
MAINTAINER=${MMSTALL_MAINTAINER:-mmstall developers <mmstall@example.invalid>}
SUMMARY_READER="mmstall reader: reports of memory-management stalls"
SUMMARY_DKMS="mmstall kernel module (DKMS source)"
SUMMARY_DEV="mmstall snapshot format (C header)"
HEADER=/usr/include/mmstall/mmstall.h

# copy_reader_source DEST: userspace/ and uapi/ without build products,
# so packages never pick up objects from the working tree.
copy_reader_source() {
	mkdir -p "$1"
	tar -C "$REPO" --exclude='*.o' --exclude=userspace/mmstall \
		-cf - userspace uapi | tar -C "$1" -xf -
}
