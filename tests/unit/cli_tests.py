#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Command-line tests of mmstall on synthetic snapshots; prints TAP.

usage: cli_tests.py MMSTALL MKSNAP

The JSON report is parsed with the json module and checked against values
computed here independently of the C code.
"""
import json
import math
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from taptest import Skip, run as run_tests, test

MMSTALL, MKSNAP = sys.argv[1], sys.argv[2]
# The Prometheus text-format parser of the VM checks, tested here too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "vm", "checks"))
from check_export import (ParseError, histogram_problems,  # noqa: E402
                          parse_exposition, promtool_check)
from check_rwsem import NBUCKETS, bucket, low  # noqa: E402
TMP = tempfile.mkdtemp(prefix="mmstall-unit-")

def percentile(values, frac_bp, max_ns):
    """Nearest rank; the middle of its bucket, clamped to max_ns."""
    values = sorted(values)
    rank = max(1, -(-len(values) * frac_bp // 10000))
    b = bucket(values[rank - 1])
    if b == NBUCKETS - 1:
        return max_ns
    return min((low(b) + low(b + 1)) // 2, max_ns)


def sample_values():
    """The stalls snapbuild.c's sb_sample() records, in its order."""
    state = [42]

    def rand():
        state[0] = (state[0] * 6364136223846793005 +
                    1442695040888963407) % (1 << 64)
        return state[0] >> 33

    munmap = [20000 + rand() % 5000000 for _ in range(100)]
    do_mmap = [1000 + rand() % 100000 for _ in range(30)]
    fault = [500 + rand() % 20000 for _ in range(50)]
    madvise = [3000 + rand() % 200000 for _ in range(20)]
    refill = [40000000 + rand() % 1000000 for _ in range(10)]
    return munmap, do_mmap, fault, madvise, refill


def run(*args, env=None, check_rc=None):
    e = dict(os.environ)
    e.pop("MMSTALL_DEBUGFS", None)
    if env:
        e.update(env)
    p = subprocess.run([MMSTALL, *args], capture_output=True, env=e,
                       timeout=60)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if check_rc is not None:
        assert p.returncode == check_rc, \
            f"{args}: rc {p.returncode}, want {check_rc}; stderr: {err}"
    return p.returncode, out, err


def snap(variant):
    path = os.path.join(TMP, variant + ".snap")
    if not os.path.exists(path):
        subprocess.run([MKSNAP, variant, path], check=True)
    return path


def fake_debugfs(variant="sample"):
    d = tempfile.mkdtemp(dir=TMP)
    mod = os.path.join(d, "mmstall")
    os.mkdir(mod)
    shutil.copy(snap(variant), os.path.join(mod, "snapshot"))
    open(os.path.join(mod, "control"), "w").close()
    return mod


@test
def help_texts():
    rc, out, _ = run("--help", check_rc=0)
    for word in ("USAGE:", "EXAMPLES:", "EXIT STATUS:", "status", "report",
                 "hist", "top", "reset", "snapshot", "export"):
        assert word in out, word
    for cmd in ("status", "report", "hist", "top", "reset", "snapshot",
                "export"):
        rc, out, _ = run(cmd, "--help", check_rc=0)
        assert "USAGE: mmstall " + cmd in out, cmd
        assert "EXAMPLES:" in out, cmd
    rc, out, _ = run("--version", check_rc=0)
    assert "abi 1" in out


@test
def usage_errors():
    run(check_rc=2)
    run("frobnicate", check_rc=2)
    run("report", "--bogus", check_rc=2)
    run("report", "extra", check_rc=2)
    run("-f", snap("sample"), "top", "-s", "bogus", check_rc=2)
    run("-f", snap("sample"), "top", "0", check_rc=2)
    run("-f", snap("sample"), "hist", "-C", "nope", check_rc=2)
    run("-f", snap("sample"), "hist", "-p", "x1", check_rc=2)
    run("-f", snap("sample"), "reset", check_rc=2)
    run("snapshot", check_rc=2)
    run("-f", snap("sample"), "export", check_rc=2)     # no format
    run("-f", snap("sample"), "export", "--prometheus", "-t", "x",
        check_rc=2)
    run("-f", snap("sample"), "export", "--prometheus", "-i", "0",
        check_rc=2)
    run("-f", snap("sample"), "export", "--prometheus", "extra",
        check_rc=2)
    _, _, err = run("-f", snap("sample"), "report", "-d", "1", check_rc=2)
    assert "not with -f" in err, err
    run("report", "-d", "-1", check_rc=2)
    run("report", "-d", "0", check_rc=2)


