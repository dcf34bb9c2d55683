#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of seed 003: reclaim stalls of a tmpfs copy.

Usage: check_reclaim.py RESULTS_DIR KERNEL_NAME

From 08-reclaim.sh: reclaim-env.txt (what the guest kernel has),
tmpfscopy.out and reclaim.json (the copy from a full tmpfs to ext4),
tmpfscopy-memcg.out, reclaim-memcg.json, memcg-path.txt, memcg-ino.txt
and memcg-events.txt (the same inside a cgroup with memory.max).  From
11-compaction.sh: compaction-env.txt, fragment.out and compaction.json
(direct compaction at the module's defaults).
Expectations come from what the workload and the kernel's own counters
say, never from timing.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rwsem import (Tap, load_doc, parse_kv, probes_of,  # noqa: E402
                         read_text)

# Reclaims in flight at the window's edges (2 CPUs, begin and end).
EDGE_SLACK = 4
VMSTAT_KEYS = ("allocstall", "pgscan_direct", "pgsteal_direct",
               "pgscan_kswapd", "pgsteal_kswapd", "pageoutrun")


def env_of(results):
    env = {}
    for line in (read_text(os.path.join(results, "reclaim-env.txt"))
                 or "").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env.setdefault(k, []).append(v)
    return env


def ran(results, env):
    """Whether 08-reclaim ran its workload (it skips without a disk)."""
    tap = read_text(os.path.join(results, "tap", "08-reclaim.tap")) or ""
    return bool(env) and "# SKIP no " not in tap


def stall_of(task, cls):
    for s in task.get("stalls", []):
        if s.get("class") == cls:
            return s
    return None


def tasks_of(doc, pid):
    return [t for t in doc.get("tasks", []) if t.get("pid") == pid]


def class_total(doc, cls):
    return sum(s.get("count", 0) for t in doc.get("tasks", [])
               for s in t.get("stalls", []) if s.get("class") == cls)


def check_probes(tap, doc, env, label):
    kall = set(env.get("kallsyms", []))
    for cls, tps, fallback in (
            ("direct_reclaim", ("mm_vmscan_direct_reclaim_begin",
                                "mm_vmscan_direct_reclaim_end"),
             "try_to_free_pages"),
            ("memcg_reclaim", ("mm_vmscan_memcg_reclaim_begin",
                               "mm_vmscan_memcg_reclaim_end"),
             "try_to_free_mem_cgroup_pages")):
        probes = probes_of(doc, cls)
        state = {p.get("target"): p.get("state") for p in probes}
        tp_ok = all(state.get(t) == "attached" for t in tps)
        fb = state.get(fallback)
        tap.ok(tp_ok and fb == "off" or not tp_ok and fb == "attached",
               label + "%s: tracepoints attached and the %s fallback off, "
               "or the fallback attached" % (cls, fallback),
               ["%s %s %s %s" % (p.get("target"), p.get("kind"),
                                 p.get("state"), p.get("error"))
                for p in probes])
    check_compaction_probe(tap, doc, kall, label)


def check_compaction_probe(tap, doc, kall, label):
    """Compaction is on at defaults: return sites on try_to_compact_pages,
    else a kretprobe fallback (the notes say why), where the kernel has
    the functions; never attached where it has neither."""
    comp = probes_of(doc, "compaction")
    notes = doc.get("notes", {})
    desc = ["%s %s %s %s" % (p.get("target"), p.get("kind"), p.get("state"),
                             p.get("error")) for p in comp]
    desc.append("kallsyms %s" % sorted(kall))
    desc.append("notes %s" % {k: v for k, v in notes.items()
                               if "compaction" in k})
    attached = [p for p in comp if p.get("state") == "attached"]
    if "try_to_compact_pages" in kall:
        why = notes.get("return_sites:compaction")
        ok = (len(attached) == 1 and
              (attached[0].get("kind") == "return_sites" and
               attached[0].get("target") == "try_to_compact_pages" or
               attached[0].get("kind") == "kretprobe" and bool(why)))
        tap.ok(ok, label + "compaction attached at defaults: return sites "
               "on try_to_compact_pages (or a kretprobe, with the reason)",
               desc)
        tap.ok(bool(notes.get("timing:compaction")),
               label + "the notes say what timed compaction", desc)
    elif "__alloc_pages_direct_compact" in kall:
        tap.ok(len(attached) == 1, label + "compaction attached to "
               "__alloc_pages_direct_compact", desc)
    else:
        tap.ok(not attached, label + "compaction not attached where the "
               "kernel has no compaction functions", desc)
    return bool(attached)


def check_compaction(tap, results):
    """11-compaction: every direct compaction the kernel counted
    (compact_stall, not counting compactions skipped at once) is a
    compaction stall of a task, and fragment's are among them."""
    label = "compaction: "
    env = {}
    for line in (read_text(os.path.join(results, "compaction-env.txt"))
                 or "").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env.setdefault(k, []).append(v)
    doc = load_doc(os.path.join(results, "compaction.json"))
    if doc is None:
        tap.ok(False, label + "compaction.json present and parses")
        return
    kall = set(env.get("kallsyms", []))
    if not check_compaction_probe(tap, doc, kall, label):
        tap.skip(label + "stalls match compact_stall",
                 "no compaction probe attached (kallsyms %s)" % sorted(kall))
        return
    if env.get("compact_stall") != ["1"]:
        tap.skip(label + "stalls match compact_stall",
                 "the kernel counts no compact_stall (no CONFIG_COMPACTION)")
        return
    delta = (doc.get("context") or {}).get("vmstat_delta") or {}
    stall = delta.get("compact_stall")
    got = class_total(doc, "compaction")
    kind = [p.get("kind") for p in probes_of(doc, "compaction")
            if p.get("state") == "attached"]
    out = parse_kv(read_text(os.path.join(results, "fragment.out"))) or {}
    desc = ["compact_stall delta %s, compaction stalls %s, probe %s, "
            "fragment %s, thp %s defrag %s"
            % (stall, got, kind, out, env.get("thp"), env.get("defrag"))]
    if stall == 0 and not "".join(env.get("thp", [])):
        # PREEMPT_RT has no THP: only the order-3 datagrams ask, and a
        # free order-3 block may always be found for them
        tap.skip(label + "fragment made the kernel compact",
                 "no transparent huge pages on this kernel, and the "
                 "datagrams found free order-3 blocks (compact_stall 0)")
        return
    tap.ok(isinstance(stall, int) and stall > 0,
           label + "fragment made the kernel compact (compact_stall > 0)",
           desc)
    if kind == ["return_sites"]:
        tap.ok(got == stall, label + "compaction stalls == compact_stall "
               "delta (%s)" % stall, desc)
    else:
        # the kretprobe also counts compactions skipped at once
        tap.ok(isinstance(stall, int) and got >= stall,
               label + "compaction stalls >= compact_stall delta "
               "(kretprobe: skipped calls counted too)", desc)
    mine = [s for t in tasks_of(doc, int(out.get("pid", -1)))
            for s in t.get("stalls", []) if s.get("class") == "compaction"]
    tap.ok(mine and mine[0].get("count", 0) > 0 and
           mine[0].get("total_ns", 0) > 0,
           label + "fragment has compaction stalls with time", desc)


def check_context(tap, doc, env, label):
    ctx = doc.get("context")
    if not isinstance(ctx, dict):
        tap.ok(False, label + "report has a context object", repr(ctx))
        return None
    tap.ok(ctx.get("source") == "live", label + "context read live",
           repr(ctx.get("source")))
    delta = ctx.get("vmstat_delta") or {}
    missing = [k for k in VMSTAT_KEYS if not isinstance(delta.get(k), int)]
    no_events = doc.get("notes", {}).get("vmstat", "")
    if no_events:
        tap.skip(label + "vmstat_delta has %s" % ", ".join(VMSTAT_KEYS),
                 "the module says: " + no_events)
    else:
        tap.ok(not missing,
               label + "vmstat_delta has %s" % ", ".join(VMSTAT_KEYS),
               "missing %s in %s" % (missing, delta))
    psi = ctx.get("psi_memory")
    if env.get("psi") == ["1"]:
        some = (psi or {}).get("some") or {}
        tap.ok(isinstance(some.get("total_us"), int) and
               all(isinstance(some.get(k), (int, float))
                   for k in ("avg10", "avg60", "avg300")),
               label + "psi_memory.some has avg10/60/300 and total_us",
               repr(psi))
    else:
        tap.ok(psi is None, label + "psi_memory is null without "
               "/proc/pressure/memory", repr(psi))
    zones = ctx.get("zones") or []
    bad = [z for z in zones
           if not (0 <= z.get("min", -1) <= z.get("low", -1)
                   <= z.get("high", -1)) or
           not isinstance(z.get("free"), int) or
           not isinstance(z.get("node"), int) or not z.get("zone")]
    tap.ok(zones and not bad and
           any(z.get("zone") in ("Normal", "DMA32") for z in zones),
           label + "zones list node, zone, free and min <= low <= high",
           "zones %s" % zones)
    return delta


def check_direct(tap, results, env):
    label = "direct_reclaim: "
    out = parse_kv(read_text(os.path.join(results, "tmpfscopy.out")))
    doc = load_doc(os.path.join(results, "reclaim.json"))
    if not out or doc is None:
        if not ran(results, env):
            tap.skip(label + "tmpfs copy to disk",
                     "08-reclaim did not run, or had no disk")
            return
        tap.ok(False, label + "results present",
               "tmpfscopy.out or reclaim.json missing or unparsable")
        return
    pid = int(out["pid"])
    check_probes(tap, doc, env, "probes: ")
    delta = check_context(tap, doc, env, label) or {}

    mine = tasks_of(doc, pid)
    tap.ok(len(mine) == 1 and mine[0].get("comm") == "tmpfscopy",
           label + "the copying task is in the report (pid %d)" % pid,
           [(t.get("pid"), t.get("comm")) for t in doc.get("tasks", [])])
    st = stall_of(mine[0], "direct_reclaim") if mine else None
    tap.ok(st is not None and st.get("count", 0) > 0,
           label + "tmpfscopy stalled in direct reclaim",
           "stalls %s, allocstall +%s"
           % ([s.get("class") for s in (mine[0].get("stalls", [])
                                        if mine else [])],
              delta.get("allocstall")))
    if st is None:
        return
    hist = st.get("hist", [])
    tap.ok(hist and sum(b.get("count", 0) for b in hist) == st["count"],
           label + "its histogram holds every stall (%d)" % st["count"],
           "hist %s" % hist)
    tap.ok(0 < st.get("max_ns", 0) <= st.get("total_ns", 0) and
           st.get("p50_ns", 0) <= st.get("p99_ns", 0),
           label + "0 < max_ns <= total_ns, p50 <= p99", repr(
               {k: st.get(k) for k in ("count", "total_ns", "max_ns",
                                       "p50_ns", "p99_ns")}))
    orders = st.get("orders", [])
    tap.ok(sum(o.get("count", 0) for o in orders) == st["count"] and
           any(o.get("order") == 0 for o in orders),
           label + "orders sum to the stalls, page-cache order 0 among them",
           repr(orders))
    gfp = st.get("gfp", [])
    tap.ok(sum(g.get("count", 0) for g in gfp) == st["count"] and
           all(g.get("flags") and not g["flags"].startswith("0x")
               for g in gfp) and
           any("MOVABLE" in g["flags"] or "__GFP_WRITE" in g["flags"]
               for g in gfp),
           label + "gfp summary named by the kernel, page cache flags "
           "(HIGHUSER_MOVABLE / __GFP_WRITE)", repr(gfp))
    tap.ok(st.get("nr_reclaimed", 0) > 0,
           label + "pages reclaimed reported", repr(st.get("nr_reclaimed")))
    sites = [s.get("site") for s in st.get("by_site", [])]
    tap.ok(any("write" in (s or "") for s in sites),
           label + "site names the write system call", repr(sites))

    total = class_total(doc, "direct_reclaim")
    allocstall = delta.get("allocstall")
    lost = doc.get("lost", {})
    if isinstance(allocstall, int):
        tap.ok(allocstall - EDGE_SLACK - lost.get("task_slots", 0)
               - lost.get("stat_blocks", 0) <= total
               <= allocstall + EDGE_SLACK,
               label + "stalls recorded (%d) match vmstat allocstall delta "
               "(%d)" % (total, allocstall), repr(lost))
        tap.ok(delta.get("pgscan_direct", 0) > 0,
               label + "pgscan_direct moved over the window", repr(delta))


def check_memcg(tap, results, env):
    label = "memcg_reclaim: "
    if env and env.get("memcg") != ["1"]:
        tap.skip(label + "cgroup v2 variant", "no memory controller")
        return
    out = parse_kv(read_text(os.path.join(results, "tmpfscopy-memcg.out")))
    doc = load_doc(os.path.join(results, "reclaim-memcg.json"))
    if not out or doc is None:
        if not ran(results, env):
            tap.skip(label + "cgroup v2 variant",
                     "08-reclaim did not run, or had no disk")
            return
        tap.ok(False, label + "results present",
               "tmpfscopy-memcg.out or reclaim-memcg.json missing")
        return
    pid = int(out["pid"])
    path = (read_text(os.path.join(results, "memcg-path.txt"))
            or "").strip()
    ino = (read_text(os.path.join(results, "memcg-ino.txt")) or "").strip()
    events = {}
    for line in (read_text(os.path.join(results, "memcg-events.txt"))
                 or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            events[parts[0]] = int(parts[1])
    mine = tasks_of(doc, pid)
    st = stall_of(mine[0], "memcg_reclaim") if mine else None
    tap.ok(st is not None and st.get("count", 0) > 0,
           label + "tmpfscopy in %s stalled in memcg reclaim" % path,
           "tasks %s, memory.events %s"
           % ([(t.get("pid"), t.get("comm"),
                [s.get("class") for s in t.get("stalls", [])])
               for t in doc.get("tasks", [])], events))
    if st is None:
        return
    memcg = st.get("memcg", "")
    tap.ok(memcg in (path, "ino:" + ino),
           label + "memcg names the task's group (%s or ino:%s)"
           % (path, ino), repr(memcg))
    hist = st.get("hist", [])
    tap.ok(hist and sum(b.get("count", 0) for b in hist) == st["count"],
           label + "its histogram holds every stall (%d)" % st["count"],
           "hist %s" % hist)
    gfp = st.get("gfp", [])
    tap.ok(gfp and sum(g.get("count", 0) for g in gfp) == st["count"],
           label + "gfp summary counts every stall", repr(gfp))
    if "max" in events:
        # try_charge() counts a "max" event, then reclaims: one each.
        limit = events["max"] + events.get("high", 0) + EDGE_SLACK
        tap.ok(st["count"] <= limit,
               label + "stalls (%d) <= memory.events max + high (%d)"
               % (st["count"], limit - EDGE_SLACK), repr(events))
    others = [t for t in doc.get("tasks", []) if t.get("pid") != pid and
              stall_of(t, "memcg_reclaim")]
    tap.ok(not others, label + "no other task stalled in memcg reclaim",
           [(t.get("pid"), t.get("comm")) for t in others])


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    results = sys.argv[1]
    tap = Tap()
    env = env_of(results)
    check_direct(tap, results, env)
    check_memcg(tap, results, env)
    check_compaction(tap, results)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
