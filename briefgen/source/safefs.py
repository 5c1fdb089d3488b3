"""The one way briefgen reads a site's files: never outside the site, never a special file.

Every reader goes through ``read_file``, ``kind`` and ``walk``: site.yaml, content/ and
the glossary, layouts/ and themes/ (Jinja2's loader too), and the static copy. Each call
names its *root*, the folder nothing may be read outside of: the site folder, or
briefgen's own themes. They keep three promises:

- nothing outside the root is read: a symbolic link is followed only when its target,
  fully resolved, lies inside the root; a link that leads outside, points at nothing or
  loops is an error naming the link (a loop once, naming every link in it);
- a named pipe, socket, device or folder where a file is expected is refused from its
  ``lstat``, never opened (opening a pipe blocks, opening a device can have effects);
- the file read is the file checked: the resolved path is opened one component at a
  time from the root with ``O_NOFOLLOW``, and the open file must be the regular file
  that was checked, so a link swapped in meanwhile is refused, not followed.

A problem is a ``Diagnostic`` naming the path relative to the root: ``read_file`` and
``kind`` raise it as ``Refused``; ``walk`` returns it beside the files it found.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import Diagnostic, Location
from briefgen.tempnames import is_temp_file

OUTSIDE = "CNT007"  # a symbolic link that leads outside the root
LOOP = "CNT008"  # symbolic links that loop
SPECIAL = "CNT009"  # a named pipe, socket, device, or a folder where a file is expected
UNREADABLE = "CNT010"  # permission denied, or another error of the system
DANGLING = "CNT011"  # a symbolic link to nothing
AGAIN = "build again once nothing changes it"

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISREG, "a file"),
)


class Refused(Exception):
    """A file or folder briefgen will not read, and the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic, *, missing: bool = False) -> None:
        super().__init__(diagnostic.headline())
        self.diagnostic = diagnostic
        self.missing = missing  # nothing is there: not an error for optional files


@dataclass(frozen=True)
class Listing:
    """The regular files found below a folder, sorted, and the problems met on the way."""

    files: tuple[Path, ...]
    problems: tuple[Diagnostic, ...] = ()
    exists: bool = True  # False: nothing is at the folder's path
    refused: tuple[Path, ...] = ()  # what was found but not listed, for its problem


def read_file(root: Path, path: Path) -> bytes:
    """The bytes of the regular file ``path``, inside ``root``; raises ``Refused``."""
    real_root = _real(root)
    real = _resolve(real_root, root, path)
    parts = real.relative_to(real_root).parts
    if not parts:
        raise Refused(_special(".", stat.S_IFDIR))
    try:
        return _read_beneath(real_root, parts)
    except OSError as exc:
        raise _refusal(_name(real_root, real), exc) from None
    except _NotChecked as found:
        name = _name(real_root, real)
        if found.mode is not None:
            raise Refused(_special(name, found.mode)) from None
        message = f"{name} was replaced while it was being read"
        raise Refused(_problem(name, UNREADABLE, message, AGAIN)) from None


def kind(root: Path, path: Path) -> str | None:
    """ "file" or "dir" for what ``path`` is, inside ``root``; None when nothing is there.

    Raises ``Refused`` for a link that leads outside, dangles or loops, and for a
    special file.
    """
    real_root = _real(root)
    try:
        real = _resolve(real_root, root, path)
    except Refused as refused:
        if refused.missing:
            return None
        raise
    mode = _lstat(real_root, real).st_mode
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    raise Refused(_special(_name(real_root, real), mode))


def walk(root: Path, folder: Path) -> Listing:
    """Every regular file below ``folder`` (inside ``root``), skipping editor leftovers.

    Files are named by the path they were found at (``folder/world/x.md`` even when
    ``world`` is a link inside the root); links inside the root are followed unless
    they loop.
    """
    real_root = _real(root)
    walker = _Walker(real_root)
    try:
        real = _resolve(real_root, root, folder)
        mode = _lstat(real_root, real).st_mode
    except Refused as refused:
        if refused.missing:
            return Listing((), exists=False)
        return Listing((), (refused.diagnostic,))
    if not stat.S_ISDIR(mode):
        return Listing((), (_special(_name(real_root, real), mode, "a folder"),))
    walker.walk(real, folder, [(real, None)])
    problems = tuple(walker.problems.values())
    return Listing(tuple(walker.files), problems, refused=tuple(walker.refused))