@test
def json_report_sample():
    _, out, _ = run("-f", snap("sample"), "report", "--json", check_rc=0)
    r = json.loads(out)
    for key in ("tool", "version", "abi", "kernel", "window", "probes",
                "lost", "tasks", "slab_caches", "slabinfo_readers",
                "mm_calls", "holders", "notes"):
        assert key in r, key
    assert r["tool"] == "mmstall"
    assert r["version"] == "0.1.0"
    assert r["abi"] == 1
    assert r["kernel"] == {"release": "5.15.0-test", "slab": "slub",
                           "preempt": "voluntary"}
    assert abs(r["window"]["seconds"] - 12.5) < 1e-9
    assert r["lost"] == {"task_slots": 1, "stat_blocks": 2,
                         "kretprobe_missed": 3, "events": 4, "names": 5}
    assert r["snapshot_fixups"] == {"unpublished_tasks": 0,
                                    "orphan_stats": 0, "merged_stats": 0,
                                    "orphan_records": 0,
                                    "merged_records": 0}
    assert len(r["probes"]) == 6
    p = r["probes"][2]
    assert p == {"class": "compaction", "target": "mm_compaction_begin",
                 "kind": "tracepoint", "state": "failed", "hits": 0,
                 "missed": 0, "error": -22}, p
    assert r["probes"][0]["missed"] == 7
    assert r["probes"][0]["kind"] == "kretprobe"

    assert [(t["pid"], t["tgid"]) for t in r["tasks"]] == \
        [(100, 100), (101, 100), (102, 100), (200, 200), (300, 300),
         (301, 300)]
    t = r["tasks"][1]
    assert t["comm"] == "tokio-runtime-w" and t["process"] == "server"
    assert [s["class"] for s in t["stalls"]] == ["rwsem_read",
                                                 "rwsem_write"]

    munmap, do_mmap, fault, madvise, refill = sample_values()
    w = t["stalls"][1]
    allw = munmap + do_mmap + [42000000]
    assert w["count"] == len(allw)
    assert w["total_ns"] == sum(allw)
    assert w["max_ns"] == max(allw)
    assert w["p50_ns"] == percentile(allw, 5000, max(allw)), w["p50_ns"]
    assert w["p99_ns"] == percentile(allw, 9900, max(allw)), w["p99_ns"]
    sites = {s["site"]: (s["count"], s["total_ns"]) for s in w["by_site"]}
    assert sites == {"munmap": (100, sum(munmap)),
                     "other:do_mmap": (30, sum(do_mmap)),
                     "other:#99": (1, 42000000)}, sites
    assert w["by_site"][0]["site"] == "munmap"   # largest total first
    locks = {x["lock"]: (x["count"], x["total_ns"]) for x in w["by_lock"]}
    assert locks == {"mmap_lock": (130, sum(munmap + do_mmap)),
                     "other": (1, 42000000)}, locks

    # hist: non-empty buckets, inclusive upper bounds, counts add up
    want = {}
    for v in allw:
        want[bucket(v)] = want.get(bucket(v), 0) + 1
    got = {bucket(h["le_ns"]): h["count"] for h in w["hist"]}
    assert got == want
    for h in w["hist"]:
        assert bucket(h["le_ns"] + 1) == bucket(h["le_ns"]) + 1
    les = [h["le_ns"] for h in w["hist"]]
    assert les == sorted(les)

    rd = r["tasks"][2]["stalls"][0]
    assert rd["class"] == "rwsem_read"
    assert rd["by_site"] == [{"site": "madvise", "count": 20,
                              "total_ns": sum(madvise)}]
    ss = r["tasks"][3]["stalls"][0]
    assert ss["class"] == "slab_refill"
    assert ss["by_site"][0]["site"] == "buffer_head"
    assert ss["by_lock"] == []

    # the overflow bucket: le_ns is the max, p99 is the max
    dr = r["tasks"][0]["stalls"][0]
    assert dr["class"] == "direct_reclaim"
    assert dr["hist"][-1] == {"le_ns": 200 * 10**9, "count": 1}
    assert dr["p99_ns"] == 200 * 10**9
    assert dr["p50_ns"] == 128


@test
def json_report_weird_comm():
    _, out, _ = run("-f", snap("weird"), "report", "--json", check_rc=0)
    r = json.loads(out)
    t = r["tasks"][0]
    assert t["comm"] == 'q"b\\c\x01\x7f\u00ff', repr(t["comm"])
    assert t["process"] == "tab\there"
    assert r["probes"] == []
    # the raw output is ASCII: no byte passed through unescaped
    out.encode("ascii")


@test
def json_report_empty():
    _, out, _ = run("-f", snap("empty"), "report", "--json", check_rc=0)
    r = json.loads(out)
    assert r["tasks"] == [] and r["probes"] == []
    assert r["notes"] == {}
    for key in ("slab_caches", "slabinfo_readers", "mm_calls", "holders"):
        assert r[key] == [], key


@test
def text_report():
    _, out, _ = run("-f", snap("sample"), "report", check_rc=0)
    for word in ("rwsem_write", "rwsem_read", "slab_refill",
                 "direct_reclaim", "munmap", "other:do_mmap", "other:#99",
                 "buffer_head", "mmap_lock", "tokio-runtime-w", "server",
                 "PROCESSES", "THREADS", "mm_compaction_begin", "12.5%",
                 "note: holders: from the rwsem owner field",
                 "MM CALLS", "HOLDERS (who held mmap_lock for write while "
                 "others waited)", "SLABINFO READERS", "SLAB CACHES",
                 "traffic_server", "64K-128K", "mm_calls", "write_hold",
                 "slabinfo_readers", "reclaim: orders 0:1, 15+:1",
                 "GFP_KERNEL 1", "0x100cca 1", "512 pages reclaimed"):
        assert word in out, word
    _, out, _ = run("-f", snap("weird"), "report", check_rc=0)
    assert 'q"b\\\\c\\x01\\x7f\\xff' in out, out


@test
def status():
    _, out, _ = run("-f", snap("sample"), "status", check_rc=0)
    for word in ("0.1.0", "abi 1", "5.15.0-test", "slub", "voluntary",
                 "tasks 6/64", "kretprobe_missed 3", "attached", "failed",
                 "-22", "rwsem_down_read_slowpath", "mm_calls", "write_hold",
                 "slabinfo_readers", " off ", "__x64_sys_mmap",
                 "note: holders: from the rwsem owner field\n",
                 "note: write_hold: off: load with hold_time=1\n"):
        assert word in out, word
    assert "MM CALLS" not in out


@test
def hist():
    _, out, _ = run("-f", snap("sample"), "hist", check_rc=0)
    for c in ("rwsem_read", "rwsem_write", "slab_refill",
              "direct_reclaim"):
        assert "class = " + c in out, c
    assert "     usecs               : count    distribution" in out
    assert "         0 -> 1          :" in out
    _, out, _ = run("-f", snap("sample"), "hist", "-m", "-C",
                    "slab_refill", check_rc=0)
    assert "msecs" in out and "usecs" not in out
    assert "class = slab_refill" in out and "rwsem" not in out
    assert "        32 -> 63         : 10       |" + "*" * 40 + "|" in out
    _, out, _ = run("-f", snap("sample"), "hist", "-p", "102", check_rc=0)
    assert "class = rwsem_read" in out and "rwsem_write" not in out
    assert "count 20," in out
    _, out, _ = run("-f", snap("sample"), "hist", "-p", "100", check_rc=0)
    assert "count 70," in out          # threads 101 and 102
    _, out, _ = run("-f", snap("sample"), "hist", "-c", "ss", check_rc=0)
    assert "slab_refill" in out and "rwsem" not in out
    _, out, _ = run("-f", snap("sample"), "hist", "-c", "nobody",
                    check_rc=0)
    assert "no stalls recorded" in out


