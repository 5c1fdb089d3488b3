"""The catalogue of failing mini-sites: each case a small data file in tests/fixtures/failing/.

A case reads like a test script (Hugo's txtar tests)::

    # A symbolic link in content/ that leads outside the site is refused.
    user: unprivileged             (optional: run as an unprivileged user)
    args: --base-url x             (optional: more arguments for `briefgen build`)
    exit: 1
    stderr:
    | content/a.txt: error[CNT007]: ...
    -- site.yaml --                (optional: a minimal site.yaml otherwise)
    title: T
    -- content/a.txt -> ../../outside/secret.txt --
    -- content/p.md | fifo --

Sections are files below the site folder: text, ``-> target`` a symbolic link,
``| fifo``, ``| socket``, ``| dir`` a folder, ``| bytes`` text with Python escapes
(``\\xff``, ``\\x00``), ``| mode 000`` a file (or, with a trailing ``/``, a folder) with
that mode. Beside the site are ``outside/secret.txt`` (what a link out of the site
would publish) and, in ``site/build/``, a previous build. ``$CASE`` in the expected
lines stands for the case's folder.
"""

from __future__ import annotations

import codecs
import os
import shlex
import socket
import stat
from dataclasses import dataclass, field
from pathlib import Path

CASES = Path(__file__).parent / "fixtures" / "failing"
SITE_YAML = "title: Test Briefing\nbase_url: https://example.org/briefing/\n"
SECRET = "the build machine's secret\n"
PREVIOUS = {".briefgen-build": "This folder is built by briefgen and replaced on every build.\n",
            "index.html": "<p>the previous build</p>\n"}  # fmt: skip


@dataclass
class Section:
    """One file of a case: its path below the site, what it is, its text."""

    path: str
    kind: str = "text"  # text, link, fifo, socket, dir, bytes, mode
    arg: str = ""  # the link's target, or the mode
    lines: list[str] = field(default_factory=list)


@dataclass
class Case:
    """A failing mini-site and what building it must print."""

    name: str
    comment: list[str]
    user: str
    args: list[str]
    exit: int
    stderr: list[str]
    sections: list[Section]
    source: str  # the file's text, for regenerating its expected lines


def parse(path: Path) -> Case:
    """Read a case file."""
    text = path.read_text(encoding="utf-8")
    comment: list[str] = []
    header: dict[str, str] = {}
    stderr: list[str] = []
    sections: list[Section] = []
    for line in text.splitlines():
        if line.startswith("-- ") and line.endswith(" --"):
            sections.append(_section(line[3:-3]))
        elif sections:
            sections[-1].lines.append(line)
        elif line.startswith("#"):
            comment.append(line)
        elif line.startswith("| ") or line == "|":
            stderr.append(line[2:])
        elif ":" in line:
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
    return Case(
        name=path.stem,
        comment=comment,
        user=header.get("user", "root"),
        args=shlex.split(header.get("args", "")),
        exit=int(header["exit"]),
        stderr=stderr,
        sections=sections,
        source=text,
    )


def _section(head: str) -> Section:
    if " -> " in head:
        path, _, target = head.partition(" -> ")
        return Section(path.strip(), "link", target.strip())
    path, _, kind = head.partition(" | ")
    kind = kind.strip() or "text"
    if kind.startswith("mode "):
        return Section(path.strip(), "mode", kind[5:])
    return Section(path.strip(), kind)


def make(case: Case, root: Path) -> Path:
    """Write the case into ``root``: site/ with a previous build, outside/; return site/."""
    site = root / "site"
    (root / "outside").mkdir(parents=True)
    (root / "outside" / "secret.txt").write_text(SECRET)
    for name, text in PREVIOUS.items():
        (site / "build" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "build" / name).write_text(text)
    if not any(s.path == "site.yaml" for s in case.sections):
        (site / "site.yaml").write_text(SITE_YAML)
    modes = []
    for section in case.sections:
        target = site / section.path
        target.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(line + "\n" for line in section.lines)
        if section.kind == "link":
            target.symlink_to(section.arg)
        elif section.kind == "fifo":
            os.mkfifo(target)
        elif section.kind == "socket":
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(str(target))
        elif section.kind == "dir" or (section.kind == "mode" and section.path.endswith("/")):
            target.mkdir(exist_ok=True)
        elif section.kind == "bytes":
            target.write_bytes(codecs.escape_decode(body.encode("utf-8"))[0])
        else:
            target.write_text(body, encoding="utf-8")
        if section.kind == "mode":
            modes.append((target, int(section.arg, 8)))
    for target, mode in reversed(modes):  # inner ones first, while their folder is open
        target.chmod(mode)
    return site


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Everything below ``root``: kind, mode, bytes or link target; pipes never opened."""
    found: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted((*dirs, *files)):
            path = Path(folder, name)
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[rel] = ("file", stat.S_IMODE(info.st_mode), _bytes(path))
            else:
                found[rel] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode))
    return found


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except PermissionError:  # not root, and a case made it unreadable
        return None


def unlock(root: Path) -> None:
    """Give every folder and file back its owner's rights, so that it can be removed."""
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(folder, name)
            if not path.is_symlink() and (path.is_dir() or path.is_file()):
                path.chmod(0o755 if path.is_dir() else 0o644)


def regenerate(case: Case, stderr: str, code: int) -> str:
    """The case file with these expected lines and exit code."""
    head, _, rest = case.source.partition("\n-- ")
    kept = [
        line
        for line in head.splitlines()
        if not line.startswith(("| ", "exit:", "stderr:")) and line != "|"
    ]
    expected = [f"| {line}" if line else "|" for line in stderr.splitlines()]
    lines = [*kept, f"exit: {code}", "stderr:", *expected]
    return "\n".join(lines) + "\n-- " + rest
