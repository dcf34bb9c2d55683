# SPDX-License-Identifier: GPL-2.0
# tests/kselftest/lib.sh: what the guest tests source when they run as a
# kselftest target (each NN-*.sh here is a link to ../guest/NN-*.sh, which
# sources "lib.sh" beside itself: this file).  It points them at what is
# installed beside them, then loads their own helpers (guest-lib.sh, a
# link to ../guest/lib.sh):
#   MMSTALL_ROOT     this directory: bin/ holds the reader and workloads
#   MMSTALL_KO       mmstall.ko here if present, else the module installed
#                    for the running kernel (modinfo -n mmstall)
#   MMSTALL_RESULTS  ${TMPDIR:-/tmp}/mmstall-results
# Any of them set in the environment wins.
_ksft_dir=$(cd "$(dirname "$0")" && pwd)
MMSTALL_ROOT=${MMSTALL_ROOT:-$_ksft_dir}
if [ -z "${MMSTALL_KO:-}" ]; then
	if [ -f "$MMSTALL_ROOT/mmstall.ko" ]; then
		MMSTALL_KO=$MMSTALL_ROOT/mmstall.ko
	else
		MMSTALL_KO=$(modinfo -n mmstall 2>/dev/null)
		MMSTALL_KO=${MMSTALL_KO:-$MMSTALL_ROOT/mmstall.ko}
	fi
fi
MMSTALL_RESULTS=${MMSTALL_RESULTS:-${TMPDIR:-/tmp}/mmstall-results}
MMSTALL_KERNEL=${MMSTALL_KERNEL:-$(uname -r)}
export MMSTALL_ROOT MMSTALL_KO MMSTALL_RESULTS MMSTALL_KERNEL
# shellcheck source=../guest/lib.sh
. "$_ksft_dir/guest-lib.sh"