@dataclass
class _Walker:
    """One walk's findings; problems keyed so that a link met twice is reported once."""

    real_root: Path
    files: list[Path] = field(default_factory=list)
    refused: list[Path] = field(default_factory=list)
    problems: dict[tuple[Location, str], Diagnostic] = field(default_factory=dict)

    def add(self, diagnostic: Diagnostic) -> None:
        self.problems.setdefault((diagnostic.location, diagnostic.message), diagnostic)

    def walk(self, real: Path, lexical: Path, stack: list[tuple[Path, Path | None]]) -> None:
        """List ``real`` (found as ``lexical``); ``stack``: the folders above, with the link
        that led into each."""
        try:
            with os.scandir(real) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            self.add(_refusal(_name(self.real_root, real), exc, "list").diagnostic)
            return
        for entry in entries:
            if is_temp_file(entry.name):
                continue
            target, link = Path(entry.path), None
            try:
                if entry.is_symlink():
                    link, target = target, _follow(self.real_root, target)
                mode = _lstat(self.real_root, target).st_mode
            except Refused as refused:
                if not refused.missing:  # else it went while being listed
                    self.add(refused.diagnostic)
                    self.refused.append(lexical / entry.name)
                continue
            if stat.S_ISDIR(mode):
                loop = _cycle(stack, target, link)
                if loop:
                    self.add(_loop(self.real_root, loop))
                else:
                    self.walk(target, lexical / entry.name, [*stack, (target, link)])
            elif stat.S_ISREG(mode):
                self.files.append(lexical / entry.name)
            else:
                via = _name(self.real_root, link) if link is not None else None
                self.add(_special(_name(self.real_root, target), mode, via=via))
                self.refused.append(lexical / entry.name)


def _cycle(stack: list[tuple[Path, Path | None]], target: Path, link: Path | None) -> list[Path]:
    """The links of a loop when following ``link`` to ``target`` walks a folder again."""
    if link is None:
        return []
    for depth, (folder, _) in enumerate(stack):
        if folder.is_relative_to(target):  # the target holds a folder being walked
            return [*(via for _, via in stack[depth + 1 :] if via is not None), link]
    return []


def _real(root: Path) -> Path:
    """The root with every symbolic link in its own path resolved."""
    return Path(os.path.realpath(root))


def _name(real_root: Path, path: Path) -> str:
    """How messages name a path: relative to the root when inside it."""
    if path.is_relative_to(real_root):
        return path.relative_to(real_root).as_posix() or "."
    return str(path)


def _problem(name: str, code: str, message: str, fix: str = "") -> Diagnostic:
    return Diagnostic(Location(name), code, message, fix)