@test
def bad_snapshots():
    _, _, err = run("-f", snap("truncated"), "report", check_rc=7)
    assert "truncated" in err and err.count("\n") == 1, err
    _, _, err = run("-f", snap("badabi"), "report", "--json", check_rc=6)
    assert "ABI mismatch: module 2, reader 1" in err, err
    _, _, err = run("-f", snap("badmagic"), "status", check_rc=8)
    assert "not an mmstall snapshot" in err, err
    _, _, err = run("-f", snap("corrupt"), "hist", check_rc=8)
    assert "corrupt" in err, err
    _, _, err = run("-f", os.path.join(TMP, "nonexistent"), "report",
                    check_rc=1)
    assert "No such file" in err


@test
def debugfs_dir():
    mod = fake_debugfs()
    _, out, _ = run("-d", mod, "report", "--json", check_rc=0)
    assert len(json.loads(out)["tasks"]) == 6
    _, out, _ = run("report", "--json", env={"MMSTALL_DEBUGFS": mod},
                    check_rc=0)
    assert len(json.loads(out)["tasks"]) == 6
    _, out, _ = run("report", "-d", mod, check_rc=0)
    run("-d", mod, "reset", check_rc=0)
    assert open(os.path.join(mod, "control")).read() == "reset"
    dst = os.path.join(TMP, "saved.snap")
    run("-d", mod, "snapshot", "-o", dst, check_rc=0)
    assert open(dst, "rb").read() == open(snap("sample"), "rb").read()
    bad = fake_debugfs("truncated")
    _, _, err = run("-d", bad, "snapshot", "-o", dst, check_rc=7)
    assert "saved" in err
    assert open(dst, "rb").read() == open(snap("truncated"), "rb").read()


@test
def not_mounted_not_loaded():
    empty = tempfile.mkdtemp(dir=TMP)
    _, _, err = run("-d", os.path.join(empty, "mmstall"), "status",
                    check_rc=4)
    assert "debugfs is not mounted: mount -t debugfs none " + empty in err
    assert err.count("\n") == 1
    mnt = next((m for m in ("/proc", "/sys", "/dev")
                if os.path.ismount(m) and os.listdir(m)), None)
    if mnt is None:
        print("# no mount point to test 'module not loaded' with")
        return
    _, _, err = run("-d", mnt + "/mmstall-nonexistent", "report",
                    check_rc=5)
    assert "mmstall module is not loaded: insmod mmstall.ko" in err, err
    _, _, err = run("-d", mnt + "/mmstall-nonexistent", "reset",
                    check_rc=5)


@test
def top_offline():
    _, out, _ = run("-f", snap("sample"), "top", "-s", "count", "0.01",
                    "1", check_rc=0)
    assert "\033" not in out               # not a tty: no clearing
    lines = out.splitlines()
    assert lines[1].split() == ["PID", "COMM", "PROCESS", "CLASS", "COUNT",
                                "TOTAL", "MAX", "CALLS", "BLOCKED"]
    assert lines[2].split()[:4] == ["101", "tokio-runtime-w", "server",
                                    "rwsem_write"], lines[2]
    assert len([x for x in lines[2:] if x.strip()]) == 5
    _, out, _ = run("-f", snap("sample"), "top", "-s", "max", "-r", "2",
                    "0.01", "1", check_rc=0)
    lines = [x for x in out.splitlines()[2:] if x.strip()]
    assert len(lines) == 2 and "direct_reclaim" in lines[0], lines
    _, out, _ = run("-f", snap("sample"), "top", "-C", "rwsem_read", "-p",
                    "100", "0.01", "2", check_rc=0)
    assert out.count("PID") == 2
    assert "rwsem_write" not in out and "slab_refill" not in out


# What snapbuild.c's sample_mm() records.
SAMPLE_MM_CALLS = [
    # pid, tgid, comm, process, calls, {le_bytes: count}, holds, ns, max
    (300, 300, "ET_NET 0", "traffic_server",
     {"mmap": 50000, "munmap": 50000, "mremap": 0, "mprotect": 0,
      "madvise": 10, "brk": 0},
     {2**17 - 1: 100000, 2**13 - 1: 10}, 100000, 2500000000, 3000000),
    (301, 300, "ET_NET 1", "traffic_server",
     {"mmap": 25000, "munmap": 25000, "mremap": 0, "mprotect": 0,
      "madvise": 0, "brk": 0},
     {2**17 - 1: 25000, 2**16 - 1: 25000}, 0, 0, 0),
    (101, 100, "tokio-runtime-w", "server",
     {"mmap": 30, "munmap": 100, "mremap": 1, "mprotect": 0, "madvise": 0,
      "brk": 3},
     {2**21 - 1: 130, 0: 3, 2**64 - 1: 1}, 0, 0, 0),
]


def le_bytes(length):
    """The inclusive upper bound of the uapi bucket of a length."""
    b = length.bit_length()
    return 0 if b == 0 else (2**64 - 1 if b >= 63 else 2**b - 1)


