#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of the slow-event stream (tests/guest/12-events.sh).

Usage: check_events.py RESULTS_DIR KERNEL_NAME

From RESULTS_DIR: events.ndjson (`mmstall events -t T --json` while
mmchurn ran, reset just before), events-report.json (the report of the
same window), events.env (threshold_ns).  Each of mmchurn's waits of at
least the threshold must have reached the stream, and nothing else: per
thread and class, the number of events lies between the waits whose
histogram bucket is wholly at or above the threshold and those whose
bucket reaches it.  Events carry a stack of symbols and no address.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rwsem import (CLASSES, NBUCKETS, PROBE_MACHINERY_RE,  # noqa: E402
                         Tap, bucket, load_doc, low, read_text)

ADDR_RE = re.compile(r"ffff[0-9a-f]{12}")
SYM_RE = re.compile(r"^[A-Za-z_.$][\w.$]*\+0x[0-9a-f]+/0x[0-9a-f]+( \[\w+\])?$")


def bounds(hist, thr):
    """Waits surely >= thr, and waits maybe >= thr, from a histogram."""
    sure = maybe = 0
    for h in hist:
        b = bucket(h["le_ns"])
        lo = low(b)
        hi = low(b + 1) - 1 if b < NBUCKETS - 1 else 1 << 62
        if lo >= thr:
            sure += h["count"]
        if hi >= thr:
            maybe += h["count"]
    return sure, maybe


def load_events(path):
    events, lost, bad = [], 0, []
    text = read_text(path) or ""
    for line in text.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            bad.append(line)
            continue
        if "lost" in obj:
            lost += obj["lost"]
        else:
            events.append(obj)
    return events, lost, bad


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    res, kernel = sys.argv[1], sys.argv[2]
    tap = Tap()
    env = read_text(os.path.join(res, "events.env"))
    doc = load_doc(os.path.join(res, "events-report.json"))
    if env is None or doc is None:
        tap.skip(kernel + ": events", "12-events.sh left no stream "
                 "(no rwsem class on this kernel, or it did not run)")
        return tap.done()
    kv = dict(line.split("=", 1) for line in env.split() if "=" in line)
    thr = int(kv["threshold_ns"])
    events, lost, bad = load_events(os.path.join(res, "events.ndjson"))
    tap.ok(not bad, "events: every line of the stream is JSON", bad)
    tap.ok(lost == 0, "events: nothing lost while reading", "lost %d" % lost)
    errors = []
    for ev in events:
        who = "pid %s %s" % (ev.get("pid"), ev.get("class"))
        if ev.get("class") not in CLASSES:
            errors.append(who + ": unknown class")
        if not isinstance(ev.get("dur_ns"), int) or ev["dur_ns"] < thr:
            errors.append("%s: %s ns under the threshold %d"
                          % (who, ev.get("dur_ns"), thr))
        if not ev.get("comm") or not ev.get("site"):
            errors.append(who + ": no comm or site")
    tap.ok(events and not errors,
           "events: %d events, each at least %d ns, named" % (len(events),
                                                             thr), errors)
    stacks = [ev.get("stack", []) for ev in events]
    frames = [f for s in stacks for f in s]
    if kv.get("stacks") == "0":
        tap.ok(not frames, "events: no stacks where the kernel has the "
               "guess unwinder (no stack walks there)")
    else:
        tap.ok(frames and all(SYM_RE.match(f) or f == "?" for f in frames),
               "events: stacks are symbol+off/size lines",
               [f for f in frames if not SYM_RE.match(f) and f != "?"])
        tap.ok(any(any("rwsem" in f or "down_" in f for f in s)
                   for s in stacks),
               "events: some stack shows the lock wait")
        # From a kretprobe's return handler, an unwinder that stops at the
        # trampoline leaves nothing of who waited (5.10 before the fix).
        short = [s for s in stacks
                 if s and all(PROBE_MACHINERY_RE.search(f) for f in s)]
        tap.ok(not short, "events: stacks reach past the kprobe trampoline "
               "to the waiting code (%d of %d checked)"
               % (len(stacks) - len(short), len(stacks)), short[:3])
    tap.ok(not any(ADDR_RE.search(json.dumps(ev)) for ev in events),
           "events: no kernel address")
    # Per thread and class of mmchurn: the events against the histogram.
    counts = {}
    for ev in events:
        if ev.get("process") == "mmchurn":
            k = (ev["pid"], ev["class"])
            counts[k] = counts.get(k, 0) + 1
    errors = []
    checked = 0
    for t in doc.get("tasks", []):
        if t.get("process") != "mmchurn":
            continue
        for st in t.get("stalls", []):
            k = (t["pid"], st["class"])
            sure, maybe = bounds(st.get("hist", []), thr)
            n = counts.pop(k, 0)
            checked += 1
            if not sure <= n <= maybe:
                errors.append("pid %d %s: %d events, histogram says %d..%d"
                              % (k[0], k[1], n, sure, maybe))
    for k, n in counts.items():
        errors.append("pid %d %s: %d events, no stalls in the report"
                      % (k[0], k[1], n))
    tap.ok(checked and not errors,
           "events: per thread and class, as many as the histogram's "
           "waits over the threshold (%d checked)" % checked, errors)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
