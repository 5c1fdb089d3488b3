"""Run a function or the command line in a forked child: bounded in time, unprivileged.

``run_forked`` runs a function in a child process and collects its exit code, stdout
and stderr; a child still running after ``timeout`` seconds is killed and the test
fails, so every run ends within a bound (the property tests rely on it). ``run_cli``
runs ``briefgen.cli.main`` that way.

The machine and CI run as root, for whom no file is unreadable and no folder is
unwritable, so a refusal could pass unnoticed. Given ``ids`` (from ``user_ids``), the
child drops to an unprivileged user (``nobody``, or ``BRIEFGEN_TEST_USER``) before it
runs. Forking, rather than starting an interpreter, needs no access to the
interpreter's own files (a virtual environment under /root is fine). When the tests do
not run as root they are unprivileged already, and ``user_ids`` returns None. When
there is no user to drop to, the test is skipped with the reason (a failure under
CI=true).
"""

from __future__ import annotations

import io
import os
import pwd
import selectors
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen import cli

TIMEOUT = 30.0


@dataclass(frozen=True)
class Run:
    """What a run of the command line did."""

    code: int
    stdout: str
    stderr: str


def user_ids() -> tuple[int, int] | None:
    """The (uid, gid) to drop to, None when already unprivileged; skips when impossible."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("BRIEFGEN_TEST_USER", "nobody")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        reason = f"no user {name!r} to run as (set BRIEFGEN_TEST_USER to an unprivileged user)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return entry.pw_uid, entry.pw_gid


def hand_over(root: Path, ids: tuple[int, int] | None) -> None:
    """Make everything below ``root`` (and ``root``) belong to the user ``ids``."""
    if ids is None:
        return
    uid, gid = ids
    os.lchown(root, uid, gid)
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            os.lchown(os.path.join(folder, name), uid, gid)


def run_cli(
    argv: Sequence[str], cwd: Path, *, ids: tuple[int, int] | None, timeout: float = TIMEOUT
) -> Run:
    """Run ``briefgen ARGV`` in a forked child in ``cwd``, as ``ids`` when given."""
    return run_forked(lambda: cli.main(list(argv)), cwd, ids=ids, timeout=timeout)


def run_forked(
    target: Callable[[], int],
    cwd: Path | None = None,
    *,
    ids: tuple[int, int] | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """Run ``target`` in a forked child (in ``cwd``, as ``ids``); its result is the exit code.

    An exception in the child prints its traceback on stderr and exits with 99.
    """
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 99
        try:
            os.close(out_r)
            os.close(err_r)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8")
            if ids is not None:
                os.setgroups([])
                os.setgid(ids[1])
                os.setuid(ids[0])
            if cwd is not None:
                os.chdir(cwd)
            code = target()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    outputs = _collect(pid, {out_r: bytearray(), err_r: bytearray()}, timeout)
    _, status = os.waitpid(pid, 0)
    return Run(
        os.waitstatus_to_exitcode(status),
        outputs[out_r].decode("utf-8", "replace"),
        outputs[err_r].decode("utf-8", "replace"),
    )


def _collect(pid: int, buffers: dict[int, bytearray], timeout: float) -> dict[int, bytearray]:
    """Read the child's pipes until both close; kill it and fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for fd in buffers:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail(f"briefgen did not finish within {timeout} s")
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 65536)
                if chunk:
                    buffers[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    return buffers
