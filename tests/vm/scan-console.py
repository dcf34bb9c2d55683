#!/usr/bin/env python3
"""tests/vm/scan-console.py: scan a guest console log for kernel error reports.

Usage: tests/vm/scan-console.py [--all-lines] CONSOLE_LOG

Prints a "not ok" TAP line per kind of report found (BUG:, WARNING:, Oops,
KASAN, UBSAN, kmemleak, lockdep, panic, GPF, Call Trace:, lockups, RCU stalls)
with the offending lines as "# " diagnostics, or a single "ok" line if none
was found; then one line for the guest's
MMSTALL-GUEST-DONE marker (missing: the guest crashed, hung or timed out).
Only kernel lines (those with a printk timestamp, "[   12.345678]") are
scanned unless --all-lines is given, so that guest test output cannot fake or
hide a report. Exit status 1 if any check failed. No plan line is printed:
the caller numbers and prefixes the lines (run-matrix.sh).
"""
import re
import sys

# (label, regex) in report order.
CHECKS = [
    # "BUG: sleeping function called from invalid context", "BUG: KASAN:",
    # "BUG: using smp_processor_id() in preemptible", BUG() itself
    ("BUG:", r"\bBUG:|kernel BUG at"),
    ("WARNING:", r"\bWARNING:"),
    ("Oops", r"\bOops\b"),
    ("KASAN", r"KASAN"),
    ("UBSAN", r"UBSAN"),
    ("kmemleak", r"kmemleak:.*suspected memory leak|unreferenced object 0x"),
    ("lockdep", r"possible circular locking|inconsistent lock state|"
     r"suspicious RCU usage|possible recursive locking|bad unlock balance|"
     r"lock held when returning to user space|possible irq lock inversion"),
    ("Kernel panic", r"Kernel panic"),
    ("general protection fault", r"general protection fault"),
    ("Call Trace:", r"Call Trace:"),
    ("lockup or hung task", r"soft lockup|hard LOCKUP|blocked for more than \d+ seconds"),
    ("RCU stall", r"rcu.*detected stalls|self-detected stall"),
]
DONE = "MMSTALL-GUEST-DONE"
KERNEL_LINE = re.compile(r"\[\s*\d+\.\d+\]")
CONTEXT = 12      # lines shown after the first hit of a kind
MAX_SHOWN = 40    # diagnostic lines per kind


def main(argv):
    all_lines = "--all-lines" in argv
    args = [a for a in argv if a != "--all-lines"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        with open(args[0], errors="replace") as f:
            lines = [l.rstrip("\r\n").replace("\r", "") for l in f]
    except OSError as e:
        print(f"not ok 1 - console log readable # {e}")
        return 1

    failed = 0
    n = 0
    for label, rx in CHECKS:
        pat = re.compile(rx)
        hits = [i for i, l in enumerate(lines)
                if (all_lines or KERNEL_LINE.search(l)) and pat.search(l)]
        if not hits:
            continue
        failed += 1
        n += 1
        print(f"not ok {n} - {label} ({len(hits)} lines)")
        shown = sorted(set(hits) | set(range(hits[0], min(hits[0] + CONTEXT, len(lines)))))
        for i in shown[:MAX_SHOWN]:
            print(f"#   {i + 1}: {lines[i]}")
        if len(shown) > MAX_SHOWN:
            print(f"#   ... {len(shown) - MAX_SHOWN} more")
    if not failed:
        n += 1
        print(f"ok {n} - no kernel error reports ({len(CHECKS)} kinds scanned)")

    n += 1
    done = [l for l in lines if l.startswith(DONE)]
    if done:
        print(f"ok {n} - guest finished ({done[-1]})")
    else:
        failed += 1
        print(f"not ok {n} - guest finished: no {DONE} (crash, hang or timeout)")
        for l in lines[-15:]:
            print(f"#   {l}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