def _resolve(real_root: Path, root: Path, path: Path) -> Path:
    """The real path of ``path``, each symbolic link on the way checked; raises Refused."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = ("..",)
    if ".." in parts:
        message = f"{path} is outside the site"
        raise Refused(_problem(str(path), OUTSIDE, message, "name a file inside the site"))
    current = str(real_root)  # strings: this runs for every file of every build
    for part in parts:
        candidate = os.path.join(current, part)
        try:
            mode = os.lstat(candidate).st_mode
        except OSError as exc:
            raise _refusal(_name(real_root, Path(candidate)), exc) from None
        current = str(_follow(real_root, Path(candidate))) if stat.S_ISLNK(mode) else candidate
    return Path(current)


def _lstat(real_root: Path, path: Path) -> os.stat_result:
    """``lstat``; raises Refused (missing when nothing is there)."""
    try:
        return os.lstat(path)
    except OSError as exc:
        raise _refusal(_name(real_root, path), exc) from None


def _follow(real_root: Path, link: Path) -> Path:
    """The real target of the symbolic link ``link``, when it lies inside the root."""
    name = _name(real_root, link)
    try:
        text = os.readlink(link)
        target = Path(os.path.realpath(link, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused(_loop(real_root, _chain(link))) from None
        if isinstance(exc, FileNotFoundError | NotADirectoryError):
            message = f"{name} is a symbolic link to {text}, which does not exist"
            fix = "point it at a file inside the site, or remove it"
            raise Refused(_problem(name, DANGLING, message, fix)) from None
        raise _refusal(name, exc) from None
    if not target.is_relative_to(real_root):
        message = f"{name} is a symbolic link to {text}, outside the site"
        fix = "copy what it points to into the site, or remove the link"
        raise Refused(_problem(name, OUTSIDE, message, fix))
    return target


def _chain(link: Path) -> list[Path]:
    """The links met by following ``link`` one step at a time, until one comes again."""
    seen: list[Path] = []
    current = link
    while current not in seen and len(seen) < 64:
        seen.append(current)
        try:
            current = Path(os.path.normpath(current.parent / os.readlink(current)))
        except OSError:
            return [link]
    return seen[seen.index(current) :] if current in seen else [link]


def _loop(real_root: Path, links: Iterable[Path]) -> Diagnostic:
    """One diagnostic for a loop, the same whichever of its links was met first."""
    described = sorted((_name(real_root, link), _link_text(link)) for link in set(links))
    message = "symbolic link loop: " + ", ".join(f"{name} -> {text}" for name, text in described)
    fix = "remove or repoint one of these links"
    return _problem(described[0][0], LOOP, message, fix)


def _link_text(link: Path) -> str:
    """What a symbolic link says, or '?' when it went meanwhile."""
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def _special(name: str, mode: int, expected: str = "a file", via: str | None = None) -> Diagnostic:
    """A diagnostic for something that is not what briefgen reads there (reached ``via`` a
    symbolic link, which it is located at)."""
    what = next((label for test, label in _KINDS if test(mode)), "an unknown kind of file")
    message = f"{name} is {what}, not {expected}; briefgen does not open it"
    if via is not None:
        message = f"{via} is a symbolic link to {name}, which is {what}, not {expected}; "
        message += "briefgen does not open it"
    return _problem(via or name, SPECIAL, message, f"replace it with {expected}, or remove it")


def _refusal(name: str, exc: OSError, verb: str = "read") -> Refused:
    """A Refused for an error of the system."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return Refused(_problem(name, UNREADABLE, f"{name} does not exist"), missing=True)
    if exc.errno == errno.ELOOP:  # a component became a link after it was checked
        message = f"{name} changed into a symbolic link while it was being read"
        return Refused(_problem(name, OUTSIDE, message, AGAIN))
    reason = (exc.strerror or str(exc)).lower()
    fix = f"make it readable by the user running briefgen (chmod a+r{'x' * (verb == 'list')})"
    if not isinstance(exc, PermissionError):
        fix = "check the disk and the file system"
    return Refused(_problem(name, UNREADABLE, f"cannot {verb} {name}: {reason}", fix))


class _NotChecked(Exception):
    """Not the regular file checked: another kind of file (its mode), or a replaced one."""

    def __init__(self, mode: int | None = None) -> None:
        super().__init__(mode)
        self.mode = mode


def _read_beneath(real_root: Path, parts: tuple[str, ...]) -> bytes:
    """Open ``parts`` below the root one component at a time, never following a link."""
    folder = os.open(real_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=folder)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # what O_NOFOLLOW meets
                    link = os.stat(part, dir_fd=folder, follow_symlinks=False)
                    if stat.S_ISLNK(link.st_mode):
                        raise OSError(errno.ELOOP, "changed into a link") from None
                raise
            os.close(folder)
            folder = inner
        checked = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
        if not stat.S_ISREG(checked.st_mode):
            raise _NotChecked(checked.st_mode)
        fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)
    with os.fdopen(fd, "rb") as stream:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            raise _NotChecked()
        return stream.read()
