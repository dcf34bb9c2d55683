#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Help, man page and bash completion of mmstall; prints TAP.

usage: docs_tests.py MMSTALL

The commands and the options every command accepts are read from the
reader's source (main.c's command table, each parser's getopt strings and
option tables), so an option added without --help, man page and
completion text fails here.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from taptest import Skip, run as run_tests, test

MMSTALL = sys.argv[1]
REPO = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", ".."))
US = os.path.join(REPO, "userspace")
MAN = os.path.join(REPO, "man", "mmstall.8")
COMPLETION = os.path.join(REPO, "completion", "mmstall.bash")

COMMON = {"short": set("hdf"), "long": {"help", "dir", "file"}}


def commands():
    """The command names of main.c's dispatch table."""
    src = open(os.path.join(US, "main.c")).read()
    names = re.findall(r'\{\s*"(\w+)",\s*cmd_\w+\s*\}', src)
    assert names, "no command table in main.c"
    return names


def c_string(expr):
    """A concatenation of C string literals and COMMON_SHORTOPTS."""
    out = ""
    for lit, macro in re.findall(r'"((?:[^"\\]|\\.)*)"|(\w+)', expr):
        if macro == "COMMON_SHORTOPTS":
            out += "hd:f:"
        elif macro:
            raise AssertionError(f"unknown macro {macro} in {expr}")
        else:
            out += lit
    return out


def functions(src):
    """(name, body) of each top-level function of a C file."""
    for m in re.finditer(r"^(?:static )?int (\w+)\([^)]*\)\n\{\n(.*?)^\}",
                         src, re.M | re.S):
        yield m.group(1), m.group(2)


def parser_options():
    """{command: {"short": set, "long": set}}; "" for the global ones."""
    opts = {}
    for name in sorted(os.listdir(US)):
        if not name.endswith(".c"):
            continue
        src = open(os.path.join(US, name)).read()
        cmds = re.findall(r"^int cmd_(\w+)\(", src, re.M)
        for fn, body in functions(src):
            m = re.search(r"getopt_long\(\s*\w+,\s*\w+,\s*(.*?),\s*\w+,",
                          body, re.S)
            if not m:
                continue
            if fn == "main":
                cmd = ""
            elif fn.startswith("cmd_"):
                cmd = fn[4:]
            else:
                assert len(cmds) == 1, f"{name}:{fn}: which command?"
                cmd = cmds[0]
            o = opts.setdefault(cmd, {"short": set(), "long": set()})
            o["short"] |= set(c_string(m.group(1)).replace(":", "")
                              .replace("+", ""))
            o["long"] |= set(re.findall(r'\{\s*"([\w-]+)",\s*\w+_argument',
                                        body))
            if "COMMON_LONGOPTS" in body:
                o["long"] |= COMMON["long"]
    return opts


def flags(o):
    return sorted({"-" + c for c in o["short"]} |
                  {"--" + n for n in o["long"]})


def man_sections():
    """{section or subsection title: its text, roff dashes made plain}."""
    text = open(MAN).read().replace("\\-", "-")
    parts = re.split(r"^\.S[HS] (.*)$", text, flags=re.M)
    return {parts[i].strip('"'): parts[i + 1]
            for i in range(1, len(parts), 2)}


def complete(line, cwd=None):
    """What the completion offers for @line (the cursor at its end)."""
    script = (f'source "{COMPLETION}"\n'
              'read -ra COMP_WORDS <<<"$1"\n'
              '[ "${1: -1}" = " " ] && COMP_WORDS+=("")\n'
              'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n'
              '_mmstall\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "_",
                        line], capture_output=True, text=True, cwd=cwd,
                       timeout=30)
    assert p.returncode == 0, p.stderr
    assert not p.stderr, p.stderr
    return [x for x in p.stdout.splitlines() if x]


@test
def help_of_every_command():
    _, out = run_help()
    for cmd in commands():
        assert re.search(rf"^  {cmd}\s", out, re.M), \
            f"'mmstall --help' does not list {cmd}"
        rc, text = run_help(cmd)
        assert rc == 0, f"{cmd} --help: exit {rc}"
        assert f"USAGE: mmstall {cmd}" in text, cmd
        ex = text.split("EXAMPLES:", 1)
        assert len(ex) == 2, f"{cmd} --help has no EXAMPLES"
        assert f"mmstall {cmd}" in ex[1] or \
            re.search(rf"mmstall -f \S+ {cmd}", ex[1]), \
            f"{cmd} --help: no example of {cmd}"
        rc2, text2 = run_help(cmd, flag="-h")
        assert rc2 == 0 and text2 == text, f"{cmd} -h"


def run_help(cmd=None, flag="--help"):
    args = [MMSTALL] + ([cmd] if cmd else []) + [flag]
    p = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert not p.stderr, p.stderr
    return p.returncode, p.stdout


@test
def options_in_help():
    opts = parser_options()
    assert set(opts) >= set(commands()) | {""}, sorted(opts)
    for cmd, o in sorted(opts.items()):
        _, text = run_help(cmd or None)
        for f in flags(o):
            assert re.search(rf"(^|[\s,\[]){re.escape(f)}\b", text), \
                f"'mmstall {cmd} --help' does not document {f}"