@test
def json_report_mm_sections():
    _, out, _ = run("-f", snap("sample"), "report", "--json", check_rc=0)
    r = json.loads(out)
    assert r["notes"] == {"holders": "from the rwsem owner field",
                          "write_hold": "off: load with hold_time=1"}
    feats = [(p["class"], p["kind"], p["state"], p["error"])
             for p in r["probes"][3:]]
    assert feats == [("mm_calls", "kprobe", "attached", 0),
                     ("write_hold", "tracepoint", "off", 0),
                     ("slabinfo_readers", "kprobe", "missing", -2)], feats
    assert r["probes"][3]["hits"] == 150143

    # the bucket bounds, from lengths the sample used
    assert le_bytes(65536) == 2**17 - 1 and le_bytes(65535) == 2**16 - 1
    assert le_bytes(4096) == 2**13 - 1 and le_bytes(1 << 20) == 2**21 - 1
    assert le_bytes((1 << 61) + 5) == 2**62 - 1 and le_bytes(0) == 0
    assert le_bytes((1 << 62) + 5) == 2**64 - 1 == le_bytes(2**64 - 1)
    mc = r["mm_calls"]
    assert len(mc) == 3
    for got, want in zip(mc, SAMPLE_MM_CALLS):
        pid, tgid, comm, proc, calls, hist, holds, ns, mx = want
        assert (got["pid"], got["tgid"], got["comm"], got["process"]) == \
            (pid, tgid, comm, proc), got
        assert got["calls"] == calls, got["calls"]
        assert list(got["calls"]) == ["mmap", "munmap", "mremap",
                                      "mprotect", "madvise", "brk"]
        assert {h["le_bytes"]: h["count"] for h in got["bytes_hist"]} == \
            hist, got["bytes_hist"]
        les = [h["le_bytes"] for h in got["bytes_hist"]]
        assert les == sorted(les)
        assert all(h["count"] > 0 for h in got["bytes_hist"])
        assert (got["write_holds"], got["write_hold_ns"],
                got["write_hold_max_ns"]) == (holds, ns, mx)
    totals = [sum(m["calls"].values()) for m in mc]
    assert totals == sorted(totals, reverse=True), totals

    assert r["holders"] == [
        {"pid": 300, "tgid": 300, "comm": "ET_NET 0",
         "process": "traffic_server", "lock": "mmap_lock",
         "blocked_waiters": 40, "blocked_ns": 800000000,
         "max_blocked_ns": 50000000},
        {"pid": 101, "tgid": 100, "comm": "tokio-runtime-w",
         "process": "server", "lock": "mmap_lock", "blocked_waiters": 5,
         "blocked_ns": 3000000, "max_blocked_ns": 1000000},
        {"pid": 100, "tgid": 100, "comm": "server", "process": "server",
         "lock": "other", "blocked_waiters": 2, "blocked_ns": 1000000,
         "max_blocked_ns": 600000}], r["holders"]
    assert r["slabinfo_readers"] == [
        {"pid": 200, "tgid": 200, "comm": "ss", "process": "ss",
         "reads": 12, "total_ns": 480000000, "max_ns": 45000000}]
    assert r["slab_caches"] == [
        {"cache": "buffer_head", "count": 10, "total_ns": 405000000,
         "max_ns": 41000000},
        {"cache": "kmalloc-64", "count": 3, "total_ns": 30000,
         "max_ns": 15000}], r["slab_caches"]

    dr = r["tasks"][0]["stalls"][0]
    assert dr["class"] == "direct_reclaim"
    assert dr["orders"] == [{"order": 0, "count": 1},
                            {"order": 15, "count": 1}], dr["orders"]
    assert dr["gfp"] == [
        {"flags": "GFP_KERNEL", "mask": 0xcc0, "count": 1},
        {"flags": "0x100cca", "mask": 0x100cca, "count": 1}], dr["gfp"]
    assert dr["nr_reclaimed"] == 512
    assert "memcg" not in dr
    # no reclaim record, no reclaim keys
    for t in r["tasks"]:
        for st in t["stalls"]:
            if st is not dr:
                assert "orders" not in st and "gfp" not in st, st
    assert r["tasks"][4]["stalls"] == [] and r["tasks"][5]["stalls"] == []


@test
def json_report_mm_edge():
    _, out, _ = run("-f", snap("mm_edge"), "report", "--json", check_rc=0)
    r = json.loads(out)
    assert r["notes"] == {}
    assert r["snapshot_fixups"] == {"unpublished_tasks": 0,
                                    "orphan_stats": 0, "merged_stats": 0,
                                    "orphan_records": 2,
                                    "merged_records": 1}
    st = r["tasks"][0]["stalls"]
    assert [x["class"] for x in st] == ["memcg_reclaim"]
    assert st[0]["memcg"] == "/system.slice/db.service"
    assert st[0]["orders"] == [{"order": 3, "count": 4}]
    assert st[0]["gfp"] == [{"flags": "GFP_HIGHUSER_MOVABLE|__GFP_COMP",
                             "mask": 0x100cca, "count": 4}]
    assert st[0]["nr_reclaimed"] == 32
    assert len(r["mm_calls"]) == 1
    m = r["mm_calls"][0]
    assert m["calls"]["mremap"] == 1 and m["calls"]["brk"] == 2
    assert m["bytes_hist"] == [{"le_bytes": 0, "count": 2},
                               {"le_bytes": 1, "count": 3},
                               {"le_bytes": 2**64 - 1, "count": 1}]
    assert r["holders"] == [{"pid": 400, "tgid": 400, "comm": "postgres",
                             "process": "postgres", "lock": "mmap_lock",
                             "blocked_waiters": 3, "blocked_ns": 6000,
                             "max_blocked_ns": 4000}]
    assert r["slabinfo_readers"] == [] and r["slab_caches"] == []
    _, out, _ = run("-f", snap("mm_edge"), "report", check_rc=0)
    assert "memcg /system.slice/db.service" in out
    assert "GFP_HIGHUSER_MOVABLE|__GFP_COMP 4" in out
    assert "2 other records dropped, 1 merged" in out
    assert "SLABINFO READERS (who walked /proc/slabinfo, and for how " \
        "long)\n(none recorded)" in out
    assert "SLAB CACHES (slab slowpath time per cache, all tasks)\n" \
        "(not in this snapshot" in out


