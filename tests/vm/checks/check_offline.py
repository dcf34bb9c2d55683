#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of snapshots saved in the guest (mmstall snapshot -o).

Usage: check_offline.py RESULTS_DIR KERNEL_NAME

For each NAME.snap in RESULTS_DIR (04-rwsem.sh saves rwsem.snap after
mmchurn), the host's reader ($MMSTALL_OUT/bin/mmstall, the one copied
into the guest, or $MMSTALL_READER) must read the real snapshot through
every output path (status, report, report --json, hist, top, export
--prometheus), and its JSON must equal what the guest's reader made of
the same file (NAME-offline.json).  A truncated copy must be refused
with the exit code for truncated snapshots (7).
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rwsem import Tap, load_doc  # noqa: E402

RC_TRUNCATED = 7


def reader(results):
    env = os.environ.get("MMSTALL_READER")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(results))), "bin", "mmstall")


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60, check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def check_snap(tap, mm, path):
    name = os.path.basename(path)[:-5]
    outputs = {
        "status": ["status"],
        "report": ["report"],
        "report --json": ["report", "--json"],
        "hist": ["hist"],
        "top": ["top", "1", "1"],
        "export --prometheus": ["export", "--prometheus"],
    }
    got = {}
    for what, args in outputs.items():
        rc, out, err = run([mm, "-f", path] + args)
        got[what] = out
        tap.ok(rc == 0 and out.strip(), "%s: %s on the host reads the "
               "guest's snapshot" % (name, what), [rc, err[-300:]])
    try:
        host = json.loads(got["report --json"])
    except ValueError:
        host = None
    guest = load_doc(path[:-5] + "-offline.json")
    if guest is None:
        tap.skip(name + ": host and guest readers agree",
                 "no %s-offline.json" % name)
    else:
        tap.ok(host == guest, name + ": host and guest readers make the "
               "same JSON of it", "host %s, guest %s keys" %
               (sorted(host or {}), sorted(guest)))
    tap.ok(host is not None and host.get("tasks"),
           name + ": the snapshot holds tasks")
    with open(path, "rb") as f:
        data = f.read()
    with tempfile.NamedTemporaryFile(suffix=".snap") as t:
        t.write(data[:len(data) // 2])
        t.flush()
        rc, _, err = run([mm, "-f", t.name, "report"])
    tap.ok(rc == RC_TRUNCATED and "trunc" in err.lower(),
           name + ": half of it is refused as truncated (exit 7)",
           [rc, err[-200:]])


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    results, kernel = sys.argv[1], sys.argv[2]
    tap = Tap()
    mm = reader(results)
    snaps = sorted(os.path.join(results, f) for f in os.listdir(results)
                   if f.endswith(".snap")) if os.path.isdir(results) else []
    if not os.access(mm, os.X_OK):
        tap.skip(kernel + ": offline snapshots", "no reader at " + mm)
    elif not snaps:
        tap.skip(kernel + ": offline snapshots",
                 "the guest saved no snapshot (module not loaded?)")
    else:
        for path in snaps:
            check_snap(tap, mm, path)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
