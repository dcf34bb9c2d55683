#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of seeds 000 and 001: the culprits behind mmap_lock.

Usage: check_mmcalls.py RESULTS_DIR KERNEL_NAME

From 06-mmcalls.sh: jitmap*.out (what jitmap did), mmcalls*.json (the
report after it, at defaults and with hold_time=1).  From 04-rwsem.sh:
rwsem.json and mmchurn.out, for the holders.  Expectations come from what
the workloads say they did and what the module reports, never from timing.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rwsem import (Tap, load_doc, parse_kv, probes_of,  # noqa: E402
                         read_text)

CALLS = ("mmap", "munmap", "mremap", "mprotect", "madvise", "brk")


def lost_slots(doc):
    return doc.get("lost", {}).get("task_slots", 0)


def check_jitmap(tap, results, tag, want_hold):
    label = "jitmap%s: " % tag
    out = parse_kv(read_text(os.path.join(results, "jitmap%s.out" % tag)))
    doc = load_doc(os.path.join(results, "mmcalls%s.json" % tag))
    if not out or doc is None:
        tap.ok(False, label + "results present",
               "jitmap%s.out or mmcalls%s.json missing or unparsable"
               % (tag, tag))
        return
    pid = int(out["pid"])
    length = int(out["length"])
    done = {"mmap": int(out["mmap"]), "munmap": int(out["munmap"])}

    call_probes = probes_of(doc, "mm_calls")
    attached = [p for p in call_probes if p.get("state") == "attached"]
    tap.ok(len(call_probes) == len(CALLS) and len(attached) == len(CALLS),
           label + "the six mm_calls probes are attached",
           ["%s %s %s" % (p.get("target"), p.get("state"), p.get("error"))
            for p in call_probes])

    rows = [r for r in doc.get("mm_calls", []) if r.get("tgid") == pid]
    jit = [r for r in rows if r.get("comm") == "jitmap-jit"]
    tap.ok(len(jit) == int(out["threads"]),
           label + "one mm_calls row per JIT thread",
           "rows for tgid %d: %s" % (pid, [(r.get("pid"), r.get("comm"))
                                          for r in rows]))
    lost = lost_slots(doc)
    for call in ("mmap", "munmap"):
        got = sum(r.get("calls", {}).get(call, 0) for r in jit)
        tap.ok(done[call] - lost <= got <= done[call],
               label + "%s count of the JIT threads matches what jitmap "
               "did (%d, lost %d)" % (call, done[call], lost),
               "recorded %d" % got)
        hits = sum(p.get("hits", 0) for p in call_probes
                   if p.get("target", "").endswith("sys_" + call))
        total = sum(r.get("calls", {}).get(call, 0)
                    for r in doc.get("mm_calls", []))
        tap.ok(hits >= total, label + "%s probe hits >= calls recorded"
               % call, "hits %d, recorded %d" % (hits, total))

    hist = {}
    for r in jit:
        for b in r.get("bytes_hist", []):
            hist[b["le_bytes"]] = hist.get(b["le_bytes"], 0) + b["count"]
    want_le = (1 << length.bit_length()) - 1
    top = max(hist.items(), key=lambda kv: kv[1]) if hist else (None, 0)
    tap.ok(top[0] == want_le,
           label + "dominant length bucket holds %d (le_bytes %d)"
           % (length, want_le), "buckets %s" % sorted(hist.items()))

    hold = probes_of(doc, "write_hold")
    if not want_hold:
        tap.ok(hold and all(p.get("state") == "off" for p in hold),
               label + "write_hold probes are off at defaults",
               ["%s %s" % (p.get("target"), p.get("state")) for p in hold])
        tap.ok("off" in doc.get("notes", {}).get("write_hold", ""),
               label + "note says write_hold is off",
               repr(doc.get("notes")))
        return
    if not all(p.get("state") == "attached" for p in hold) or not hold:
        note = doc.get("notes", {}).get("write_hold", "")
        if hold and all(p.get("state") == "missing" for p in hold):
            tap.ok("no mmap_lock tracepoints" in note,
                   label + "note says the kernel has no mmap_lock "
                   "tracepoints", repr(note))
        tap.skip(label + "write holds timed", "mmap_lock tracepoints: %s"
                 % ["%s %s %s" % (p.get("target"), p.get("state"),
                                  p.get("error")) for p in hold])
        return
    holds = sum(r.get("write_holds", 0) for r in jit)
    hold_ns = sum(r.get("write_hold_ns", 0) for r in jit)
    tap.ok(holds >= done["mmap"] and hold_ns > 0,
           label + "write holds timed for every mmap (%d)" % done["mmap"],
           "write_holds %d, write_hold_ns %d" % (holds, hold_ns))


