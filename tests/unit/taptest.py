# SPDX-License-Identifier: GPL-2.0
"""The tiny TAP runner of the Python host tests.

@test registers a function; raising Skip("why") skips it; run(prefix)
runs them in order, prints TAP 13 and returns the exit status.
"""
import sys
import traceback

TESTS = []


class Skip(Exception):
    pass


def test(fn):
    TESTS.append(fn)
    return fn


def run(prefix, cleanup=None):
    print("TAP version 13")
    print(f"1..{len(TESTS)}")
    failed = 0
    for i, fn in enumerate(TESTS, 1):
        try:
            fn()
            print(f"ok {i} - {prefix}{fn.__name__}")
        except Skip as e:
            print(f"ok {i} - {prefix}{fn.__name__} # SKIP {e}")
        except Exception:  # report and go on
            failed += 1
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print(f"not ok {i} - {prefix}{fn.__name__}")
        sys.stdout.flush()
    if cleanup:
        cleanup()
    return 1 if failed else 0
