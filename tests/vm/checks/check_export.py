#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of `mmstall report -d` and `mmstall export` (09-export.sh).

Usage: check_export.py RESULTS_DIR KERNEL_NAME

From 09-export.sh: report-d.txt (`mmstall report -d 3 -o FILE` while
mmchurn ran), metrics.prom (`mmstall export --prometheus -o FILE` right
after), report-export.json (`mmstall report --json` after mmchurn ended)
and mmchurn-export.out (mmchurn's key=value summary).

The SUMMARY must name mmchurn's process where the probes that see it are
attached; the metrics must parse as the Prometheus text format (a small
parser here: HELP/TYPE lines, every sample `name{labels} value`, label
escapes), histogram buckets must be cumulative with +Inf == _count, and
`promtool check metrics` must accept the file where promtool is installed.

parse_exposition() and histogram_problems() are also used by the unit
tests (tests/unit/cli_tests.py).
"""

import math
import os
import re
import shutil
import subprocess
import sys

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
HIST_SUFFIXES = ("_bucket", "_sum", "_count")


class ParseError(ValueError):
    pass


def parse_labels(s, lineno):
    """The labels between the braces, as a dict; escapes undone."""
    labels = {}
    i = 0
    while i < len(s):
        m = LABEL_RE.match(s, i)
        if not m:
            raise ParseError("line %d: bad label name at %r" % (lineno, s[i:]))
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise ParseError("line %d: expected =\" after %s" % (lineno, name))
        i += 2
        value = []
        while True:
            if i >= len(s):
                raise ParseError("line %d: unterminated value" % lineno)
            c = s[i]
            if c == "\\":
                nxt = s[i + 1:i + 2]
                if nxt not in ("\\", '"', "n"):
                    raise ParseError("line %d: bad escape \\%s"
                                     % (lineno, nxt))
                value.append("\n" if nxt == "n" else nxt)
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == "\n":
                raise ParseError("line %d: raw newline in a value" % lineno)
            else:
                value.append(c)
                i += 1
        if name in labels:
            raise ParseError("line %d: label %s twice" % (lineno, name))
        labels[name] = "".join(value)
        if i < len(s):
            if s[i] != ",":
                raise ParseError("line %d: expected , at %r" % (lineno, s[i:]))
            i += 1
    return labels


def parse_value(v, lineno):
    if v in ("+Inf", "-Inf", "NaN"):
        return float(v.replace("Inf", "inf").replace("NaN", "nan"))
    try:
        return float(v)
    except ValueError:
        raise ParseError("line %d: bad value %r" % (lineno, v))


def split_sample(line, lineno):
    """name, label text (or ""), value text of one sample line."""
    m = NAME_RE.match(line)
    if not m:
        raise ParseError("line %d: bad metric name: %r" % (lineno, line))
    name = m.group(0)
    rest = line[m.end():]
    labels = ""
    if rest.startswith("{"):
        # the closing brace: the first } outside a quoted value
        i, inq = 1, False
        while i < len(rest):
            c = rest[i]
            if inq and c == "\\":
                i += 2
                continue
            if c == '"':
                inq = not inq
            elif c == "}" and not inq:
                break
            i += 1
        if i >= len(rest):
            raise ParseError("line %d: unterminated labels" % lineno)
        labels = rest[1:i]
        rest = rest[i + 1:]
    if not rest.startswith(" "):
        raise ParseError("line %d: expected a space before the value"
                         % lineno)
    fields = rest.split()
    if len(fields) != 1:
        raise ParseError("line %d: want one value and no timestamp: %r"
                         % (lineno, rest))
    return name, labels, fields[0]


def family_of(name, families):
    if name in families:
        return name
    for suf in HIST_SUFFIXES:
        base = name[:-len(suf)]
        if name.endswith(suf) and families.get(base, {}).get("type") in \
                ("histogram", "summary"):
            return base
    return None


def parse_exposition(text):
    """(families {name: {"type", "help"}}, samples [(name, labels, value)]).

    Raises ParseError on anything the text format does not allow, a
    sample without a TYPE line, a family split in two, or a series twice.
    """
    families = {}
    samples = []
    seen = set()
    done = set()
    current = None
    if text and not text.endswith("\n"):
        raise ParseError("no newline at the end")
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not NAME_RE.fullmatch(name):
                    raise ParseError("line %d: bad name %r" % (lineno, name))
                f = families.setdefault(name, {})
                key = parts[1].lower()
                if key in f:
                    raise ParseError("line %d: second %s for %s"
                                     % (lineno, parts[1], name))
                if key == "type":
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise ParseError("line %d: bad TYPE" % lineno)
                    if name in done or name == current:
                        raise ParseError("line %d: TYPE after samples"
                                         % lineno)
                f[key] = parts[3] if len(parts) == 4 else ""
            continue
        name, ltext, vtext = split_sample(line, lineno)
        labels = parse_labels(ltext, lineno)
        value = parse_value(vtext, lineno)
        fam = family_of(name, families)
        if fam is None or "type" not in families[fam]:
            raise ParseError("line %d: %s has no TYPE line" % (lineno, name))
        if fam != current:
            if fam in done:
                raise ParseError("line %d: family %s is not contiguous"
                                 % (lineno, fam))
            if current:
                done.add(current)
            current = fam
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise ParseError("line %d: series twice: %s" % (lineno, line))
        seen.add(key)
        samples.append((name, labels, value))
    return families, samples


def histogram_problems(families, samples):
    """What is wrong with the histograms: [] if every series is sound."""
    problems = []
    for fam, f in families.items():
        if f.get("type") != "histogram":
            continue
        series = {}
        sums = {}
        counts = {}
        for name, labels, value in samples:
            rest = tuple(sorted((k, v) for k, v in labels.items()
                                if k != "le"))
            if name == fam + "_bucket":
                if "le" not in labels:
                    problems.append("%s without le: %s" % (name, labels))
                    continue
                series.setdefault(rest, []).append(
                    (parse_value(labels["le"], 0), value))
            elif name == fam + "_sum":
                sums[rest] = value
            elif name == fam + "_count":
                counts[rest] = value
        for key, buckets in series.items():
            les = [b[0] for b in buckets]
            if les != sorted(les) or len(set(les)) != len(les):
                problems.append("%s%s: le not increasing: %s"
                                % (fam, dict(key), les))
            if not les or not math.isinf(les[-1]):
                problems.append("%s%s: last le is not +Inf"
                                % (fam, dict(key)))
            vals = [b[1] for b in buckets]
            if any(b < a for a, b in zip(vals, vals[1:])):
                problems.append("%s%s: buckets not cumulative: %s"
                                % (fam, dict(key), vals))
            if key not in counts or counts[key] != vals[-1]:
                problems.append("%s%s: +Inf %s != _count %s"
                                % (fam, dict(key), vals[-1],
                                   counts.get(key)))
            if key not in sums or sums[key] < 0:
                problems.append("%s%s: no _sum" % (fam, dict(key)))
        for key in set(sums) | set(counts):
            if key not in series:
                problems.append("%s%s: _sum/_count without buckets"
                                % (fam, dict(key)))
    return problems


def promtool_check(path):
    """(None, reason) if promtool is absent, else (ok, output)."""
    promtool = shutil.which("promtool")
    if not promtool:
        return None, "promtool not installed (Debian: apt-get install prometheus)"
    with open(path, "rb") as f:
        p = subprocess.run([promtool, "check", "metrics"], stdin=f,
                           capture_output=True, timeout=60)
    out = (p.stdout + p.stderr).decode("utf-8", "replace")
    return p.returncode == 0, out


# --- the checks of a guest run ------------------------------------------

def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from check_rwsem import Tap, parse_kv, read_text  # noqa: E402

    results = sys.argv[1]
    tap = Tap()
    churn = parse_kv(read_text(os.path.join(results,
                                            "mmchurn-export.out")))
    report = read_text(os.path.join(results, "report-d.txt"))
    metrics = read_text(os.path.join(results, "metrics.prom"))
    if not churn or report is None or metrics is None:
        tap.ok(False, "export: results present",
               "mmchurn-export.out, report-d.txt or metrics.prom missing")
        return tap.done()
    pid = int(churn["pid"])

    try:
        families, samples = parse_exposition(metrics)
        tap.ok(True, "export: metrics.prom parses as the text format")
    except ParseError as e:
        tap.ok(False, "export: metrics.prom parses as the text format",
               str(e))
        families, samples = {}, []
    problems = histogram_problems(families, samples)
    tap.ok(families and not problems,
           "export: histograms cumulative, +Inf == _count", problems)
    values = {(n, tuple(sorted(lb.items()))): v for n, lb, v in samples}
    tap.ok(values.get(("mmstall_up", ())) == 1, "export: mmstall_up 1")
    tap.ok(values.get(("mmstall_window_seconds", ()), 0) > 0,
           "export: mmstall_window_seconds > 0")
    for fam in ("mmstall_stall_seconds", "mmstall_slabinfo_reads_total",
                "mmstall_slabinfo_read_seconds_total",
                "mmstall_mm_calls_total",
                "mmstall_holder_blocked_seconds_total",
                "mmstall_lost_total", "mmstall_probe_attached",
                "mmstall_window_seconds"):
        tap.ok(fam in families and families[fam].get("help"),
               "export: family %s with HELP and TYPE" % fam)
    attached = {lb["class"] for n, lb, v in samples
                if n == "mmstall_probe_attached" and v == 1}
    procs = {lb.get("process") for n, lb, v in samples
             if n.startswith("mmstall_stall_seconds")}
    rwsem = bool(attached & {"rwsem_read", "rwsem_write"})
    if rwsem:
        tap.ok("mmchurn" in procs,
               "export: a stall histogram for process mmchurn",
               "processes: %s" % sorted(p for p in procs if p))
    else:
        tap.skip("export: a stall histogram for process mmchurn",
                 "no rwsem probe attached")
    n_procs = len({p for p in procs if p and p != "other"})
    tap.ok(n_procs <= 10, "export: at most 10 named processes (--top 10)",
           sorted(p for p in procs if p))

    ok, out = promtool_check(os.path.join(results, "metrics.prom"))
    if ok is None:
        tap.skip("export: promtool check metrics", out)
    else:
        tap.ok(ok, "export: promtool check metrics", out)

    summary = report.split("\n\n", 1)[0].splitlines()
    tap.ok(summary and summary[0].startswith("SUMMARY ("),
           "report -d: opens with a SUMMARY", report[:300])
    who = "process mmchurn (pid %d)" % pid
    if rwsem:
        line = [x for x in summary if x.strip().startswith("rwsem waits:")]
        tap.ok(line and who in line[0],
               "report -d: SUMMARY names mmchurn as the longest rwsem waiter",
               summary)
    else:
        tap.skip("report -d: SUMMARY names mmchurn as the longest rwsem "
                 "waiter", "no rwsem probe attached")
    if "mm_calls" in attached:
        line = [x for x in summary if "mmap-family calls:" in x]
        tap.ok(line and who in line[0],
               "report -d: SUMMARY names mmchurn for mmap-family calls",
               summary)
    else:
        tap.skip("report -d: SUMMARY names mmchurn for mmap-family calls",
                 "no mm_calls probe attached")
    m = re.search(r"^window:\s+(\S+) since", report, re.M)
    tap.ok(m is not None, "report -d: a window line", report[:600])

    doc = read_text(os.path.join(results, "report-export.json"))
    if doc is None:
        tap.ok(False, "report --json: summary key", "report-export.json "
               "missing")
    else:
        import json
        try:
            summ = json.loads(doc).get("summary")
        except ValueError as e:
            summ = None
            tap.diag(str(e))
        tap.ok(isinstance(summ, list) and summ and
               all(isinstance(x, str) for x in summ),
               "report --json: summary is a list of sentences", repr(summ))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