@test
def options_in_man_page():
    secs = man_sections()
    for cmd in commands():
        assert cmd in secs, f"man page: no subsection {cmd}"
    for cmd, o in sorted(parser_options().items()):
        # a command's own options in its subsection, common ones anywhere
        # in OPTIONS (or the command's subsection)
        own = secs.get(cmd, "") if cmd else secs["OPTIONS"]
        for f in flags(o):
            where = own + (secs["OPTIONS"] if f[1:].lstrip("-") in
                           COMMON["short"] | COMMON["long"] else "")
            assert re.search(rf"(^|[\s\[]){re.escape(f)}\b", where), \
                f"man page: {cmd or 'global'} option {f} undocumented"
    for word in ("FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO",
                 "MODULE PARAMETERS", "ENVIRONMENT"):
        assert word in secs, word
    for param in ("max_tasks", "maxactive", "kretprobes", "hold_time",
                  "stack_threshold_ns"):
        assert param in secs["MODULE PARAMETERS"], param
    for rc in range(9):
        assert f".B {rc}\n" in secs["EXIT STATUS"], rc
    for f in ("snapshot", "status", "tasks", "control"):
        assert f"/sys/kernel/debug/mmstall/{f}" in secs["FILES"], f


@test
def options_in_completion():
    for cmd, o in sorted(parser_options().items()):
        got = set(complete(f"mmstall {cmd} -" if cmd else "mmstall -"))
        for f in flags(o):
            assert f in got, f"completion of 'mmstall {cmd} -': no {f}"


@test
def completion_commands_and_arguments():
    cmds = commands()
    assert set(complete("mmstall ")) >= set(cmds), complete("mmstall ")
    assert complete("mmstall to") == ["top"]
    assert complete("mmstall -d /tmp r") == ["report", "reset"]
    assert complete("mmstall top --so") == ["--sort"]
    assert complete("mmstall top -s ") == ["total", "max", "count", "calls",
                                           "blocked"]
    assert complete("mmstall top --sort c") == ["count", "calls"]
    assert complete("mmstall hist -C rwsem") == ["rwsem_read",
                                                 "rwsem_write"]
    assert complete("mmstall -f x.snap top -b -") and \
        "--batch" in complete("mmstall -f x.snap top -b -")
    assert complete("mmstall export --p") == ["--prometheus"]
    assert complete("mmstall top 1 ") == []         # interval, count
    assert complete("mmstall report -d ") == []     # a duration
    d = tempfile.mkdtemp(prefix="mmstall-compl-")
    try:
        os.mkdir(os.path.join(d, "snapdir"))
        for f in ("saved.snap", "second.snap"):
            open(os.path.join(d, f), "w").close()
        assert complete("mmstall -f sa", cwd=d) == ["saved.snap"]
        assert sorted(complete("mmstall snapshot -o s", cwd=d)) == \
            ["saved.snap", "second.snap", "snapdir"]
        assert complete("mmstall export --prometheus -o sec", cwd=d) == \
            ["second.snap"]
        assert complete("mmstall report --dir s", cwd=d) == ["snapdir"]
        assert complete("mmstall -d s", cwd=d) == ["snapdir"]
    finally:
        shutil.rmtree(d)


@test
def man_page_lint():
    ran = []
    if shutil.which("mandoc"):
        p = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", MAN],
                           capture_output=True, text=True)
        assert p.returncode == 0 and not p.stdout.strip(), p.stdout
        ran.append("mandoc")
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-ww", "-z", MAN],
                           capture_output=True, text=True)
        assert p.returncode == 0 and not p.stderr.strip(), p.stderr
        ran.append("groff")
    if shutil.which("man"):
        p = subprocess.run(["man", "-l", MAN], capture_output=True,
                           text=True, env=dict(os.environ, MANWIDTH="80",
                                               MANPAGER="cat", PAGER="cat"))
        assert p.returncode == 0, p.stderr
        assert "mmstall - show where tasks stall" in \
            re.sub(r".\x08", "", p.stdout), p.stdout[:300]
        ran.append("man")
    if not ran:
        raise Skip("neither mandoc, groff nor man installed")
    print("# man page checked with " + ", ".join(ran))


@test
def installed_by_make():
    d = tempfile.mkdtemp(prefix="mmstall-install-")
    try:
        p = subprocess.run(["make", "-s", "-C", REPO, "install-reader",
                            "DESTDIR=" + d, "PREFIX=/usr"],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stdout + p.stderr
        for path, src in (("usr/share/man/man8/mmstall.8", MAN),
                          ("usr/share/bash-completion/completions/mmstall",
                           COMPLETION)):
            with open(os.path.join(d, path)) as f, open(src) as g:
                assert f.read() == g.read(), path
        assert os.access(os.path.join(d, "usr/sbin/mmstall"), os.X_OK)
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    sys.exit(run_tests("docs_"))
