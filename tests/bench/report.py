#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tests/bench/report.py: the bench's figures from the guests' records.

Usage: report.py [--json FILE] CONFIG_DIR...

Each CONFIG_DIR is $MMSTALL_OUT/bench/CONFIG with results/bench-runs.txt
(written by tests/bench/guest/run.sh): "run ..." lines (one timed run:
mode, workload, ns, hits in mmstall's units), "mem ..." and "env ..."
lines.  Prints a plain-text table: (a) per-hit cost of mmstall's handlers
against an empty probe on the same points, (b) workload slowdown with
mmstall and with bpftrace, (c) memory.  Every figure is a median over the
repetitions of a difference taken within one repetition (the runs it
compares ran next to each other in the same boot), with its min..max.
"""
import json
import os
import statistics
import sys

# (row, workload that exercises the class, hit unit in the records, per)
CLASSES = [
    ("mm_calls", "jitmap", "mm_calls", "syscall"),
    ("rwsem", "mmchurn", "rwsem", "rwsem wait"),
    ("reclaim", "reclaim", "reclaim", "direct reclaim"),
    ("reclaim", "memcg", "reclaim", "memcg reclaim"),
]
# (row, synthetic workload, hit unit, per): timed against the interleaved
# batches of the same run that did not call the probes.
FIRES = [
    ("mm_calls", "kp-mmap", "mm_calls", "syscall"),
    ("rwsem", "fire-rwsem", "rwsem", "fired wait"),
    ("rwsem", "fire-rwsem-slow", "rwsem", "fired wait"),
    ("reclaim", "fire-reclaim", "reclaim", "fired reclaim"),
    ("slab", "kp-pipe", "slab", "slab refill"),
]
SLOWDOWN_WORKLOADS = ["mmchurn", "slabbench", "reclaim", "memcg", "jitmap"]
UNITS = ("mm_calls", "rwsem", "reclaim", "slab")
GOAL_RATIO = 1.25
GOAL_SLOWDOWN = 3.0
PROFILE_TOP = 14


def parse_words(line):
    kind, _, rest = line.partition(" ")
    rec = {}
    for w in rest.split():
        k, eq, v = w.partition("=")
        if eq:
            rec[k] = v
    return kind, rec


def num(v):
    if v in (None, "-", ""):
        return None
    return float(v)


def load(dirs):
    runs, mems, envs, costs, extra = [], [], [], [], {}
    for d in dirs:
        name = os.path.basename(d.rstrip("/"))
        path = os.path.join(d, "results", "bench-runs.txt")
        if not os.path.exists(path):
            envs.append({"config": name, "missing": path})
            continue
        with open(path) as f:
            for line in f:
                kind, rec = parse_words(line.strip())
                rec.setdefault("config", name)
                if kind == "run":
                    runs.append(rec)
                elif kind == "mem":
                    mems.append(rec)
                elif kind == "env":
                    envs.append(rec)
                elif kind == "cost":
                    costs.append(rec)
        for st in ("status-last-rep.txt", "status-kretprobes.txt"):
            p = os.path.join(d, "results", st)
            if os.path.exists(p):
                with open(p) as f:
                    cost = [l.rstrip() for l in f if l.startswith("cost ")]
                if cost:
                    extra[f"{name}/{st}"] = cost
    return runs, mems, envs, costs, extra


def summary(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "n": len(vals)}


def pick(runs, **want):
    return [r for r in runs if all(r.get(k) == v for k, v in want.items())]


def by_rep(runs):
    return {r["rep"]: r for r in runs}


def paired(runs, config, workload, mode, base_mode="none", extra=None,
           base_extra=None):
    """Per repetition: (run, base run) of the same repetition."""
    a = by_rep(pick(runs, config=config, workload=workload, mode=mode,
                    **(extra or {})))
    b = by_rep(pick(runs, config=config, workload=workload, mode=base_mode,
                    **(base_extra or {})))
    return [(a[k], b[k]) for k in sorted(a, key=int) if k in b]


def per_hit(pairs, unit, subtract=None):
    """(ns - base ns - subtracted ns) / hits, per repetition."""
    out = []
    for run, base in pairs:
        hits = num(run.get(unit))
        if not hits:
            out.append(None)
            continue
        delta = num(run["ns"]) - num(base["ns"])
        if subtract:
            sub_unit, sub_cost = subtract
            delta -= (num(run.get(sub_unit)) or 0) * sub_cost
        out.append(delta / hits)
    return out


def slowdown(pairs):
    return [(num(r["ns"]) - num(b["ns"])) * 100 / num(b["ns"])
            for r, b in pairs]


def fmt(s, unit="", digits=0):
    if not s:
        return "n/a"
    f = f"{{:.{digits}f}}"
    return (f"{f.format(s['median'])}{unit} "
            f"[{f.format(s['min'])}..{f.format(s['max'])}]")


def ratio(a, b):
    if not a or not b or b["median"] <= 0 or a["median"] <= 0:
        return None
    return a["median"] / b["median"]


def section_a(runs, out, js):
    out.append("(a) Per-hit cost: ns the probes add / hits of the class, "
               "median [min..max] over runs")
    out.append(f"    goal: mmstall <= {GOAL_RATIO:.2f}x the empty probe")
    out.append(f"    {'class':<8} {'workload':<20} {'per':<15} "
               f"{'empty ns/hit':<28} {'mmstall ns/hit':<28} ratio")
    js["per_hit"] = {}
    out.append("  within one run, batches with and without the probes in "
               "turn (robust to a busy host):")
    for cls, wl, unit, per in FIRES:
        for how in ("all", "med"):
            row = {}
            for mode in ("empty", "mmstall"):
                config = "kret-" + mode if wl == "kp-pipe" else "defaults"
                rs = pick(runs, config=config, workload=wl, mode=mode)
                row[mode] = summary([fire_per_hit(r, unit, how) for r in rs])
                row[mode + "_hits"] = summary([num(r.get(unit)) for r in rs])
            add_row(out, js, cls, wl + ("" if how == "all" else " med"),
                    per, row)
    out.append("  whole workloads, each run against the run without probes "
               "next to it (noisy):")
    mm_cost = {}
    for cls, wl, unit, per in CLASSES:
        row = per_hit_row(paired_modes(runs, "defaults", wl), unit)
        for mode in ("empty", "mmstall"):
            if wl == "jitmap" and row.get(mode):
                mm_cost[mode] = row[mode]["median"]
        add_row(out, js, cls, wl, per, row)
        if wl == "mmchurn" and mm_cost:
            # mmchurn also makes mmap/munmap/madvise calls: their share,
            # at the jitmap per-call cost of the same mode, taken out.
            row = {}
            for mode, cost in mm_cost.items():
                pairs = paired(runs, "defaults", wl, mode)
                row[mode] = summary(per_hit(pairs, unit, ("mm_calls", cost)))
            add_row(out, js, cls, "mmchurn*", per, row)
    row = per_hit_row({mode: paired(runs, "kret-" + mode, "slabbench", mode,
                                    mode, {"armed": "1"}, {"armed": "0"})
                       for mode in ("empty", "mmstall")}, "slab")
    add_row(out, js, "slab", "slabbench", "slab refill", row)
    # the return-site timer against empty kprobes on its points, and its
    # cost set beside the kretprobe's
    row = per_hit_row({mode: paired(runs, "ret-" + mode, "slabbench", mode,
                                    mode, {"armed": "1"}, {"armed": "0"})
                       for mode in ("empty", "mmstall")}, "slab")
    add_row(out, js, "slab", "slabbench ret-sites", "slab refill", row)
    kret = (js["per_hit"].get("slabbench") or {}).get("mmstall")
    ret = row.get("mmstall")
    if kret and ret:
        r = ratio(ret, kret)
        out.append(f"    slab refill, mmstall: return sites {fmt(ret)} ns "
                   f"per hit, kretprobe {fmt(kret)}: {r:.2f}x "
                   + ("(goal <= 1: ok)" if r <= 1 else "(goal <= 1: MISSED)"))
        js["slab_return_sites_vs_kretprobe"] = r
    for line in NOTES_A:
        out.append("    " + line)
    if not (js["per_hit"].get("reclaim", {}).get("mmstall_hits") or {}).get("median"):
        out.append("    reclaim: no direct reclaim in the tmpfs copy (kswapd "
                   "kept up); memcg and fire-reclaim time the same handlers")
    out.append("    hits per run (median, empty/mmstall): " + "; ".join(
        f"{k} {v['empty_hits']['median']:.0f}/{v['mmstall_hits']['median']:.0f}"
        for k, v in js["per_hit"].items()
        if v.get("empty_hits") and v.get("mmstall_hits") and
        not k.endswith(" med")))
    # bpftrace keeps no count, but each mmap+munmap of kpalt is 2 hits
    bt = pick(runs, config="defaults", workload="kp-mmap", mode="bpftrace")
    for r in bt:
        r["mm_calls"] = str(2 * (int(r["batch"]) + int(r.get("warmup", 0)))
                            * int(r["batches"]))
    s = summary([fire_per_hit(r, "mm_calls", "med") for r in bt])
    if s:
        out.append(f"    bpftrace, kp-mmap med: {fmt(s)} ns per syscall hit "
                   "(its kprobes on the same syscalls)")
        js["per_hit"]["kp-mmap bpftrace"] = s


NOTES_A = [
    "kp-*: kpalt: batches of 10 mmap+munmap (kp-mmap) or of 10 pipes made "
    "and closed (kp-pipe,",
    "  the slab kretprobe, one boot per side) with every kprobe armed, "
    "each followed by the same batch disarmed",
    "fire-*: empty_probe.ko calls the probes of a tracepoint pair itself "
    "(no workload around them), batches",
    "  of 100 each followed by the same loop without the calls; "
    "fire-rwsem-slow: begin and end 20 us apart",
    "  (over mmstall's stack_threshold_ns: a stack walk per wait)",
    "all: (sum with - sum without) / hits; med: median over the pairs of "
    "batches of their difference / hits",
    "mmchurn*: its mm_calls hits charged at the jitmap per-call cost of the "
    "same mode, the rest per rwsem wait",
    "slabbench: runs with every kprobe armed against runs disarmed "
    "(the kretprobe registered once per boot);",
    "  ret-sites: the same with mmstall's return-site kprobes (entry and "
    "the sites), empty or mmstall at defaults",
]


def fire_per_hit(run, unit, how):
    """A fire run's cost per event against its own interleaved baseline."""
    if how == "med":
        a, b, n = num(run.get("med_diff_ns")), 0, num(run.get("batch"))
        if run.get("batches") and num(run.get(unit)):
            # kpalt: the hits of an armed batch, its warm-up left out
            ops, warm = num(run["batch"]), num(run.get("warmup")) or 0
            n = num(run[unit]) / num(run["batches"]) * ops / (ops + warm)
    else:
        a, b, n = num(run.get("ns")), num(run.get("base_ns")), num(run.get(unit))
        if n and run.get("warmup"):
            ops, warm = num(run["batch"]), num(run["warmup"])
            n = n * ops / (ops + warm)
    if a is None or b is None or not n:
        return None
    return (a - b) / n


def paired_modes(runs, config, workload):
    return {mode: paired(runs, config, workload, mode)
            for mode in ("empty", "mmstall")}


def per_hit_row(pairs_by_mode, unit):
    row = {}
    for mode, pairs in pairs_by_mode.items():
        row[mode] = summary(per_hit(pairs, unit))
        row[mode + "_hits"] = summary([num(r.get(unit)) for r, _ in pairs])
    return row


def add_row(out, js, cls, wl, per, row):
    e, m = row.get("empty"), row.get("mmstall")
    r = ratio(m, e)
    if r is None:
        verdict = "n/a"
    elif e["min"] <= 0 or m["min"] <= 0:
        verdict = f"{r:.2f}x (within noise: a difference <= 0 in the range)"
    elif r <= GOAL_RATIO:
        verdict = f"{r:.2f}x ok"
    else:
        verdict = f"{r:.2f}x MISSED by {(r / GOAL_RATIO - 1) * 100:.0f}%"
    out.append(f"    {cls:<8} {wl:<20} {per:<15} {fmt(e):<28} {fmt(m):<28} "
               f"{verdict}")
    js["per_hit"][wl] = dict(row, cls=cls, per=per, ratio=r)


def section_self(costs, out, js):
    """mmstall's own accounting of its handlers, per workload and class."""
    if not costs:
        return
    out.append("")
    out.append("(a') mmstall's handlers as the module times them (status "
               "'cost'; the dispatch to them not included),")
    out.append("     ns per handler call, median [min..max] over runs")
    js["self_cost"] = {}
    keys = sorted({(c["config"], c["workload"], c["class"]) for c in costs})
    for config, wl, cls in keys:
        cs = [c for c in costs if (c["config"], c["workload"], c["class"]) ==
              (config, wl, cls) and c.get("armed", "1") == "1"]
        calls = summary([num(c["calls"]) for c in cs])
        per = summary([num(c["total_ns"]) / num(c["calls"]) for c in cs])
        if not calls or calls["median"] < 10:
            continue
        name = wl if config == "defaults" else f"{wl} ({config})"
        out.append(f"    {name:<26} {cls:<16} {calls['median']:>8.0f} calls  "
                   f"{fmt(per)}")
        js["self_cost"][f"{config}/{wl}/{cls}"] = {"calls": calls,
                                                    "ns_per_call": per}


def section_b(runs, out, js):
    out.append("")
    out.append("(b) Slowdown: (ns with - ns without) / ns without, "
               "median [min..max] %")
    out.append(f"    goal: mmstall at defaults <= {GOAL_SLOWDOWN:.0f}%")
    out.append(f"    {'workload':<10} {'base ms':<22} {'empty probe':<22} "
               f"{'mmstall':<22} {'bpftrace':<22}")
    js["slowdown_pct"] = {}
    for wl in SLOWDOWN_WORKLOADS:
        base = summary([num(r["ns"]) / 1e6 for r in
                        pick(runs, config="defaults", workload=wl, mode="none")])
        if not base:
            continue
        cells, row = [], {"base_ms": base}
        for mode in ("empty", "mmstall", "bpftrace"):
            row[mode] = summary(slowdown(paired(runs, "defaults", wl, mode)))
            cells.append(fmt(row[mode], "%", 1))
        verdict = ""
        if row["mmstall"]:
            over = row["mmstall"]["median"]
            verdict = "ok" if over <= GOAL_SLOWDOWN else f"MISSED by {over - GOAL_SLOWDOWN:.1f} points"
        out.append(f"    {wl:<10} {fmt(base, '', 1):<22} {cells[0]:<22} "
                   f"{cells[1]:<22} {cells[2]:<22} {verdict}")
        js["slowdown_pct"][wl] = row
    for timer, prefix, modes in (
            ("kretprobe", "kret-", ("empty", "mmstall", "bpftrace")),
            ("return sites", "ret-", ("empty", "mmstall"))):
        out.append(f"    slab refill {timer} (slabbench, armed vs disarmed, "
                   "one boot each):")
        key = "slabbench_" + timer.replace(" ", "_")
        js["slowdown_pct"][key] = {}
        for mode in modes:
            pairs = paired(runs, prefix + mode, "slabbench", mode, mode,
                           {"armed": "1"}, {"armed": "0"})
            s = summary(slowdown(pairs))
            js["slowdown_pct"][key][mode] = s
            if s:
                out.append(f"      {mode:<10} {fmt(s, '%', 1)}")


def vmalloc_callers(dirs):
    """Per config: [(caller, bytes)] from results/vmalloc-mmstall.txt."""
    res = {}
    for d in dirs:
        p = os.path.join(d, "results", "vmalloc-mmstall.txt")
        if not os.path.exists(p):
            continue
        sizes = {}
        with open(p) as f:
            for line in f:
                w = line.split()
                if len(w) >= 3:
                    caller = w[2].split("+")[0]
                    sizes[caller] = sizes.get(caller, 0) + int(w[1])
        res[os.path.basename(d.rstrip("/"))] = sorted(
            sizes.items(), key=lambda kv: -kv[1])
    return res


def section_c(mems, out, js, extra, dirs):
    out.append("")
    out.append("(c) Memory")
    js["memory"] = []
    seen = set()
    for m in mems:
        if m.get("mode") == "bpftrace":
            continue
        key = (m.get("mode"), m.get("args"))
        if key in seen:
            continue
        seen.add(key)
        js["memory"].append(m)
        desc = f"{m.get('mode')} {m.get('args', '')}".strip()
        kib = lambda k: int(m.get(k, 0)) // 1024
        line = (f"    {desc:<28} module {kib('module_bytes')} KiB, vmalloc "
                f"{kib('vmalloc_bytes')} KiB in {m.get('vmalloc_areas')} areas")
        if "table_kib" in m:
            line += f" (status: tables {m['table_kib']} KiB)"
        out.append(line)
    for d, callers in vmalloc_callers(dirs).items():
        out.append(f"    vmalloc by caller ({d}): " + ", ".join(
            f"{c} {b // 1024} KiB" for c, b in callers))
        js.setdefault("vmalloc_callers", {})[d] = callers
    for script in sorted({m.get("script") for m in mems
                          if m.get("mode") == "bpftrace"}):
        ms = [m for m in mems if m.get("script") == script]
        rss = summary([num(m.get("rss_kib")) for m in ms])
        ml = summary([num(m.get("bpf_memlock_bytes")) / 1024 for m in ms])
        st = summary([num(m.get("start_ms")) / 1000 for m in ms])
        out.append(f"    bpftrace {script:<19} RSS {fmt(rss)} KiB, BPF maps+progs "
                   f"{fmt(ml)} KiB, start {fmt(st, ' s', 1)}")
        js["memory"].append({"mode": "bpftrace", "script": script,
                             "rss_kib": rss, "bpf_memlock_kib": ml,
                             "start_s": st})
    if extra:
        out.append("")
        out.append("mmstall's own handler accounting (status 'cost' lines):")
        for k, lines in extra.items():
            out.append(f"    {k}:")
            out.extend("      " + l for l in lines)
        js["mmstall_cost_lines"] = extra


def section_profile(dirs, out, js):
    """The top of each perf profile (results/profile-*.txt)."""
    shown = False
    for d in dirs:
        res = os.path.join(d, "results")
        if not os.path.isdir(res):
            continue
        for name in sorted(os.listdir(res)):
            if not (name.startswith("profile-") and name.endswith(".txt")):
                continue
            with open(os.path.join(res, name)) as f:
                top = [l.rstrip() for l in f
                       if l.strip() and not l.startswith("#")][:PROFILE_TOP]
            if not shown:
                out.append("")
                out.append("(d) Where the time goes: perf cpu-clock samples of "
                           "the workload's task, mmstall at defaults")
                shown = True
            out.append(f"    {name[8:-4]}:")
            out.extend("      " + l.strip() for l in top)
            js.setdefault("profiles", {})[name[8:-4]] = top


def main(argv):
    jpath = None
    if len(argv) > 1 and argv[0] == "--json":
        jpath, argv = argv[1], argv[2:]
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    runs, mems, envs, costs, extra = load(argv)
    out, js = [], {"env": envs}
    if any(e.get("icount") == "1" for e in envs):
        out.append("mmstall bench (QEMU -icount: each ns below is one guest "
                   "instruction, at 1 GHz)")
    else:
        out.append("mmstall bench (QEMU TCG: compare within a boot; absolute "
                   "times mean little)")
    for e in envs:
        if "missing" in e:
            out.append(f"  {e['config']}: NO RESULTS ({e['missing']})")
        else:
            out.append("  " + " ".join(f"{k}={v}" for k, v in e.items()))
    out.append("")
    section_a(runs, out, js)
    section_self(costs, out, js)
    section_b(runs, out, js)
    section_c(mems, out, js, extra, argv)
    section_profile(argv, out, js)
    js["runs"] = runs
    print("\n".join(out))
    if jpath:
        with open(jpath, "w") as f:
            json.dump(js, f, indent=1, sort_keys=True)
    return 0 if runs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
