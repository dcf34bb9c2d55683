#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of the module's self-accounting (the report's "cost").

Usage: check_cost.py RESULTS_DIR KERNEL_NAME

Every JSON report a guest test left in RESULTS_DIR (rwsem.json after
mmchurn, mmcalls*.json after jitmap, ...) carries "cost": per class, the
calls of its attached probes' handlers, how many of them were timed (one
in 16 per CPU, the first included), their time, and the estimate for all
calls.  What is checked comes from the module's own counters: every
event a probe fed (its hits) was a handler call; the timed calls are the
1-in-16 sample of the calls; a class that was called was timed; the
estimate is the sampled mean times the calls; the summary says it.
"""

import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rwsem import Tap, load_doc, probes_of  # noqa: E402

SAMPLE = 16
# Calls in flight on some CPU when the counters were read, and CPUs
# whose count is not a multiple of 16 (each adds at most one sample).
CPU_SLACK = 16


def check_doc(tap, name, doc):
    label = name + ": "
    cost = doc.get("cost")
    if not tap.ok(isinstance(cost, dict) and
                  isinstance(cost.get("classes"), list),
                  label + "report has a cost object with classes",
                  "cost = %r" % (cost,)):
        return
    classes = {c.get("class"): c for c in cost["classes"]}
    attached = sorted({p["class"] for p in doc.get("probes", [])
                       if p.get("state") == "attached"})
    tap.ok(sorted(classes) == attached,
           label + "one cost entry per class with an attached probe",
           "cost: %s, attached: %s" % (sorted(classes), attached))
    errors = []
    called = 0
    for cls, c in sorted(classes.items()):
        hits = sum(p.get("hits", 0) for p in probes_of(doc, cls)
                   if p.get("state") == "attached")
        calls, sampled, sns = c["calls"], c["sampled"], c["sampled_ns"]
        if calls < hits:
            errors.append("%s: %d calls < %d probe hits" % (cls, calls, hits))
        if calls and not sampled:
            errors.append("%s: %d calls, none timed" % (cls, calls))
        if abs(sampled - calls / SAMPLE) > CPU_SLACK:
            errors.append("%s: %d timed of %d calls, not 1 in %d"
                          % (cls, sampled, calls, SAMPLE))
        # A kernel whose sched_clock runs on jiffies (no stable TSC, as
        # under TCG) times most calls as 0: only many samples must add up.
        if sampled >= 256 and sns <= 0:
            errors.append("%s: %d timed calls took no time" % (cls, sampled))
        if sampled:
            est = sns * calls / sampled
            if abs(c["handler_ns"] - est) > max(1.0, est * 0.01):
                errors.append("%s: handler_ns %d, expected %.0f"
                              % (cls, c["handler_ns"], est))
        called += calls > 0
    tap.ok(not errors, label + "calls cover the hits; 1 in %d timed; "
           "estimate = mean * calls" % SAMPLE, errors)
    # contention_begin has one handler for both rwsem classes: only write
    # waits reach rwsem_write's (two handlers made every contended lock of
    # the system call both).
    write = classes.get("rwsem_write")
    wtp = [p for p in probes_of(doc, "rwsem_write")
           if p.get("state") == "attached" and p.get("kind") == "tracepoint"]
    if write and wtp:
        whits = sum(p.get("hits", 0) for p in wtp)
        tap.ok(write["calls"] - whits <= CPU_SLACK,
               label + "contention_begin calls one handler: rwsem_write's "
               "calls are its write waits",
               "%d calls, %d write waits" % (write["calls"], whits))
    total = sum(c["handler_ns"] for c in classes.values())
    tap.ok(cost.get("handler_ns") == total,
           label + "total handler time is the sum over classes",
           "%r != %r" % (cost.get("handler_ns"), total))
    if called:
        lines = [s for s in doc.get("summary", [])
                 if s.startswith("tracing cost:")]
        tap.ok(len(lines) == 1, label + "summary states the tracing cost",
               doc.get("summary"))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    results, kernel = sys.argv[1], sys.argv[2]
    tap = Tap()
    docs = []
    for path in sorted(glob.glob(os.path.join(results, "*.json"))):
        doc = load_doc(path)
        if isinstance(doc, dict) and doc.get("tool") == "mmstall":
            docs.append((os.path.basename(path), doc))
    if not docs:
        tap.skip(kernel + ": cost", "no JSON report in " + results)
    for name, doc in docs:
        check_doc(tap, name, doc)
    if docs:
        busy = [n for n, d in docs
                if any(c.get("calls") for c in
                       (d.get("cost") or {}).get("classes", []))]
        tap.ok(busy, kernel + ": some report saw handler calls",
               [n for n, _ in docs])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
