#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of the rwsem results a guest run left (04-rwsem.sh).

Usage: check_rwsem.py RESULTS_DIR KERNEL_NAME

RESULTS_DIR is the guest's /results: rwsem.json (`mmstall report --json`
after mmchurn), mmchurn.out (its key=value summary), kallsyms-rwsem.txt
(the rwsem slowpath symbols the kernel has), kernel.txt, and, from
02-params.sh, small.json (16 task slots, one kretprobe instance).

Prints TAP 13 and exits 1 if a test failed.  Where the kernel has no
rwsem slowpath functions (PREEMPT_RT), the rwsem probes must report
`missing` with an error and the checks that need stalls are skipped.
Every numeric expectation comes from what mmchurn says it did and what
the module reports, never from timing.
"""

import json
import os
import re
import sys

CLASSES = ("rwsem_read", "rwsem_write", "slab_refill", "direct_reclaim",
           "memcg_reclaim", "compaction")
RWSEM_CLASSES = ("rwsem_read", "rwsem_write")
LOCKS = ("mmap_lock", "other")
FIXED_SITES = ("munmap", "mmap", "mremap", "mprotect", "madvise", "brk",
               "page_fault", "exit", "fork")
KINDS = ("kprobe", "kretprobe", "tracepoint", "return_sites")
STATES = ("attached", "missing", "failed", "off")
# Probes that feed no stall class name the feature they feed.
FEATURES = ("mm_calls", "write_hold", "slabinfo_readers", "kswapd_wakeups",
            "rwsem_wait_end")
SLABS = ("slab", "slub", "slob")
# The histogram's relative error is 1/2^(SUB_BITS+1) = 12.5%.
HIST_SLACK = 1.13
# Waits in flight when the snapshot was taken (tracked, not yet counted).
INFLIGHT_SLACK = 8
SLOWPATH_RE = re.compile(
    r"^rwsem_down_(read|write)_(slowpath|failed|failed_killable)(\.|$)")
# Contract keys that belong to stall families other than rwsem.
LATER_KEYS = ("slab_caches", "slabinfo_readers", "mm_calls", "holders")


# The uapi histogram (uapi/mmstall.h), reimplemented: bucket of a value
# and lowest value of a bucket.
SUB_BITS, MIN_SHIFT, MAX_SHIFT = 2, 8, 36
NBUCKETS = 2 + (MAX_SHIFT - MIN_SHIFT + 1) * (1 << SUB_BITS)


def bucket(ns):
    if ns < 1 << MIN_SHIFT:
        return 0
    e = ns.bit_length() - 1
    if e > MAX_SHIFT:
        return NBUCKETS - 1
    sub = (ns >> (e - SUB_BITS)) & ((1 << SUB_BITS) - 1)
    return 1 + ((e - MIN_SHIFT) << SUB_BITS) + sub


def low(b):
    if b == 0:
        return 0
    if b >= NBUCKETS - 1:
        return 1 << (MAX_SHIFT + 1)
    e = MIN_SHIFT + ((b - 1) >> SUB_BITS)
    sub = (b - 1) & ((1 << SUB_BITS) - 1)
    return ((1 << SUB_BITS) + sub) << (e - SUB_BITS)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        print("TAP version 13")

    def diag(self, *lines):
        for text in lines:
            for line in str(text).splitlines() or [""]:
                print("# " + line)

    def ok(self, cond, name, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
            return True
        self.failed += 1
        print("not ok %d - %s" % (self.n, name))
        if diag:
            if isinstance(diag, (list, tuple)):
                shown = list(diag)[:12]
                self.diag(*shown)
                if len(diag) > len(shown):
                    self.diag("... and %d more" % (len(diag) - len(shown)))
            else:
                self.diag(diag)
        return False

    def skip(self, name, reason):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, reason))

    def todo(self, cond, name, reason):
        self.n += 1
        print("%s %d - %s # TODO %s" % ("ok" if cond else "not ok", self.n,
                                        name, reason))

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float))) and not isinstance(v, bool)


def is_str(v):
    return isinstance(v, str)


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def load_doc(path):
    """The JSON document at path, or None if missing or unparsable."""
    text = read_text(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def probes_of(doc, cls):
    """The probes of a class or feature in a report."""
    return [p for p in doc.get("probes", []) if p.get("class") == cls]


def parse_kv(text):
    """key=value tokens of the line(s) that carry them (mmchurn's summary)."""
    kv = {}
    for line in (text or "").splitlines():
        if "pid=" not in line:
            continue
        for tok in line.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                kv[k] = v
    return kv


def kv_int(kv, key):
    try:
        return int(kv[key])
    except (KeyError, ValueError):
        return None


def kv_tids(kv, key):
    out = set()
    for t in (kv.get(key) or "").split(","):
        if t.isdigit():
            out.add(int(t))
    return out


def slowpaths(text):
    """{'read': [names], 'write': [names]} from kallsyms-rwsem.txt."""
    found = {"read": [], "write": []}
    for line in (text or "").splitlines():
        for word in line.split():
            m = SLOWPATH_RE.match(word)
            if m:
                found[m.group(1)].append(word)
    return found


def base_symbol(name):
    return name.split(".", 1)[0]


# --- schema ------------------------------------------------------------------

def want(errors, where, obj, key, pred, what):
    if not isinstance(obj, dict) or key not in obj:
        errors.append("%s: missing key %r" % (where, key))
        return False
    if not pred(obj[key]):
        errors.append("%s.%s: %r is not %s" % (where, key, obj[key], what))
        return False
    return True


# Functions of the probe machinery: a stack walk that found only these
# stopped at a kretprobe's trampoline.
PROBE_MACHINERY_RE = re.compile(r"trampoline|kprobe|rethook")


def site_ok(s):
    """A known site, or other:<function> of the waiting code, never of the
    probe machinery."""
    return is_str(s) and (s in FIXED_SITES or
                          (s.startswith("other:") and len(s) > 6 and
                           not PROBE_MACHINERY_RE.search(s)))


def site_pred(cls):
    """slab_refill's sites are slab cache names (check_slab.py)."""
    if cls == "slab_refill":
        return lambda v: is_str(v) and len(v) > 0
    return site_ok


def check_schema(tap, doc, label, release=None):
    """(e): the contract keys, with the right types."""
    if not isinstance(doc, dict):
        tap.ok(False, "%sreport is a JSON object" % label)
        return False
    errs = []
    want(errs, "", doc, "tool", is_str, "a string")
    want(errs, "", doc, "version", is_str, "a string")
    want(errs, "", doc, "abi", is_int, "an integer")
    for k, t in (("kernel", dict), ("window", dict), ("probes", list),
                 ("lost", dict), ("tasks", list)):
        want(errs, "", doc, k, lambda v, t=t: isinstance(v, t), t.__name__)
    tap.ok(not errs, "%stop-level keys tool, version, abi, kernel, window, "
           "probes, lost, tasks" % label, errs)

    errs = []
    kern = doc.get("kernel")
    want(errs, "kernel", kern, "release", is_str, "a string")
    want(errs, "kernel", kern, "slab", lambda v: v in SLABS,
         "one of " + "/".join(SLABS))
    want(errs, "kernel", kern, "preempt", is_str, "a string")
    want(errs, "window", doc.get("window"), "seconds",
         lambda v: is_num(v) and v >= 0, "a number >= 0")
    tap.ok(not errs, "%skernel {release, slab, preempt} and window {seconds}"
           % label, errs)
    if release and isinstance(kern, dict):
        tap.ok(kern.get("release") == release,
               "%skernel.release is the guest's uname -r" % label,
               "report %r, uname %r" % (kern.get("release"), release))

    errs = []
    lost = doc.get("lost")
    for k in ("task_slots", "kretprobe_missed", "events", "stat_blocks",
              "names"):
        want(errs, "lost", lost, k, lambda v: is_int(v) and v >= 0,
             "an integer >= 0")
    tap.ok(not errs, "%slost {task_slots, kretprobe_missed, events, "
           "stat_blocks, names}" % label, errs)

    errs = []
    probes = doc.get("probes") if isinstance(doc.get("probes"), list) else []
    for i, p in enumerate(probes):
        w = "probes[%d]" % i
        if not isinstance(p, dict):
            errs.append("%s: not an object" % w)
            continue
        want(errs, w, p, "class", lambda v: v in CLASSES + FEATURES,
             "a class or feature name")
        want(errs, w, p, "target", is_str, "a string")
        want(errs, w, p, "kind", lambda v: v in KINDS, "a probe kind")
        want(errs, w, p, "state", lambda v: v in STATES, "a probe state")
        for k in ("hits", "missed"):
            want(errs, w, p, k, lambda v: is_int(v) and v >= 0,
                 "an integer >= 0")
        want(errs, w, p, "error", is_int, "an integer")
    tap.ok(probes and not errs, "%sprobes[] {class, target, kind, state, "
           "hits, missed, error}" % label, errs or "no probes")

    errs = []
    tasks = doc.get("tasks") if isinstance(doc.get("tasks"), list) else []
    nstats = 0
    for i, t in enumerate(tasks):
        w = "tasks[%d]" % i
        if not isinstance(t, dict):
            errs.append("%s: not an object" % w)
            continue
        for k in ("pid", "tgid"):
            want(errs, w, t, k, lambda v: is_int(v) and v >= 0,
                 "an integer >= 0")
        for k in ("comm", "process"):
            want(errs, w, t, k, is_str, "a string")
        if not want(errs, w, t, "stalls", lambda v: isinstance(v, list),
                    "a list"):
            continue
        for j, s in enumerate(t["stalls"]):
            ws = "%s.stalls[%d]" % (w, j)
            nstats += 1
            if not isinstance(s, dict):
                errs.append("%s: not an object" % ws)
                continue
            want(errs, ws, s, "class", lambda v: v in CLASSES, "a class name")
            for k in ("count", "total_ns", "max_ns", "p50_ns", "p99_ns"):
                want(errs, ws, s, k, lambda v: is_int(v) and v >= 0,
                     "an integer >= 0")
            for k, keys in (("hist", (("le_ns", is_int), ("count", is_int))),
                            ("by_site", (("site",
                                          site_pred(s.get("class"))),
                                         ("count", is_int),
                                         ("total_ns", is_int))),
                            ("by_lock", (("lock", lambda v: v in LOCKS),
                                         ("count", is_int),
                                         ("total_ns", is_int)))):
                if not want(errs, ws, s, k, lambda v: isinstance(v, list),
                            "a list"):
                    continue
                for m, e in enumerate(s[k]):
                    we = "%s.%s[%d]" % (ws, k, m)
                    for key, pred in keys:
                        want(errs, we, e, key, pred, "valid")
    tap.ok(not errs, "%stasks[] {pid, tgid, comm, process, stalls[] {class, "
           "count, total_ns, max_ns, p50_ns, p99_ns, hist[], by_site[], "
           "by_lock[]}} (%d tasks, %d stats)" % (label, len(tasks), nstats),
           errs)

    missing = [k for k in LATER_KEYS if not isinstance(doc.get(k), list)]
    name = "%sDESIGN.md keys %s are lists" % (label, ", ".join(LATER_KEYS))
    if missing:
        tap.todo(False, name, "not in the report yet: " + ", ".join(missing))
    else:
        tap.ok(True, name)
    return True


# --- per-stat and per-class consistency -------------------------------------

def all_stats(doc):
    for t in doc.get("tasks") or []:
        if not isinstance(t, dict):
            continue
        for s in t.get("stalls") or []:
            if isinstance(s, dict):
                yield t, s


def ival(d, k):
    v = d.get(k) if isinstance(d, dict) else None
    return v if is_int(v) else 0


def tname(t):
    return "%s/%s (%s)" % (t.get("tgid"), t.get("pid"), t.get("comm"))


def check_stats(tap, doc, label):
    """(c): count == sum(by_site) == sum(by_lock) == sum(hist), and more."""
    sums, totals, pct, order, prange, maxes = [], [], [], [], [], []
    n = 0
    for t, s in all_stats(doc):
        n += 1
        where = "%s %s" % (tname(t), s.get("class"))
        count = ival(s, "count")
        hist = [e for e in s.get("hist") or [] if isinstance(e, dict)]
        sites = [e for e in s.get("by_site") or [] if isinstance(e, dict)]
        locks = [e for e in s.get("by_lock") or [] if isinstance(e, dict)]
        hs = sum(ival(e, "count") for e in hist)
        ss = sum(ival(e, "count") for e in sites)
        ls = sum(ival(e, "count") for e in locks)
        if not count == hs == ss == ls:
            sums.append("%s: count %d, hist %d, by_site %d, by_lock %d" %
                        (where, count, hs, ss, ls))
        total = ival(s, "total_ns")
        st = sum(ival(e, "total_ns") for e in sites)
        lt = sum(ival(e, "total_ns") for e in locks)
        if not total == st == lt:
            totals.append("%s: total_ns %d, by_site %d, by_lock %d" %
                          (where, total, st, lt))
        mx, p50, p99 = ival(s, "max_ns"), ival(s, "p50_ns"), ival(s, "p99_ns")
        if count and not (p50 <= p99 <= max(mx * HIST_SLACK, 256)):
            pct.append("%s: p50 %d, p99 %d, max %d" % (where, p50, p99, mx))
        if count and not (mx <= total <= mx * count):
            maxes.append("%s: count %d, max_ns %d, total_ns %d" %
                         (where, count, mx, total))
        les = [ival(e, "le_ns") for e in hist]
        if les != sorted(set(les)):
            order.append("%s: le_ns %s" % (where, les))
            continue
        # p50/p99 lie in the bucket where the cumulative count reaches
        # 50%/99% (either rank convention), so between the previous listed
        # bound and this one, give or take the bucket's relative error.
        for name, q, v in (("p50", 0.50, p50), ("p99", 0.99, p99)):
            if not hs:
                break
            cum, lo, hi = 0, None, None
            prev = 0
            for e in hist:
                c = ival(e, "count")
                if not c:
                    continue
                cum += c
                if lo is None and cum >= q * hs:
                    lo = prev
                if cum > q * hs or cum == hs:
                    hi = ival(e, "le_ns")
                    break
                prev = ival(e, "le_ns")
            if lo is None or hi is None:
                continue
            if not (lo / HIST_SLACK <= v <= hi * HIST_SLACK):
                prange.append("%s: %s %d outside the histogram's %d..%d" %
                              (where, name, v, lo, hi))
    if not n:
        tap.skip("%sper-stat invariants" % label, "no stats in the report")
        return
    tap.ok(not sums, "%severy stat: count == sum(hist) == sum(by_site) == "
           "sum(by_lock) (%d stats)" % (label, n), sums)
    tap.ok(not totals, "%severy stat: total_ns == by_site total_ns == "
           "by_lock total_ns" % label, totals)
    tap.ok(not pct, "%severy stat: p50 <= p99 <= max * %.2f" %
           (label, HIST_SLACK), pct)
    tap.ok(not maxes, "%severy stat: max_ns <= total_ns <= count * max_ns"
           % label, maxes)
    tap.ok(not order, "%severy stat: hist le_ns strictly increasing" % label,
           order)
    tap.ok(not prange, "%severy stat: p50/p99 fall in the histogram bucket "
           "of their rank" % label, prange)


def attached_probes(doc, cls):
    return [p for p in doc.get("probes") or []
            if isinstance(p, dict) and p.get("class") == cls and
            p.get("state") == "attached"]


def check_class_counts(tap, doc, label, classes):
    """(d): hits - lost - slack <= sum(counts) <= hits, per class."""
    lost = doc.get("lost") if isinstance(doc.get("lost"), dict) else {}
    lost_n = ival(lost, "task_slots") + ival(lost, "stat_blocks")
    for cls in classes:
        hits = sum(ival(p, "hits") for p in attached_probes(doc, cls))
        counted = sum(ival(s, "count") for _, s in all_stats(doc)
                      if s.get("class") == cls)
        low = hits - lost_n - INFLIGHT_SLACK
        tap.ok(low <= counted <= hits,
               "%s%s: hits - lost - %d <= sum of counts <= hits "
               "(%d - %d - %d <= %d <= %d)" %
               (label, cls, INFLIGHT_SLACK, hits, lost_n, INFLIGHT_SLACK,
                counted, hits))


# --- the rwsem run ------------------------------------------------------------

def stat_sites(s):
    return {e.get("site"): ival(e, "count") for e in s.get("by_site") or []
            if isinstance(e, dict) and ival(e, "count") > 0}


def stat_locks(s):
    return {e.get("lock"): ival(e, "count") for e in s.get("by_lock") or []
            if isinstance(e, dict) and ival(e, "count") > 0}


def breakdown(stats):
    sites, locks, comms = {}, {}, {}
    for t, s in stats:
        for k, v in stat_sites(s).items():
            sites[k] = sites.get(k, 0) + v
        for k, v in stat_locks(s).items():
            locks[k] = locks.get(k, 0) + v
        c = t.get("comm")
        comms[c] = comms.get(c, 0) + ival(s, "count")
    return "sites %s; locks %s; comms %s" % (sites, locks, comms)


def check_rwsem_run(tap, doc, kv, has):
    pid = kv_int(kv, "pid")
    if pid is not None:
        mine = [t for t in doc.get("tasks") or []
                if isinstance(t, dict) and t.get("tgid") == pid]
        how = "tgid %d" % pid
    else:
        mine = [t for t in doc.get("tasks") or []
                if isinstance(t, dict) and t.get("process") == "mmchurn"]
        how = "process mmchurn"
    tap.diag("mmchurn: %s" % " ".join("%s=%s" % i for i in kv.items()
                                      if not i[0].endswith("_tids")))
    tap.diag("mmchurn tasks in the report (%s): %d" % (how, len(mine)))
    tap.ok(mine, "mmchurn's threads are in the report after it exited (%s)"
           % how)

    def stats_of(cls):
        return [(t, s) for t in mine for s in t.get("stalls") or []
                if isinstance(s, dict) and s.get("class") == cls and
                ival(s, "count") > 0]

    # (a) rwsem_write: munmap, on mmap_lock.
    w = stats_of("rwsem_write")
    if not has["write"]:
        for n in ("rwsem_write stalls for mmchurn",
                  "rwsem_write site munmap on mmap_lock"):
            tap.skip(n, "no rwsem write slowpath in kallsyms")
    else:
        tap.diag("mmchurn rwsem_write: " + breakdown(w))
        tap.ok(w, "rwsem_write stalls for mmchurn (%d stats, %d waits)" %
               (len(w), sum(ival(s, "count") for _, s in w)))
        tap.ok(any("munmap" in stat_sites(s) and "mmap_lock" in stat_locks(s)
                   for _, s in w),
               "rwsem_write site munmap on mmap_lock", breakdown(w))
        # munmap(2) callers: churn-unmap; glibc in churn-spawn (a malloc
        # arena's heap trimmed in pthread_create) and in the main thread
        # (thread stacks freed after pthread_join); strace shows no other.
        callers = ("churn-unmap", "churn-spawn", "mmchurn")
        bad = ["%s: %d munmap waits" % (tname(t), stat_sites(s)["munmap"])
               for t, s in w if "munmap" in stat_sites(s) and
               t.get("comm") not in callers]
        tap.ok(not bad, "munmap waits only on threads that call munmap "
               "(%s)" % ", ".join(callers), bad)
        unmap = sum(stat_sites(s).get("munmap", 0) for t, s in w
                    if t.get("comm") == "churn-unmap")
        allm = sum(stat_sites(s).get("munmap", 0) for _, s in w)
        tap.ok(allm and unmap * 2 > allm, "most munmap waits are "
               "churn-unmap's (%d of %d)" % (unmap, allm))

    # (b) rwsem_read: page faults, madvise, exit, on mmap_lock.
    r = stats_of("rwsem_read")
    rsites = ("page_fault", "madvise", "exit")
    if not has["read"]:
        tap.skip("rwsem_read stalls for mmchurn",
                 "no rwsem read slowpath in kallsyms")
        tap.skip("rwsem_read site page_fault/madvise/exit on mmap_lock",
                 "no rwsem read slowpath in kallsyms")
    else:
        tap.diag("mmchurn rwsem_read: " + breakdown(r))
        tap.ok(r, "rwsem_read stalls for mmchurn (%d stats, %d waits)" %
               (len(r), sum(ival(s, "count") for _, s in r)))
        tap.ok(any(set(rsites) & set(stat_sites(s)) and
                   "mmap_lock" in stat_locks(s) for _, s in r),
               "rwsem_read site page_fault/madvise/exit on mmap_lock",
               breakdown(r))

    # Identity: threads are who mmchurn says they are.
    bad = ["%s process %r" % (tname(t), t.get("process")) for t in mine
           if t.get("process") != "mmchurn"]
    tap.ok(mine and not bad, "mmchurn's threads report process mmchurn", bad)
    bad = []
    for key, comm in (("churn_unmap_tids", "churn-unmap"),
                      ("churn_advise_tids", "churn-advise"),
                      ("churn_fault_tids", "churn-fault"),
                      ("churn_spawn_tids", "churn-spawn")):
        tids = kv_tids(kv, key)
        for t in doc.get("tasks") or []:
            if isinstance(t, dict) and t.get("pid") in tids and \
                    (t.get("tgid") != pid or
                     t.get("comm") not in (comm, "mmchurn")):
                bad.append("%s: expected tgid %s comm %s" %
                           (tname(t), pid, comm))
    if not any(kv_tids(kv, k) for k in kv if k.endswith("_tids")):
        tap.skip("long-lived threads keep their names and tgid",
                 "mmchurn.out lists no tids")
    else:
        tap.ok(not bad, "long-lived threads keep their names and tgid", bad)

    # (f) short-lived threads keep their slots after they exit.
    spawned = kv_int(kv, "spawned")
    if not (has["read"] or has["write"]):
        tap.skip("short-lived churn-short threads in the report",
                 "no rwsem slowpath in kallsyms")
        return
    long_tids = set()
    for k in kv:
        if k.endswith("_tids"):
            long_tids |= kv_tids(kv, k)
    short = {t.get("pid") for t in mine if t.get("comm") == "churn-short"}
    tap.diag("churn-short: %d distinct threads with stalls of %s spawned" %
             (len(short), spawned))
    bad = sorted(short & (long_tids | {pid}))
    tap.ok(not bad, "churn-short pids are not the long-lived threads'", bad
           and "pids %s" % bad)
    limit = (spawned or 0) + len(long_tids) + 1
    tap.ok(len(mine) <= limit, "mmchurn tasks (%d) <= threads it ever had "
           "(%d)" % (len(mine), limit))
    if spawned is not None and spawned < 2:
        tap.skip("several short-lived churn-short threads in the report",
                 "mmchurn spawned %s threads" % spawned)
    else:
        tap.ok(len(short) >= 2, "several short-lived churn-short threads in "
               "the report (%d distinct pids)" % len(short))


def check_probes(tap, doc, has, label=""):
    """Probe states agree with kallsyms; on RT, `missing` with an error."""
    for d in ("read", "write"):
        cls = "rwsem_" + d
        probes = [p for p in doc.get("probes") or []
                  if isinstance(p, dict) and p.get("class") == cls]
        desc = ["%s %s %s error %s" % (p.get("target"), p.get("kind"),
                                       p.get("state"), p.get("error"))
                for p in probes]
        if has[d]:
            att = [p for p in probes if p.get("state") == "attached"]
            tap.ok(att, "%s%s attached (kallsyms has %s)" %
                   (label, cls, ", ".join(has[d])), desc or "no probe")
            names = {base_symbol(n) for n in has[d]}
            krp = [p for p in att if p.get("kind") == "kretprobe"]
            tps = [p for p in att if p.get("kind") == "tracepoint"]
            bad = ["%s not in kallsyms" % p.get("target") for p in krp
                   if base_symbol(str(p.get("target"))) not in names]
            bad += ["%s is a %s" % (p.get("target"), p.get("kind"))
                    for p in att if p not in krp and p not in tps]
            bad += ["tracepoint %s is not contention_begin" % p.get("target")
                    for p in tps if p.get("target") != "contention_begin"]
            ends = [p for p in doc.get("probes") or []
                    if isinstance(p, dict) and
                    p.get("class") == "rwsem_wait_end" and
                    p.get("state") == "attached"]
            if tps and not ends:
                bad.append("contention_begin attached without "
                           "contention_end (rwsem_wait_end)")
            if tps and krp:
                bad.append("both the tracepoint and its kretprobe fallback "
                           "are attached")
            tap.ok(att and not bad, "%s%s attached probes are the contention "
                   "tracepoints or kretprobes on a kallsyms slowpath"
                   % (label, cls), bad or desc)
        else:
            tap.ok(probes and all(p.get("state") == "missing"
                                  for p in probes),
                   "%s%s missing (no slowpath in kallsyms)" % (label, cls),
                   desc or "no probe")
            tap.ok(probes and all(ival(p, "error") != 0 for p in probes),
                   "%s%s missing probes carry an error" % (label, cls), desc)


def load_json(tap, path, name):
    text = read_text(path)
    if text is None:
        tap.ok(False, "%s present" % name, "%s not found" % path)
        return None
    try:
        doc = json.loads(text)
    except ValueError as e:
        tap.ok(False, "%s is valid JSON" % name, str(e))
        return None
    tap.ok(True, "%s is valid JSON (%d bytes)" % (name, len(text)))
    return doc


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s RESULTS_DIR KERNEL_NAME\n" % argv[0])
        return 2
    rdir, kname = argv[1], argv[2]
    tap = Tap()
    tap.diag("check_rwsem: kernel %s, results %s" % (kname, rdir))

    ktext = read_text(os.path.join(rdir, "kallsyms-rwsem.txt"))
    if ktext is None:
        tap.ok(False, "kallsyms-rwsem.txt present",
               "04-rwsem.sh did not run or did not finish")
        return tap.done()
    has = slowpaths(ktext)
    rt = not has["read"] and not has["write"]
    kinfo = read_text(os.path.join(rdir, "kernel.txt")) or ""
    m = re.search(r"^release=(.*)$", kinfo, re.M)
    release = m.group(1).strip() if m else None
    tap.diag("kallsyms: read %s, write %s" % (has["read"] or "none",
                                              has["write"] or "none"))
    if rt != kname.endswith("-rt"):
        tap.diag("note: kernel name %s but kallsyms %s the slowpaths" %
                 (kname, "lacks" if rt else "has"))

    doc = load_json(tap, os.path.join(rdir, "rwsem.json"), "rwsem.json")
    if doc is not None and check_schema(tap, doc, "", release):
        kern = doc.get("kernel") if isinstance(doc.get("kernel"), dict) \
            else {}
        if kname.endswith("-rt"):
            tap.ok(kern.get("preempt") == "rt", "kernel.preempt is rt",
                   "kernel.preempt %r" % kern.get("preempt"))
        else:
            tap.ok(kern.get("preempt") != "rt", "kernel.preempt is not rt",
                   "kernel.preempt %r" % kern.get("preempt"))
        check_probes(tap, doc, has)
        check_stats(tap, doc, "")
        classes = [c for c in RWSEM_CLASSES if has[c[6:]]]
        if classes:
            check_class_counts(tap, doc, "", classes)
        else:
            tap.skip("per-class counts vs probe hits",
                     "no rwsem slowpath in kallsyms (PREEMPT_RT?)")
        lost = doc.get("lost") or {}
        tap.diag("lost: %s" % lost)
        kv = parse_kv(read_text(os.path.join(rdir, "mmchurn.out")))
        if not kv:
            tap.ok(False, "mmchurn.out has the key=value summary")
        elif rt:
            tap.skip("mmchurn's rwsem stalls",
                     "no rwsem slowpath in kallsyms (PREEMPT_RT): "
                     "nothing to attach to")
        else:
            check_rwsem_run(tap, doc, kv, has)

    # 02-params.sh: 16 task slots, one kretprobe instance.
    small_path = os.path.join(rdir, "small.json")
    if not os.path.exists(small_path):
        tap.skip("small: report with max_tasks=16 maxactive=1",
                 "small.json not found (02-params.sh did not get there)")
    else:
        small = load_json(tap, small_path, "small: small.json")
        if small is not None and check_schema(tap, small, "small: "):
            tasks = small.get("tasks") or []
            tap.ok(len(tasks) <= 16, "small: at most max_tasks=16 tasks "
                   "(%d)" % len(tasks))
            tap.diag("small: lost %s" % small.get("lost"))
            check_stats(tap, small, "small: ")
            classes = [c for c in RWSEM_CLASSES if has[c[6:]]]
            if classes:
                check_class_counts(tap, small, "small: ", classes)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