def check_mm_calls_off(tap, results):
    """mm_calls=0: no probe of the class attached, nothing counted."""
    label = "mm_calls=0: "
    doc = load_doc(os.path.join(results, "mmcalls-off.json"))
    if doc is None:
        tap.ok(False, label + "results present", "mmcalls-off.json")
        return
    call_probes = probes_of(doc, "mm_calls")
    tap.ok(len(call_probes) == len(CALLS) and
           all(p.get("state") == "off" and p.get("hits") == 0
               for p in call_probes),
           label + "every mm_calls probe is off with no hit",
           str(call_probes))
    tap.ok(not doc.get("mm_calls"), label + "the report has no mm_calls rows",
           str(doc.get("mm_calls"))[:300])
    tap.ok("off" in doc.get("notes", {}).get("mm_calls", ""),
           label + "the notes say the class is off")


def check_holders(tap, results):
    label = "holders: "
    out = parse_kv(read_text(os.path.join(results, "mmchurn.out")))
    doc = load_doc(os.path.join(results, "rwsem.json"))
    if not out or doc is None:
        tap.ok(False, label + "results present", "mmchurn.out/rwsem.json")
        return
    write = [p for p in probes_of(doc, "rwsem_write")
             if p.get("state") == "attached"]
    note = doc.get("notes", {}).get("holders", "")
    if not write or note.startswith("unavailable"):
        tap.skip(label + "mmchurn's writers are named as holders",
                 "rwsem_write not attached or no owner field (%s)" % note)
        return
    pid = int(out["pid"])
    unmappers = {int(t) for t in out.get("churn_unmap_tids", "").split(",")
                 if t}
    holders = doc.get("holders", [])
    mine = [h for h in holders if h.get("tgid") == pid]
    tap.ok(mine and all(h.get("lock") == "mmap_lock" for h in mine),
           label + "mmchurn's threads held mmap_lock while others waited",
           "holders: %s" % [(h.get("pid"), h.get("comm")) for h in holders])
    named = sorted(h.get("pid") for h in mine if h.get("pid") in unmappers)
    tap.ok(named, label + "the munmap threads are named as holders",
           "unmappers %s, holders of tgid %d: %s"
           % (sorted(unmappers), pid, [(h.get("pid"), h.get("comm"))
                                       for h in mine]))
    waits = sum(s.get("count", 0) for t in doc.get("tasks", [])
                for s in t.get("stalls", [])
                if s.get("class") in ("rwsem_read", "rwsem_write"))
    blocked = sum(h.get("blocked_waiters", 0) for h in holders)
    tap.ok(0 < blocked <= waits,
           label + "blocked waiters <= rwsem waits recorded",
           "blocked %d, waits %d" % (blocked, waits))
    ok = all(h.get("blocked_ns", 0) >= h.get("max_blocked_ns", 0) > 0
             for h in holders)
    tap.ok(ok, label + "0 < max_blocked_ns <= blocked_ns for every holder")


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    results = sys.argv[1]
    tap = Tap()
    check_jitmap(tap, results, "", False)
    check_jitmap(tap, results, "-hold", True)
    check_mm_calls_off(tap, results)
    check_holders(tap, results)
    bench = read_text(os.path.join(results, "mmcalls-bench.txt"))
    if bench:
        tap.diag("mm_calls probe cost (figures, not asserted):", bench)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
