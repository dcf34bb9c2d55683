# shellcheck shell=bash
# tests/vm/tap.sh: TAP output helpers for the harness (sourced, not run).
#
# tap_ok/tap_fail DESC, tap_skip DESC REASON, tap_diag TEXT... emit numbered
# TAP 13 lines; tap_relay PREFIX [FILE] re-emits another producer's TAP lines
# (stdin or FILE) with our numbering and "PREFIX" prepended to the
# description, and turns anything else into "# " diagnostics (so stray output
# can never be counted as a result). Counters: TAP_N TAP_PASS TAP_FAIL TAP_SKIP.

TAP_N=0 TAP_PASS=0 TAP_FAIL=0 TAP_SKIP=0

# _tap_emit STATUS DESC [DIRECTIVE]: STATUS is "ok" or "not ok".
_tap_emit() {
	local status=$1 desc=$2 directive=${3:-}
	TAP_N=$((TAP_N + 1))
	if [[ $directive =~ ^[Ss][Kk][Ii][Pp] ]]; then
		TAP_SKIP=$((TAP_SKIP + 1))
	elif [ "$status" = ok ] || [[ $directive =~ ^[Tt][Oo][Dd][Oo] ]]; then
		[ "$status" = ok ] && TAP_PASS=$((TAP_PASS + 1)) || TAP_SKIP=$((TAP_SKIP + 1))
	else
		TAP_FAIL=$((TAP_FAIL + 1))
	fi
	printf '%s %d - %s%s\n' "$status" "$TAP_N" "$desc" "${directive:+ # $directive}"
}

tap_ok() { _tap_emit ok "$1"; }
tap_fail() { _tap_emit "not ok" "$1"; }
tap_skip() { _tap_emit ok "$1" "SKIP ${2:-}"; }
tap_diag() {
	local arg l
	for arg in "$@"; do
		while IFS= read -r l; do printf '# %s\n' "$l"; done <<<"$arg"
	done
}

# tap_check COND_STATUS DESC: ok if COND_STATUS is 0, else not ok.
tap_check() { if [ "$1" -eq 0 ]; then tap_ok "$2"; else tap_fail "$2"; fi; }

# tap_relay PREFIX [FILE]: relay TAP lines, renumbered and prefixed.
# Returns 1 if a "not ok" went through. Feed it a file or a process
# substitution, never a pipe (a pipe runs it in a subshell: counts are lost).
tap_relay() {
	local prefix=$1 line status desc directive before=$TAP_FAIL
	local re='^(not ok|ok)(([[:space:]]+[0-9]+)?([[:space:]]+-)?([[:space:]]+(.*))?)$'
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		if [[ $line =~ $re ]]; then
			status=${BASH_REMATCH[1]}
			desc=${BASH_REMATCH[6]}
			directive=
			if [[ $desc =~ ^(.*[^\\])?[[:space:]]*#[[:space:]]*((SKIP|skip|Skip|TODO|todo|Todo).*)$ ]]; then
				desc=${BASH_REMATCH[1]}
				directive=${BASH_REMATCH[2]}
			fi
			desc=${desc%"${desc##*[![:space:]]}"}
			_tap_emit "$status" "$prefix$desc" "$directive"
		elif [[ $line =~ ^(TAP\ version|1\.\.[0-9]) ]] || [ -z "$line" ]; then
			continue
		elif [[ $line == \#* ]]; then
			printf '%s\n' "$line"
		else
			printf '# %s\n' "$line"
		fi
	done < "${2:-/dev/stdin}"
	[ "$TAP_FAIL" -eq "$before" ]
}

# tap_summary: the final line run-all.sh promises.
tap_summary() {
	printf '%d passed, %d failed, %d skipped\n' "$TAP_PASS" "$TAP_FAIL" "$TAP_SKIP"
}
