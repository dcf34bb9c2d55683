#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every output path of the reader on data recorded in a real kernel.

Usage: recorded_tests.py MMSTALL   (the sanitized reader)

tests/unit/data holds a snapshot saved after mmchurn on Debian's 6.1
kernel and the start of an events stream of the same workload.  Each
subcommand must read them, and what it prints must agree with the
snapshot's own records.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from taptest import Skip, run, test

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
MMSTALL = sys.argv[1] if len(sys.argv) > 1 else "build/mmstall"
TMP = tempfile.mkdtemp(prefix="mmstall-recorded.")
ADDR_RE = re.compile(r"ffff[0-9a-f]{12}")


def unpack(name):
    out = os.path.join(TMP, name[:-3])
    if not os.path.exists(out):
        with gzip.open(os.path.join(DATA, name)) as f, open(out, "wb") as o:
            o.write(f.read())
    return out


SNAP = unpack("6.1-mmchurn.snap.gz")
EVENTS = unpack("6.1-mmchurn-events.txt.gz")


def mm(*args):
    p = subprocess.run([MMSTALL, *args], capture_output=True, timeout=60,
                       check=False)
    out = p.stdout.decode("utf-8", "replace")
    assert p.returncode == 0, f"{args}: rc {p.returncode}: {p.stderr!r}"
    assert not ADDR_RE.search(out), f"{args}: a kernel address in the output"
    return out


def report():
    return json.loads(mm("-f", SNAP, "report", "--json"))


@test
def recorded_report_json():
    doc = report()
    assert doc["kernel"]["release"].startswith("6.1."), doc["kernel"]
    churn = [t for t in doc["tasks"] if t["process"] == "mmchurn"]
    assert churn, "no mmchurn threads"
    classes = {s["class"] for t in churn for s in t["stalls"]}
    assert {"rwsem_read", "rwsem_write"} <= classes, classes
    for t in doc["tasks"]:
        for s in t["stalls"]:
            assert sum(h["count"] for h in s["hist"]) == s["count"], s
            assert sum(b["count"] for b in s["by_site"]) == s["count"], s
            assert s["p50_ns"] <= s["p99_ns"] <= s["max_ns"] * 1.13, s
    assert doc["summary"], "no summary"
    assert doc["cost"] and doc["cost"]["classes"], "no tracing cost"


@test
def recorded_text_outputs():
    text = mm("-f", SNAP, "report")
    assert text.startswith("SUMMARY"), text[:200]
    for want in ("mmchurn", "rwsem_write", "mmap_lock", "TRACING COST"):
        assert want in text, want
    assert "rwsem_write" in mm("-f", SNAP, "status")
    assert "|" in mm("-f", SNAP, "hist", "-C", "rwsem_write")
    top = mm("-f", SNAP, "top", "-b", "-s", "max", "1", "1")
    assert "mmchurn" in top or "churn" in top, top[:400]


@test
def recorded_prometheus():
    prom = mm("-f", SNAP, "export", "--prometheus", "--top", "3")
    assert 'class="rwsem_write"' in prom
    assert "mmstall_handler_seconds_total" in prom
    promtool = shutil.which("promtool")
    if not promtool:
        raise Skip("promtool not installed (Debian package prometheus)")
    p = subprocess.run([promtool, "check", "metrics"], input=prom.encode(),
                       capture_output=True, timeout=60, check=False)
    assert p.returncode == 0, p.stdout + p.stderr


@test
def recorded_events_text():
    text = mm("events", "-f", EVENTS)
    heads = [ln for ln in text.splitlines() if ln[:1].isdigit()]
    assert len(heads) == 40, len(heads)
    assert text.startswith("# lost "), text[:80]
    assert all(" mmap_lock site " in h for h in heads), heads[:3]
    assert re.search(r"^    \w+\+0x[0-9a-f]+/0x[0-9a-f]+$", text, re.M)


@test
def recorded_events_json():
    lines = mm("events", "-f", EVENTS, "--json").splitlines()
    objs = [json.loads(ln) for ln in lines]
    assert "lost" in objs[0] and objs[0]["lost"] > 0, objs[0]
    events = objs[1:]
    assert len(events) == 40
    for ev in events:
        assert ev["process"] == "mmchurn" and ev["dur_ns"] > 0, ev
        assert ev["class"] in ("rwsem_read", "rwsem_write"), ev
        assert ev["stack"] and "rwsem_down_" in ev["stack"][0], ev
    assert len(mm("events", "-f", EVENTS, "-n", "5", "--json")
               .splitlines()) == 6    # the lost line, then 5 events


if __name__ == "__main__":
    sys.exit(run("recorded: ", lambda: shutil.rmtree(TMP, True)))
