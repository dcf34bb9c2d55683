#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 99-kmemleak: last of the suite, after its final unload.  Where the
# kernel has kmemleak (6.1-debug), two scans a few seconds apart, then
# every suspected leak whose allocation stack runs through mmstall is a
# failure: a frame in [mmstall], or an address in the module area that no
# longer has a symbol (the module is gone; nothing else is loaded and
# unloaded in these guests).  Other suspected leaks are the kernel's own:
# listed, not failed.  The whole report goes to /results/kmemleak.txt.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

KMEMLEAK=$DEBUGFS/kmemleak
PAUSE=${KMEMLEAK_PAUSE:-6}

if [ ! -e "$KMEMLEAK" ]; then
	skip "no leak through mmstall after the last unload" \
		"no $KMEMLEAK (kernel without CONFIG_DEBUG_KMEMLEAK)"
	tap_done
fi

mod_ensure_unloaded
check $? "mmstall unloaded"

# A young object (under 5 s) is never reported: the pause covers the
# last test's; the second scan drops what the first saw only transiently.
st=0
echo scan >"$KMEMLEAK" 2>"$TMPD/err" || st=1
sleep "$PAUSE"
echo scan >"$KMEMLEAK" 2>>"$TMPD/err" || st=1
if ! check $st "two kmemleak scans"; then
	diag_file "$TMPD/err"
	tap_done
fi
cat "$KMEMLEAK" >"$MMSTALL_RESULTS/kmemleak.txt"

# One record per "unreferenced object"; x86-64 modules live at
# 0xffffffffa0000000 and above, the kernel text below.
awk '
	function flush() {
		if (rec == "")
			return
		n++
		if (ours) {
			m++
			print rec > "/dev/stderr"
		}
		rec = ""
		ours = 0
	}
	/^unreferenced object/ { flush() }
	{ rec = rec $0 "\n" }
	/\[mmstall\]/ { ours = 1 }
	/^ +\[<[0-9a-f]+>\] 0x[0-9a-f]+$/ {
		a = substr($2, 3)
		if (length(a) == 16 && a >= "ffffffffa0000000")
			ours = 1
	}
	END { flush(); print n + 0, m + 0 }
' "$MMSTALL_RESULTS/kmemleak.txt" >"$TMPD/counts" 2>"$TMPD/ours"
read -r total ours <"$TMPD/counts"
diag "$total suspected leaks, $ours through mmstall"
if [ "$ours" -eq 0 ]; then
	ok "no leak through mmstall after the last unload"
else
	not_ok "no leak through mmstall after the last unload ($ours)"
	diag_file "$TMPD/ours" 60
fi
if [ "$total" -gt "$ours" ]; then
	diag "the kernel's own suspected leaks (not failed):"
	grep -A 12 '^unreferenced object' "$MMSTALL_RESULTS/kmemleak.txt" | head -n 40 |
		sed 's/^/#   /'
fi

tap_done
