"""A build's staging folder: made locked with its marker first, removed with it last.

``briefgen.output`` writes every build into a hidden folder beside the output folder,
``.<name>.staging-<8 characters>`` (tempfile's names), and swaps it into place. This
module makes those folders and removes them, so that a build killed half-way leaves
nothing behind for long:

- the ``.briefgen-build`` marker is a staging folder's first file and, when a build
  folder is removed, its last; so a folder with a staging name that holds the marker,
  or nothing at all, is briefgen's, never a user's;
- a build holds an advisory lock (``flock``) on its staging folder while it writes;
  the lock goes with the process, so a folder no one locks belongs to a build that is
  gone;
- each build first removes the leftovers of its output folder (``remove_leftovers``):
  staging and old-build folders that are briefgen's and unlocked;
- the build swapped out is removed at once, or, when it is large, by a process of its
  own that outlives the build and holds its lock (``remove_old``): removing ten
  thousand folders takes seconds on a slow disk, which need not keep the build waiting.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from briefgen.errors import Diagnostic, Location

MARKER = ".briefgen-build"
MARKER_DATA = b"This folder is built by briefgen and replaced on every build.\n"
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
AT_FDCWD = -100
RENAME_EXCHANGE = 2
DETACH_FILES = 1000  # a swapped-out build of this many files is removed in the background


def leftover_name(out: Path) -> re.Pattern[str]:
    """The names of the staging and old-build folders of ``out``."""
    return re.compile(rf"\.{re.escape(out.name)}\.(?:staging|old)-[a-z0-9_]{{8}}")


def make_staging(out: Path) -> tuple[Path, int]:
    """A new staging folder beside ``out``, locked (the descriptor returned), with its marker."""
    while True:
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.staging-"))
        lock = os.open(staging, _FOLDER)
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if os.path.samestat(os.fstat(lock), os.lstat(staging)):
                break
        except FileNotFoundError:
            pass
        os.close(lock)  # another build took it for a leftover and removed it: make another
    try:
        os.chmod(staging, 0o755)
        fd = os.open(staging / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as marker:
            os.fchmod(fd, 0o644)
            marker.write(MARKER_DATA)
    except BaseException:
        remove_build(staging, ignore_errors=True)
        os.close(lock)
        raise
    return staging, lock


def staged_path(path: Path, out: Path) -> Path | None:
    """``path`` relative to the staging folder of ``out`` it lies in, or None."""
    pattern = leftover_name(out)
    for folder in (path, *path.parents):
        if folder.parent == out.parent and pattern.fullmatch(folder.name):
            return path.relative_to(folder)
    return None


def remove_leftovers(out: Path) -> None:
    """Remove what builds of ``out`` killed half-way left: briefgen's, unlocked folders."""
    pattern = leftover_name(out)
    for entry in sorted(os.scandir(out.parent), key=lambda e: e.name):
        if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            remove_unlocked(Path(entry.path), only_ours=True)


def remove_unlocked(folder: Path, *, only_ours: bool = False) -> None:
    """Remove a build folder unless a running build holds its lock (or, with ``only_ours``,
    unless it is not briefgen's)."""

    def remove(_: int) -> None:
        if not only_ours or _is_ours(folder):
            remove_build(folder, ignore_errors=True)

    _with_lock(folder, remove)


def remove_old(folder: Path, *, files: int) -> None:
    """Remove the build just swapped out to ``folder``: at once or, when the new build
    has ``DETACH_FILES`` ``files`` or more (the old one likely too), by a detached
    process that holds the folder's lock until it is gone, so that no build takes it for
    a leftover meanwhile (one killed before the end leaves a leftover that the next
    build removes). Without ``fork`` or an interpreter to run, or from a process with
    threads (a fork could deadlock there), it is removed at once."""

    def remove(fd: int) -> None:
        if files >= DETACH_FILES and can_fork() and sys.executable:
            _detached(remover_command(folder), fd)  # it keeps the lock: its copy of fd
        else:
            remove_build(folder, ignore_errors=True)

    _with_lock(folder, remove)


def _with_lock(folder: Path, action: Callable[[int], None]) -> None:
    """``action`` with ``folder``'s descriptor while this process holds its lock; nothing
    when the folder is gone or another process (a running build) holds the lock."""
    try:
        fd = os.open(folder, _FOLDER | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        action(fd)
    except OSError:
        return  # locked: another build writes or removes it
    finally:
        os.close(fd)


def can_fork() -> bool:
    """Whether this process may fork: the system can, and it runs one thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def remover_command(folder: Path) -> list[str]:
    """A fresh interpreter that removes ``folder`` with ``remove_build``: a new program,
    not a fork of the build, which would keep the build's memory until it is done."""
    package_parent = str(Path(__file__).resolve().parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {package_parent!r}); "
        "from pathlib import Path; from briefgen.staging import remove_build; "
        "remove_build(Path(sys.argv[1]), ignore_errors=True)"
    )
    return [sys.executable, "-I", "-S", "-c", code, str(folder)]


def _detached(command: list[str], lock: int) -> None:
    """Run ``command`` in a grandchild process in a session of its own, not waited for
    (the child between them ends at once, so nothing is left for this process to reap),
    with the descriptor ``lock`` (so the lock lasts as long as it runs) and its standard
    streams on the null device (a pipe reading this process's output ends with it)."""
    child = os.fork()
    if child == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                null = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(null, stream)
                os.set_inheritable(lock, True)
                os.execv(command[0], command)
        finally:
            os._exit(0)  # the grandchild only when the program could not start
    os.waitpid(child, 0)


def _is_ours(folder: Path) -> bool:
    """Whether a folder is empty or holds briefgen's marker."""
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return not os.listdir(folder)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as marker:
        return stat.S_ISREG(os.fstat(fd).st_mode) and marker.read(1024) == MARKER_DATA


def remove_build(folder: Path, *, ignore_errors: bool = False) -> None:
    """Remove a build folder, its marker last, never following a symbolic link."""
    try:
        for entry in os.scandir(folder):
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=ignore_errors)
            else:
                os.unlink(entry.path)
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        if not ignore_errors:
            raise


def swap(staging: Path, out: Path) -> Path | None:
    """Move the staged build to `out`; return where the previous build now is."""
    if not os.path.lexists(out):
        os.rename(staging, out)
        return None
    if _exchange(staging, out):
        return staging
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old-"))
    try:
        os.rename(out, old)  # replaces the empty folder `old`
    except BaseException:
        os.rmdir(old)
        raise
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    return old


def _load_renameat2() -> Callable[..., int] | None:
    """Return libc's renameat2, or None where the platform has none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False when the system cannot."""
    renameat2 = _load_renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_failure(exc: OSError, out_dir: Path) -> Diagnostic:
    """The located diagnostic (OUT004) of a system error while writing a build."""
    reason = (exc.strerror or str(exc)).lower()
    name = Path(exc.filename) if isinstance(exc.filename, str) else None
    out = out_dir.resolve()
    where = f"the output folder {out_dir}"
    staged = staged_path(name, out) if name is not None else None
    if staged is not None:
        where = str(out_dir / staged)
    elif name is not None and not name.is_relative_to(out):
        where = f"{name}, beside the output folder {out_dir}"
    fix = "choose an output folder you may write to (-o DIR), or free space on its disk"
    if isinstance(exc, PermissionError):
        fix = f"make {out.parent} writable by the user running briefgen, or choose another -o DIR"
    return Diagnostic(Location(str(out_dir)), "OUT004", f"cannot write {where}: {reason}", fix)
