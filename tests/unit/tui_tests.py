#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mmstall top in a real terminal: tmux runs a shell of fixed size, the
tests type the command and keys into it and read the screen; prints TAP.

usage: tui_tests.py MMSTALL MKSNAP

Checked: the rows and their order as sort keys change, the filters, the
help screen, resizes, and that q, Ctrl-C and Ctrl-Z give the terminal
back as it was (stty -a unchanged, alternate screen left, cursor shown,
the shell's prompt back).  Without tmux every test is a SKIP.
"""
import os
import gzip
import shutil
import subprocess
import sys
import tempfile
import time

from taptest import Skip, run as run_tests, test

MMSTALL, MKSNAP = (os.path.abspath(a) for a in sys.argv[1:3])
TMP = tempfile.mkdtemp(prefix="mmstall-tui-")
SOCK = [f"mmstall-tui-{os.getpid()}-0"]  # a new server for every Shell
RUNS = [0]
WIDTH, HEIGHT = 110, 24
PROMPT = "tui$ "


def tmux(*args, check=True):
    p = subprocess.run(["tmux", "-L", SOCK[0], "-f", "/dev/null", *args],
                       capture_output=True, text=True, timeout=30)
    if check:
        assert p.returncode == 0, (args, p.stderr)
    return p.stdout


def snap(variant):
    path = os.path.join(TMP, variant + ".snap")
    if not os.path.exists(path):
        subprocess.run([MKSNAP, variant, path], check=True)
    return path


def wait_for(cond, what, timeout=15.0):
    end = time.time() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.time() > end:
            raise AssertionError(f"timed out waiting for {what}; screen:\n" +
                                 "\n".join(screen()))
        time.sleep(0.05)


def screen():
    return tmux("capture-pane", "-p", "-t", "t").rstrip("\n").split("\n")


def pane(fmt):
    return tmux("display-message", "-p", "-t", "t", fmt).strip()


def keys(*k):
    tmux("send-keys", "-t", "t", *k)


def typed(text):
    tmux("send-keys", "-t", "t", "-l", text)


class Shell:
    """A shell in a detached tmux session of WIDTH x HEIGHT."""

    def __enter__(self):
        if not shutil.which("tmux"):
            raise Skip("tmux not installed (Debian package tmux)")
        SOCK[0] = SOCK[0].rsplit("-", 1)[0] + f"-{RUNS[0]}"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "TERM": "screen", "HOME": TMP, "PS1": PROMPT,
               "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
               "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", "")}
        cmd = ["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + \
            ["bash", "--norc", "--noprofile"]
        tmux("new-session", "-d", "-s", "t", "-x", str(WIDTH), "-y",
             str(HEIGHT), " ".join(f"'{c}'" for c in cmd))
        try:
            tmux("set-option", "-g", "status", "off")
            wait_for(lambda: any(x.startswith(PROMPT.strip())
                                 for x in screen()), "the prompt")
        except BaseException:
            tmux("kill-server", check=False)
            raise
        return self

    def __exit__(self, *exc):
        # A test that failed midway leaves mmstall running; after tmux is
        # gone, a hang-up makes it exit under LeakSanitizer, whose tracer
        # can spin forever on the deleted pty.  Its arguments name TMP.
        subprocess.run(["pkill", "-KILL", "-f", TMP], check=False)
        tmux("kill-server", check=False)

    def start(self, args, clear=True):
        """
        Run mmstall ARGS; stty -a before and after, the status after.  In
        a subshell, so that Ctrl-Z stops it all and fg resumes it all.
        """
        RUNS[0] += 1
        self.before = os.path.join(TMP, f"before{RUNS[0]}")
        self.after = os.path.join(TMP, f"after{RUNS[0]}")
        self.rc = os.path.join(TMP, f"rc{RUNS[0]}")
        typed(f"(stty -a >{self.before}; {MMSTALL} {args}; "
              f"echo $? >{self.rc}; stty -a >{self.after})" +
              ("; clear" if clear else ""))
        keys("Enter")
        wait_for(lambda: pane("#{alternate_on}") == "1" or
                 os.path.exists(self.rc), "mmstall to start")

    def finished(self):
        wait_for(lambda: os.path.exists(self.rc) and
                 os.path.exists(self.after) and
                 os.path.getsize(self.after), "mmstall to exit")
        wait_for(lambda: [x for x in screen() if x][-1].strip() ==
                 PROMPT.strip(), "the prompt")
        return int(open(self.rc).read())

    def assert_restored(self):
        rc = self.finished()
        assert rc == 0, f"exit status {rc}"
        assert open(self.before).read() == open(self.after).read(), \
            "stty -a differs after mmstall top"
        assert pane("#{alternate_on}") == "0", "still on the alternate screen"
        assert pane("#{cursor_flag}") == "1", "the cursor is hidden"
        assert pane("#{pane_current_command}") == "bash"


def rows():
    """(pid, class) of the table's rows on the screen."""
    s = screen()
    head = [i for i, x in enumerate(s) if x.split()[:2] == ["PID", "COMM"]]
    if not head:
        return None
    out = []
    for line in s[head[0] + 1:]:
        pid = line[:7].strip()
        if pid.isdigit():       # the columns of top_header_line()
            out.append((int(pid), line[40:54].strip()))
    return out


def status():
    s = screen()
    return s[1] if len(s) > 1 else ""


# What sb_sample() records, per sort key (cli_tests.py checks the values).
BY_TOTAL = [(100, "direct_reclaim"), (200, "slab_refill"),
            (101, "rwsem_write"), (102, "rwsem_read"), (101, "rwsem_read")]
BY_COUNT = [(101, "rwsem_write"), (101, "rwsem_read"), (102, "rwsem_read"),
            (200, "slab_refill"), (100, "direct_reclaim")]
BY_MAX = [(100, "direct_reclaim"), (101, "rwsem_write"),
          (200, "slab_refill"), (102, "rwsem_read"), (101, "rwsem_read")]


def sorted_by(key, want):
    keys(key)
    wait_for(lambda: rows() == want, f"the rows sorted by key {key!r}")


@test
def sort_keys_and_q():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top")
        wait_for(lambda: rows() == BY_TOTAL, "the rows sorted by total")
        assert pane("#{cursor_flag}") == "0", "cursor shown while running"
        assert "sort total" in status(), status()
        sorted_by("c", BY_COUNT)
        assert "sort count" in status(), status()
        sorted_by("m", BY_MAX)
        keys("k")
        wait_for(lambda: rows() and rows()[:2] == [(300, "-"), (301, "-")],
                 "the rows sorted by calls")
        keys("b")
        wait_for(lambda: "sort blocked" in status(), "sort blocked")
        assert rows()[0] == (300, "-"), rows()
        sorted_by("s", BY_COUNT)     # the next key after blocked
        sorted_by("t", BY_TOTAL)
        keys("x", "Up")              # not keys of top: nothing changes
        time.sleep(0.3)
        assert rows() == BY_TOTAL
        keys("q")
        sh.assert_restored()


@test
def ctrl_c():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top -s count")
        wait_for(lambda: rows() == BY_COUNT, "the rows")
        keys("C-c")
        sh.assert_restored()


@test
def filters_and_help():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top")
        wait_for(lambda: rows() == BY_TOTAL, "the rows")
        keys("/")
        wait_for(lambda: status().startswith("name"), "the name prompt")
        typed("sx")
        keys("BSpace")
        typed("s")
        keys("Enter")
        wait_for(lambda: rows() == [(200, "slab_refill")], "ss's rows")
        assert "name ss" in status(), status()
        keys("=")
        wait_for(lambda: rows() == BY_TOTAL, "all rows again")
        keys("p")
        typed("101")
        keys("Enter")
        wait_for(lambda: rows() == [(101, "rwsem_write"),
                                    (101, "rwsem_read")], "pid 101's rows")
        keys("p")
        typed("x1")
        keys("Enter")
        wait_for(lambda: "not a pid" in status(), "the pid error")
        assert rows() == [(101, "rwsem_write"), (101, "rwsem_read")]
        keys("p", "Enter")               # empty: every pid
        wait_for(lambda: rows() == BY_TOTAL, "all rows again")
        keys("l")                        # class rwsem_read
        wait_for(lambda: rows() == [(102, "rwsem_read"),
                                    (101, "rwsem_read")], "rwsem_read rows")
        keys("/")
        typed("server")
        keys("Escape")                   # cancelled: the filter stays
        time.sleep(0.3)
        assert rows() == [(102, "rwsem_read"), (101, "rwsem_read")]
        keys("h")
        wait_for(lambda: "Keys:" in screen(), "the help screen")
        keys("z")
        wait_for(lambda: rows() == [(102, "rwsem_read"),
                                    (101, "rwsem_read")], "the table again")
        keys("q")
        sh.assert_restored()


@test
def resize():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top -s count")
        wait_for(lambda: rows() == BY_COUNT, "the rows")
        full = screen()
        tmux("resize-window", "-t", "t", "-x", "50", "-y", "6")
        # 3 lines of header, 3 rows, each cut at 50 columns
        wait_for(lambda: screen()[1:] == [x[:50].rstrip()
                                          for x in full[1:6]],
                 "3 rows in 6 lines of 50 columns")
        tmux("resize-window", "-t", "t", "-x", str(WIDTH), "-y",
             str(HEIGHT))
        wait_for(lambda: rows() == BY_COUNT, "every row again")
        keys("q")
        sh.assert_restored()


@test
def ctrl_z_and_fg():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top")
        wait_for(lambda: rows() == BY_TOTAL, "the rows")
        keys("C-z")
        wait_for(lambda: pane("#{alternate_on}") == "0", "the normal screen")
        mid = os.path.join(TMP, "mid")
        typed(f"stty -a >{mid}; fg")
        keys("Enter")
        wait_for(lambda: rows() == BY_TOTAL, "the rows after fg")
        assert open(mid).read() == open(sh.before).read(), \
            "stty -a differs while top is stopped"
        keys("c")
        wait_for(lambda: rows() == BY_COUNT, "keys work after fg")
        keys("q")
        sh.assert_restored()


@test
def count_leaves_the_last_table():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top 0.2 2", clear=False)
        rc = sh.finished()
        assert rc == 0, rc
        assert pane("#{alternate_on}") == "0"
        wait_for(lambda: rows() == BY_TOTAL, "the last table, kept")


@test
def batch_on_a_terminal():
    with Shell() as sh:
        sh.start(f"-f {snap('sample')} top -b -s count 0.2 2", clear=False)
        assert sh.finished() == 0
        assert pane("#{alternate_on}") == "0"
        # two tables, each cleared before it: the last one is on screen
        wait_for(lambda: rows() == BY_COUNT, "the table")


@test
def live_first_interval():
    d = os.path.join(TMP, "debugfs")
    os.makedirs(d, exist_ok=True)
    shutil.copy(snap("sample"), os.path.join(d, "snapshot"))
    with Shell() as sh:
        sh.start(f"-d {d} top 1.5")
        wait_for(lambda: "measuring the first interval" in screen()[0],
                 "the first interval's screen")
        # nothing changed in the interval: no rows
        wait_for(lambda: "(no stalls)" in screen(), "an empty interval")
        keys("a")                        # since load: every row
        wait_for(lambda: rows() == BY_TOTAL, "the rows since load")
        keys("q")
        sh.assert_restored()


def batch_rows(path, key, n):
    """(pid, class) of `top -b -s KEY` on a saved snapshot."""
    p = subprocess.run([MMSTALL, "-f", path, "top", "-b", "-s", key, "-r",
                        str(n), "0.01", "1"], capture_output=True,
                       text=True, timeout=60, check=True)
    out = []
    for line in p.stdout.splitlines()[2:]:
        if line[:7].strip().isdigit():
            out.append((int(line[:7]), line[40:54].strip()))
    return out


@test
def recorded_snapshot_as_batch():
    """A snapshot of a real kernel: each key shows what -b -s shows."""
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                        "6.1-mmchurn.snap.gz")
    if not os.path.exists(data):
        raise Skip("no recorded snapshot in tests/unit/data")
    path = os.path.join(TMP, "recorded.snap")
    with gzip.open(data) as f, open(path, "wb") as g:
        g.write(f.read())
    n = HEIGHT - 3                      # what fits
    with Shell() as sh:
        sh.start(f"-f {path} top")
        for key, name in (("c", "count"), ("m", "max"), ("k", "calls"),
                          ("b", "blocked"), ("t", "total")):
            want = batch_rows(path, name, n)
            assert want, name
            keys(key)
            wait_for(lambda: rows() == want, f"the rows sorted by {name}")
        keys("q")
        sh.assert_restored()


if __name__ == "__main__":
    sys.exit(run_tests("tui_", lambda: shutil.rmtree(TMP,
                                                      ignore_errors=True)))