def top_rows(out):
    """(pid, class, calls, blocked) of each row of one refresh."""
    rows = []
    for line in out.splitlines()[2:]:
        if line.strip():
            f = line.split()
            rows.append((int(f[0]), f[-6], int(f[-2]), f[-1]))
    return rows


@test
def top_mm_sort_keys():
    _, out, _ = run("-f", snap("sample"), "top", "-s", "calls", "0.01",
                    "1", check_rc=0)
    assert top_rows(out) == [
        (300, "-", 100010, "800ms"), (301, "-", 50000, "0ns"),
        (101, "rwsem_read", 134, "3.00ms"),
        (101, "rwsem_write", 134, "3.00ms"),
        (100, "direct_reclaim", 0, "1.00ms"), (102, "rwsem_read", 0, "0ns"),
        (200, "slab_refill", 0, "0ns")], top_rows(out)
    _, out, _ = run("-f", snap("sample"), "top", "-s", "blocked", "-r", "4",
                    "0.01", "1", check_rc=0)
    assert top_rows(out) == [
        (300, "-", 100010, "800ms"), (101, "rwsem_read", 134, "3.00ms"),
        (101, "rwsem_write", 134, "3.00ms"),
        (100, "direct_reclaim", 0, "1.00ms")], top_rows(out)
    # a class filter shows stalls only
    _, out, _ = run("-f", snap("sample"), "top", "-s", "calls", "-C",
                    "rwsem_write", "0.01", "1", check_rc=0)
    assert top_rows(out) == [(101, "rwsem_write", 134, "3.00ms")]
    # the default sort lists stalls only, as before
    _, out, _ = run("-f", snap("sample"), "top", "0.01", "1", check_rc=0)
    assert len(top_rows(out)) == 5 and "traffic_server" not in out
    _, _, err = run("-f", snap("sample"), "top", "-s", "bogus",
                    check_rc=2)
    assert "total, max, count, calls or blocked" in err, err


