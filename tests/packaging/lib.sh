# shellcheck shell=bash
# tests/packaging/lib.sh: TAP checks shared by the packaging tests (sourced
# by run.sh, install.sh and in-tree.sh, after tests/vm/tap.sh).
#
# step DESC LOG CMD..., ok_unless DESC LABEL ITEM..., expect_files DESC
# LISTING PATH..., vermagic_is VER KO.

# step DESC LOG CMD...: run CMD with its output in LOG; ok, or not ok with
# the end of LOG as diagnostics. Returns CMD's status.
step() {
	local desc=$1 log=$2 rc=0
	shift 2
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc (exit $rc)"
		tap_diag "$(tail -n 25 "$log")"
	fi
	return "$rc"
}

# ok_unless DESC LABEL ITEM...: ok when no ITEM is given, else not ok with
# "LABEL: ITEM..." as diagnostics.
ok_unless() {
	local desc=$1 label=$2
	shift 2
	if [ $# -eq 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc"
		tap_diag "$label: $*"
	fi
}

# expect_files DESC LISTING PATH...: ok if every PATH is a line of LISTING.
expect_files() {
	local desc=$1 listing=$2 p missing=()
	shift 2
	for p in "$@"; do
		grep -qxF -- "$p" "$listing" || missing+=("$p")
	done
	ok_unless "$desc" missing "${missing[@]}"
}

# vermagic_is VER KO: the first word of KO's vermagic is VER.
vermagic_is() {
	local vm
	vm=$(modinfo -F vermagic "$2" 2>/dev/null | awk '{ print $1 }')
	[ "$vm" = "$1" ] || { echo "vermagic of $2 is '$vm', not $1"; return 1; }
}