@test
def top_mm_interval_deltas():
    mod = fake_debugfs("sample")
    p = subprocess.Popen([MMSTALL, "-d", mod, "top", "-s", "calls", "0.6",
                          "1"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    time.sleep(0.3)
    tmp = os.path.join(mod, "snapshot.new")
    shutil.copy(snap("mm_edge"), tmp)
    os.rename(tmp, os.path.join(mod, "snapshot"))
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    # the window did not shrink: deltas against the sample; pid 400 is new
    rows = top_rows(out.decode())
    assert rows == [(400, "memcg_reclaim", 6, "6.00us")], rows


@test
def top_interval_deltas():
    mod = fake_debugfs("empty")
    p = subprocess.Popen([MMSTALL, "-d", mod, "top", "0.6", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)
    tmp = os.path.join(mod, "snapshot.new")
    shutil.copy(snap("sample"), tmp)
    os.rename(tmp, os.path.join(mod, "snapshot"))
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    assert b"rwsem_write" in out and b"131" in out, out


@test
def top_sigint():
    mod = fake_debugfs()
    p = subprocess.Popen([MMSTALL, "-d", mod, "top", "0.1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    assert p.returncode == 0, (p.returncode, err)
    assert b"PID" in out


def wait_for(cond, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def read_or_none(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def prom(*args, variant="sample"):
    """Export @variant; (families, samples, {(name, labels): value}, text)."""
    _, out, _ = run("-f", snap(variant), "export", "--prometheus", *args,
                    check_rc=0)
    fams, samples = parse_exposition(out)
    problems = histogram_problems(fams, samples)
    assert not problems, problems
    values = {(n, tuple(sorted(lb.items()))): v for n, lb, v in samples}
    return fams, samples, values, out


def series(name, **labels):
    return (name, tuple(sorted(labels.items())))


@test
def export_prometheus_sample():
    fams, samples, v, out = prom()
    assert fams["mmstall_stall_seconds"]["type"] == "histogram"
    for fam, typ in (("mmstall_slabinfo_reads_total", "counter"),
                     ("mmstall_slabinfo_read_seconds_total", "counter"),
                     ("mmstall_mm_calls_total", "counter"),
                     ("mmstall_holder_blocked_seconds_total", "counter"),
                     ("mmstall_lost_total", "counter"),
                     ("mmstall_probe_attached", "gauge"),
                     ("mmstall_window_seconds", "gauge"),
                     ("mmstall_up", "gauge")):
        assert fams[fam]["type"] == typ and fams[fam]["help"], fam
    munmap, do_mmap, fault, madvise, refill = sample_values()
    allw = munmap + do_mmap + [42000000]
    reads = fault + madvise           # threads 101 and 102 summed
    for cls, vals in (("rwsem_write", allw), ("rwsem_read", reads),
                      ("direct_reclaim", [200 * 10**9, 100])):
        buckets = [(float(lb["le"]), val) for n, lb, val in samples
                   if n == "mmstall_stall_seconds_bucket" and
                   lb["class"] == cls and lb["process"] == "server"]
        assert len(buckets) == 16, buckets
        for le, val in buckets[:-1]:
            # bounds are powers of two ns: everything below the bound
            le_ns = round(le * 1e9)
            assert le_ns & (le_ns - 1) == 0, le
            assert val == sum(1 for x in vals if x < le_ns), (cls, le, val)
        assert math.isinf(buckets[-1][0]) and buckets[-1][1] == len(vals)
        assert v[series("mmstall_stall_seconds_count", **{
            "class": cls, "process": "server"})] == len(vals)
        got = v[series("mmstall_stall_seconds_sum", **{
            "class": cls, "process": "server"})]
        assert abs(got - sum(vals) / 1e9) < 1e-9, (cls, got)
    assert v[series("mmstall_stall_seconds_count", **{
        "class": "slab_refill", "process": "ss"})] == 10
    procs = {lb["process"] for n, lb, _ in samples
             if n == "mmstall_stall_seconds_count"}
    assert procs == {"server", "ss"}, procs     # no "other": 2 < 10
    assert v[series("mmstall_mm_calls_total", process="traffic_server",
                    call="mmap")] == 75000
    assert v[series("mmstall_mm_calls_total", process="server",
                    call="brk")] == 3
    assert v[series("mmstall_slabinfo_reads_total", process="ss")] == 12
    assert v[series("mmstall_slabinfo_read_seconds_total",
                    process="ss")] == 0.48
    assert v[series("mmstall_holder_blocked_seconds_total",
                    process="traffic_server")] == 0.8
    assert v[series("mmstall_holder_blocked_seconds_total",
                    process="server")] == 0.004
    assert v[series("mmstall_lost_total", what="kretprobe_missed")] == 3
    assert v[series("mmstall_window_seconds")] == 12.5
    assert v[series("mmstall_up")] == 1
    assert v[series("mmstall_probe_attached", **{
        "class": "compaction", "target": "mm_compaction_begin"})] == 0
    assert v[series("mmstall_probe_attached", **{
        "class": "rwsem_read", "target": "rwsem_down_read_slowpath"})] == 1
    # node_exporter's textfile collector rejects timestamps
    for line in out.splitlines():
        if not line.startswith("#"):
            assert len(line.rsplit("} ", 1)[-1].split()) <= 2, line


@test
def export_prometheus_top_n_and_escaping():
    weird = 'a"b\\c\nd'
    _, samples, v, out = prom("-t", "3", variant="many")
    assert 'process="a\\"b\\\\c\\nd"' in out
    procs = {lb["process"] for n, lb, _ in samples
             if n == "mmstall_stall_seconds_count"}
    assert procs == {weird, "proc12", "proc11", "other"}, procs
    # process i stalled i + 1 times (i + 1) * 100 us; 0..10 are "other"
    assert v[series("mmstall_stall_seconds_count", **{
        "class": "rwsem_write", "process": "other"})] == sum(
            i + 1 for i in range(11))
    assert abs(v[series("mmstall_stall_seconds_sum", **{
        "class": "rwsem_write", "process": "other"})] -
        sum((i + 1) ** 2 * 100e-6 for i in range(11))) < 1e-12
    assert v[series("mmstall_stall_seconds_count", **{
        "class": "rwsem_write", "process": weird})] == 14
    mm = {lb["process"] for n, lb, _ in samples
          if n == "mmstall_mm_calls_total"}
    assert mm == {weird, "proc12", "proc11", "other"}, mm
    assert v[series("mmstall_mm_calls_total", process="other",
                    call="mmap")] == sum((i + 1) * 10 for i in range(11))
    # the default: 10 named and the rest, the one called "other" in it
    _, samples, v, _ = prom(variant="many")
    procs = {lb["process"] for n, lb, _ in samples
             if n == "mmstall_stall_seconds_count"}
    assert len(procs) == 11 and "other" in procs, procs
    assert v[series("mmstall_stall_seconds_count", **{
        "class": "rwsem_write", "process": "other"})] == 1 + 2 + 3 + 4
    # no limit: 14 processes; the real "other" is its own series
    _, samples, v, _ = prom("--top", "0", variant="many")
    procs = {lb["process"] for n, lb, _ in samples
             if n == "mmstall_stall_seconds_count"}
    assert len(procs) == 14, procs
    assert v[series("mmstall_stall_seconds_count", **{
        "class": "rwsem_write", "process": "other"})] == 3


@test
def export_prometheus_weird_and_empty():
    _, samples, _, out = prom(variant="weird")
    procs = {lb["process"] for n, lb, _ in samples
             if n == "mmstall_stall_seconds_count"}
    assert procs == {"tab\\x09here"}, procs
    out.encode("utf-8")
    _, samples, v, _ = prom(variant="empty")
    assert not [n for n, _, _ in samples if n.startswith("mmstall_stall")]
    assert v[series("mmstall_up")] == 1


@test
def export_parser_rejects_bad_text():
    good = '# HELP x a\n# TYPE x gauge\nx{a="b"} 1\n'
    parse_exposition(good)
    for bad in ('x 1\n',                                   # no TYPE
                '# TYPE x gauge\nx{a="b\\q"} 1\n',       # bad escape
                '# TYPE x gauge\nx{a="b"} 1 123\n',        # timestamp
                '# TYPE x gauge\nx{a="b"} 1\nx{a="b"} 2\n',
                '# TYPE x gauge\nx{a="b} 1\n',
                '# TYPE x gauge\nx 1'):
        try:
            parse_exposition(bad)
        except ParseError:
            continue
        raise AssertionError("accepted: %r" % bad)
    h = ('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\n'
         'h_bucket{le="+Inf"} 3\nh_sum 1\nh_count 4\n')
    probs = histogram_problems(*parse_exposition(h))
    assert any("cumulative" in p for p in probs), probs
    assert any("_count" in p for p in probs), probs


@test
def export_promtool():
    out_dir = tempfile.mkdtemp(dir=TMP)
    files = []
    for variant, args in (("sample", ()), ("many", ("-t", "3")),
                          ("weird", ()), ("empty", ()), ("mm_edge", ()),
                          ("hostile", ())):
        path = os.path.join(out_dir, variant + ".prom")
        run("-f", snap(variant), "export", "--prometheus", "-o", path,
            *args, check_rc=0)
        files.append(path)
    for path in files:
        ok, out = promtool_check(path)
        if ok is None:
            raise Skip(out)
        assert ok, (path, out)


@test
def export_output_atomic():
    d = tempfile.mkdtemp(dir=TMP)
    path = os.path.join(d, "mmstall.prom")
    with open(path, "w") as f:
        f.write("old\n")
    run("-f", snap("sample"), "export", "--prometheus", "-o", path,
        check_rc=0)
    assert read_or_none(path).startswith("# HELP mmstall_up")
    assert sorted(os.listdir(d)) == ["mmstall.prom"], os.listdir(d)
    # a snapshot that cannot be read: the old file stays, no .tmp
    with open(path, "w") as f:
        f.write("old\n")
    run("-f", snap("truncated"), "export", "--prometheus", "-o", path,
        check_rc=7)
    assert read_or_none(path) == "old\n"
    assert sorted(os.listdir(d)) == ["mmstall.prom"], os.listdir(d)
    _, _, err = run("-f", snap("sample"), "export", "--prometheus", "-o",
                    os.path.join(d, "nonexistent", "x.prom"), check_rc=1)
    assert "x.prom.tmp" in err, err
    # the report too
    rpath = os.path.join(d, "report.txt")
    run("-f", snap("sample"), "report", "-o", rpath, check_rc=0)
    assert read_or_none(rpath).startswith("SUMMARY (12.5s window)\n")
    run("-f", snap("sample"), "report", "--json", "-o", rpath, check_rc=0)
    assert json.loads(read_or_none(rpath))["tool"] == "mmstall"
    assert sorted(os.listdir(d)) == ["mmstall.prom", "report.txt"]


@test
def export_interval_loop():
    mod = fake_debugfs("sample")
    path = os.path.join(os.path.dirname(mod), "m.prom")
    p = subprocess.Popen([MMSTALL, "-d", mod, "export", "--prometheus",
                          "-i", "0.1", "-o", path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_for(lambda: "mmstall_up 1" in (read_or_none(path) or
                                                   "")), read_or_none(path)
        tmp = os.path.join(mod, "snapshot.new")
        shutil.copy(snap("many"), tmp)
        os.rename(tmp, os.path.join(mod, "snapshot"))
        assert wait_for(lambda: "proc12" in (read_or_none(path) or ""))
        os.unlink(os.path.join(mod, "snapshot"))
        assert wait_for(lambda: (read_or_none(path) or "").endswith(
            "mmstall_up 0\n")), read_or_none(path)
        fams, samples = parse_exposition(read_or_none(path))
        assert [n for n, _, _ in samples] == ["mmstall_up"]
        shutil.copy(snap("sample"), os.path.join(mod, "snapshot"))
        assert wait_for(lambda: "mmstall_up 1" in (read_or_none(path) or
                                                   ""))
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 0, (p.returncode, err)
    assert b"module is not loaded" in err or b"snapshot" in err, err
    assert not os.path.exists(path + ".tmp")
    # SIGINT too
    p = subprocess.Popen([MMSTALL, "-d", mod, "export", "--prometheus",
                          "-i", "5", "-o", path], stderr=subprocess.PIPE)
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=10)
    assert p.returncode == 0, (p.returncode, err)


@test
def report_duration():
    mod = fake_debugfs("sample")
    out = os.path.join(TMP, "report-d.txt")
    t0 = time.time()
    _, stdout, err = run("report", "-d", "0.3", "-o", out, "--dir", mod,
                         check_rc=0)
    assert time.time() - t0 >= 0.3
    assert stdout == "" and err == "", (stdout, err)   # stderr not a tty
    assert open(os.path.join(mod, "control")).read() == "reset"
    text = read_or_none(out)
    assert text.startswith("SUMMARY (12.5s window)\n  rwsem waits: "
                           "process server (pid 100)"), text[:300]
    assert not os.path.exists(out + ".tmp")
    jout = os.path.join(TMP, "report-d.json")
    run("-d", mod, "report", "--duration", "0.1", "--json", "-o", jout,
        check_rc=0)
    r = json.loads(read_or_none(jout))
    assert r["summary"][0].startswith("rwsem waits: process server")
    # stdout without -o
    _, stdout, _ = run("-d", mod, "report", "-d", "0.1", check_rc=0)
    assert stdout.startswith("SUMMARY")


@test
def report_duration_progress_on_tty():
    mod = fake_debugfs("sample")
    master, slave = pty.openpty()
    p = subprocess.Popen([MMSTALL, "-d", mod, "report", "-d", "1.2", "-o",
                          os.path.join(TMP, "tty.txt")],
                         stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    p.communicate(timeout=20)
    got = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    assert p.returncode == 0
    assert b"collecting for 1s" in got and b"left" in got, got
    assert got.endswith(b"\r\033[K"), got          # the line cleared


@test
def report_duration_sigint():
    mod = fake_debugfs("sample")
    out = os.path.join(TMP, "sigint.txt")
    p = subprocess.Popen([MMSTALL, "-d", mod, "report", "-d", "60", "-o",
                          out], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    time.sleep(0.5)
    t0 = time.time()
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=10)
    assert time.time() - t0 < 5
    assert p.returncode == 0, (p.returncode, err)
    assert b"stopped after" in err, err
    assert read_or_none(out).startswith("SUMMARY")


@test
def summary_in_reports():
    _, out, _ = run("-f", snap("sample"), "report", "--json", check_rc=0)
    summ = json.loads(out)["summary"]
    assert summ[0].startswith("rwsem waits: process server (pid 100): 2 "
                              "threads waited "), summ
    assert any(x.startswith("mmap-family calls: process traffic_server "
                            "(pid 300) made the most: 150010") for x in summ)
    assert any("ET_NET 0 (pid 300, process traffic_server)" in x
               for x in summ)
    assert any(x.startswith("/proc/slabinfo: read 12 times by process ss")
               for x in summ)
    _, out, _ = run("-f", snap("sample"), "report", check_rc=0)
    head = out.split("\n\n", 1)[0].splitlines()
    assert head[0] == "SUMMARY (12.5s window)"
    assert ["  " + x for x in summ] == head[1:], head
    _, out, _ = run("-f", snap("empty"), "report", "--json", check_rc=0)
    summ = json.loads(out)["summary"]
    assert summ[0].startswith("nothing recorded in the 12.5s window"), summ
    _, out, _ = run("-f", snap("weird"), "report", "--json", check_rc=0)
    summ = json.loads(out)["summary"]
    assert "process tab\\x09here (pid 300)" in summ[0], summ


# --- what a hostile snapshot cannot do to the outputs -------------------
# sb_hostile() fills every string to its end, without a NUL, with quotes,
# backslashes, newlines, terminal escapes, bytes that are not UTF-8 and
# kernel addresses.

def run_raw(*args):
    p = subprocess.run([MMSTALL, *args], capture_output=True, timeout=60)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


HOSTILE_ARGS = {
    "report": ("report",), "json": ("report", "--json"),
    "status": ("status",), "hist": ("hist",), "hist_ms": ("hist", "-m"),
    "top": ("top", "-b", "-s", "calls", "0.01", "1"),
    "prometheus": ("export", "--prometheus", "-t", "0"),
}


def hostile_outputs():
    return {k: run_raw("-f", snap("hostile"), *a)
            for k, a in HOSTILE_ARGS.items()}


@test
def hostile_text_has_no_control_bytes():
    for k, out in hostile_outputs().items():
        if k in ("json", "prometheus"):
            continue
        bad = [(i, b) for i, b in enumerate(out)
               if (b < 0x20 and b != 0x0a) or b >= 0x7f]
        assert not bad, (k, bad[:5], out[max(0, bad[0][0] - 60):
                                          bad[0][0] + 20])
    report = hostile_outputs()["report"].decode("ascii")
    # the thread name a"b\c<newline>d..., shown escaped in its row
    assert r'a"b\\c\x0ada"b\\c\x0ada (process' in report, report
    assert r"\x1b[2J" in report           # the escape, shown, not sent


@test
def hostile_json_is_valid_and_exact():
    out = hostile_outputs()["json"]
    assert not [b for b in out if b < 0x20 and b != 0x0a], "raw control"
    doc = json.loads(out.decode("utf-8"))  # strict UTF-8, strict JSON
    by_pid = {t["pid"]: t for t in doc["tasks"]}
    # 16 bytes of a"b\c<nl>d repeated, cut to 15 by the decoder
    assert by_pid[7]["comm"] == 'a"b\\c\nda"b\\c\nda', by_pid[7]
    # valid UTF-8 kept, the stray lead byte as U+00F0
    assert by_pid[7]["process"] == "\u00fc\u20ac\U0001f600\u00fc\u20ac" \
        "\u00f0", by_pid[7]["process"]
    assert by_pid[4294967295]["process"] == "[addr]"
    assert doc["kernel"]["release"].startswith("6.1 [addr]\"\\\n\r\t"), \
        doc["kernel"]["release"]


@test
def hostile_prometheus_is_valid():
    out = hostile_outputs()["prometheus"]
    assert not [b for b in out if b < 0x20 and b != 0x0a], "raw control"
    fams, samples = parse_exposition(out.decode("utf-8"))
    assert not histogram_problems(fams, samples)
    procs = {lb["process"] for n, lb, _ in samples
             if n == "mmstall_stall_seconds_count"}
    assert procs == {"[addr]", "\u00fc\u20ac\U0001f600\u00fc\u20ac"
                     "\\xf0"}, procs
    path = os.path.join(TMP, "hostile.prom")
    with open(path, "wb") as f:
        f.write(out)
    ok, text = promtool_check(path)
    if ok is None:
        raise Skip(text)
    assert ok, text


@test
def no_kernel_addresses_in_any_output():
    """A kernel address prints as 12 or more hex digits from ffff."""
    for k, out in hostile_outputs().items():
        text = out.decode("utf-8", "replace")
        found = [m.group(0) for m in re.finditer(r"[0-9a-fA-F]{12,}", text)
                 if m.group(0).lower().startswith("ffff")]
        assert not found, (k, found[:3])
        assert "[addr]" in text or k in ("hist", "hist_ms", "top"), k


HOSTILE_EVENTS = (
    b"event time_ns=1 pid=5 tgid=5 class=rwsem_write dur_ns=2000 "
    b"lock=mmap_lock site=other:0xffffffff81234567 "
    b"comm=a\\x22b\\x5c\\x1b[2J\\x0a process=ffff888012345678 frames=2\n"
    b"  0xffffffff81234567\n"
    b"  \x1b]0;t\x07\xff ffff888012345678+0x1/0x2\n"
    b"event pid=x \x1b[2J\n"
    b"lost 3\n")


@test
def hostile_events_stream():
    path = os.path.join(TMP, "hostile.events")
    with open(path, "wb") as f:
        f.write(HOSTILE_EVENTS)
    p = subprocess.run([MMSTALL, "events", "-f", path], capture_output=True,
                       timeout=60)
    for name, out in (("stdout", p.stdout), ("stderr", p.stderr)):
        bad = [b for b in out if (b < 0x20 and b != 0x0a) or b >= 0x7f]
        assert not bad, (name, out)
    text = p.stdout.decode("ascii")
    assert r'pid 5 tgid 5 a"b\\\x1b[2J\x0a ([addr]) rwsem_write' in text, text
    assert "    [addr]\n" in text and r"\x1b]0;t\x07\xff [addr]+0x1" in text
    assert rb"cannot parse: event pid=x \x1b[2J" in p.stderr, p.stderr
    p = subprocess.run([MMSTALL, "events", "-f", path, "--json"],
                       capture_output=True, timeout=60)
    assert not [b for b in p.stdout if b < 0x20 and b != 0x0a]
    docs = [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]
    ev = [d for d in docs if "pid" in d][0]
    assert ev["comm"] == 'a"b\\\x1b[2J\n', ev
    assert ev["process"] == "[addr]" and ev["site"] == "other:[addr]"
    assert ev["stack"][0] == "[addr]", ev
    assert {"lost": 3} in docs, docs
    for out in (text, p.stdout.decode("utf-8")):
        assert not re.search(r"(?i)ffff[0-9a-f]{8}", out), out


if __name__ == "__main__":
    sys.exit(run_tests("cli_", lambda: shutil.rmtree(TMP, ignore_errors=True)))
