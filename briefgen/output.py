"""Writing files: the only place where briefgen writes them.

``write_site`` writes a build, ``write_files`` a few files into a folder that exists
(``briefgen import`` writing into content/). ``Stage`` is ``write_site`` in steps, for
a build whose workers write their own pages into the staging folder as they render
them (``Stage.write``), so that no page's bytes pass between processes.

A build is atomic. Every file is first written into a hidden staging folder next to
the output folder, ``.<name>.staging-<random>``; only when all of them are written is
the staging folder swapped into place (one ``renameat2(RENAME_EXCHANGE)`` on Linux,
two renames elsewhere) and the previous build deleted (a large one in the background,
``staging.remove_old``). A failed build therefore leaves
the previous output exactly as it was. Apart from that staging sibling (and the parent
folder of the output, created when missing), nothing is written outside the output folder.

Every build contains a ``.briefgen-build`` marker; briefgen only ever replaces a folder
that is empty or carries that marker, so it never deletes a folder it did not make.
The staging folder is locked while a build writes it (``briefgen.staging``); a build
killed half-way leaves one that the next build of the same output folder removes.

``write_files`` is atomic per file: every file is first written to a hidden temporary
name beside its target, ``.<name>.<random>.tmp``, and only when all of them are written
is each renamed over its target. Readers see a file either as it was or as it is now;
a failure while writing leaves every target as it was. Both functions refuse duplicate
and unsafe paths (``check_files``) before writing anything.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from briefgen.errors import BriefgenError, BuildFailed, Diagnostic, Location
from briefgen.staging import MARKER, make_staging, remove_build, remove_leftovers, remove_old, swap

if TYPE_CHECKING:
    from briefgen.build.reuse import Previous

SCRATCH = ".briefgen-scratch"  # a build's own folder in its staging folder, never published
SOURCE_FOLDERS = ("content", "layouts", "static", "themes", "seeds", "root")
MAX_NAME_BYTES = 255  # the longest file name most file systems take
PATH_FIX = "use a relative POSIX path inside the output folder, like 'kharkiv/index.html'"
OUT_FIX = "choose an output folder of its own, such as 'public' next to site.yaml"


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: where it goes, its bytes, and what produced it."""

    path: str  # POSIX path relative to the output root, e.g. "kharkiv/index.html"
    data: bytes  # empty when staged
    origin: str = ""  # e.g. "content/kharkiv.md" or "theme static/style.css"
    staged: bool = False  # written into the staging folder already (``Stage.write``)
    # staged with the build cache: its inputs' digest, inode, size and mtime_ns, by which
    # the next build may link it instead of making it again (``build.reuse``)
    record: tuple[str, int, int, int] | None = None


def check_files(files: Sequence[OutputFile]) -> list[Diagnostic]:
    """Report duplicate output paths (OUT001) and unsafe ones (OUT002)."""
    found: list[Diagnostic] = []
    first: dict[str, OutputFile] = {}
    for f in files:
        reason = _unsafe_reason(f.path)
        if reason:
            message = f"unsafe output path {f.path!r}: {reason}"
            found.append(Diagnostic(Location(_origin(f)), "OUT002", message, PATH_FIX))
        elif f.path in first:
            message = (
                f"output path {f.path!r} is written twice, "
                f"by {_origin(first[f.path])} and by {_origin(f)}"
            )
            fix = "give one of them another slug or output path"
            found.append(Diagnostic(Location(_origin(f)), "OUT001", message, fix))
        else:
            first[f.path] = f
    for path, f in first.items():
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in first:
                message = (
                    f"output path {folder!r} (from {_origin(first[folder])}) is a file, "
                    f"but {path!r} (from {_origin(f)}) needs it to be a folder"
                )
                fix = "rename one of them"
                found.append(Diagnostic(Location(_origin(f)), "OUT002", message, fix))
    return found


def write_site(
    files: Sequence[OutputFile],
    out_dir: Path,
    *,
    site_dir: Path,
    prepare: Callable[[Path], None] | None = None,
) -> None:
    """Write `files` as the complete new content of out_dir, atomically.

    ``prepare(staging)`` runs on the complete staged build before it is swapped in (the
    search index is made there); when it raises, out_dir is left as it was.
    """
    problems = check_files(files) + _check_out_dir(out_dir, site_dir)
    if problems:
        raise BuildFailed(problems)
    with Stage(out_dir, site_dir) as stage:
        stage.commit(files, prepare)


def writable(paths: Sequence[str]) -> set[str]:
    """The paths that ``check_files`` accepts: each once, safe, no file another's folder."""
    counts = Counter(paths)
    folders = {folder for path in counts for folder in _parents(path)}
    return {
        path
        for path, times in counts.items()
        if times == 1 and not _unsafe_reason(path) and path not in folders
        and not any(folder in counts for folder in _parents(path))
    }  # fmt: skip


def _parents(path: str) -> list[str]:
    """The folders a path lies in: "a/b/c" -> ["a", "a/b"]."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: depth + 1]) for depth in range(len(parts))]


class Stage:
    """A build being written into its staging folder, swapped in by ``commit``.

    Used as a context manager; ``open`` (called by the first that needs the folder)
    checks the output folder (OUT003) and makes the staging folder. Leaving without a
    commit (an error, a failed build) removes the staging folder and leaves the output
    folder as it was. ``write`` may be called from forked workers: each file is new,
    its folders are made as needed.
    """

    def __init__(self, out_dir: Path, site_dir: Path) -> None:
        """A stage for ``out_dir``, the output folder of the site in ``site_dir``."""
        self.out_dir = out_dir
        self._site_dir = site_dir
        self._out = out_dir.resolve()
        self.folder = self._out
        self._lock = -1
        self.previous: Previous | None = None  # the last build's files, to link (build.reuse)
        # names what each staged file is made from, to record it for the next build
        self.recording: Callable[..., str] | None = None  # (build.reuse.Digests)

    def __enter__(self) -> Stage:
        """Start; nothing is made until ``open``."""
        return self

    def open(self) -> None:
        """Check the output folder and make the locked staging folder beside it (once)."""
        if self._lock >= 0:
            return
        problems = _check_out_dir(self.out_dir, self._site_dir)
        if problems:
            raise BuildFailed(problems)
        self._out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self._out)
        self.folder, self._lock = make_staging(self._out)

    def __exit__(self, *exc: object) -> None:
        """Remove the staging folder unless it was swapped in; release its lock."""
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1
            remove_build(self.folder, ignore_errors=True)

    def scratch(self) -> Path:
        """A private folder of the staging folder (opened first), removed before the swap."""
        self.open()
        return self.folder / SCRATCH

    def link(self, path: str, source: Path) -> None:
        """Link the file ``source`` (of the last build) in as the file ``path``."""
        target = os.path.join(self.folder, path)
        try:
            os.link(source, target, follow_symlinks=False)
        except FileNotFoundError:  # its folder is not made yet (or the source is gone)
            self._folders(Path(target).parent)
            os.link(source, target, follow_symlinks=False)

    def write(self, path: str, data: bytes) -> None:
        """Write one new file of the build (its folders made as needed)."""
        target = self.folder / path
        try:
            _write_file(target, data)
        except FileNotFoundError:  # its folder is not made yet
            self._folders(target.parent)
            _write_file(target, data)

    def _folders(self, parent: Path) -> None:
        """Make the folders of a new file, as needed (another worker may make them too)."""
        try:
            os.mkdir(parent)
        except FileExistsError:
            return  # another worker made it
        except FileNotFoundError:  # its own folder is missing too (never the stage's own)
            if parent.parent == self.folder:
                raise
            self._folders(parent.parent)
            try:
                os.mkdir(parent)
            except FileExistsError:
                return
        os.chmod(parent, 0o755)

    def commit(
        self, files: Sequence[OutputFile], prepare: Callable[[Path], None] | None = None
    ) -> None:
        """Write the files not staged yet, run ``prepare``, and swap the build in."""
        problems = check_files(files)
        if self._lock < 0:
            problems += _check_out_dir(self.out_dir, self._site_dir)
        if problems:
            raise BuildFailed(problems)
        self.open()
        shutil.rmtree(self.folder / SCRATCH, ignore_errors=True)
        _stage([f for f in files if not f.staged], self.folder)
        if prepare is not None:
            prepare(self.folder)
        previous = swap(self.folder, self._out)
        os.close(self._lock)
        self._lock = -1
        if previous is not None:  # a later build removes what a failure here leaves
            remove_old(previous, files=len(files))


def write_files(files: Sequence[OutputFile], folder: Path) -> None:
    """Write ``files`` into the existing ``folder``, each one atomically; leave others alone.

    Missing folders below ``folder`` are created. Raises BriefgenError (OUT001, OUT002)
    before writing anything when a path is duplicate or unsafe, or names a folder.
    """
    problems = check_files(files)
    if not problems:
        problems = [d for d in (_is_folder(f, folder) for f in files) if d is not None]
    if problems:
        raise BriefgenError(problems)
    temps: list[tuple[Path, Path]] = []  # (temporary file, target), in order
    try:
        for f in files:
            target = folder / f.path
            for parent in reversed(PurePosixPath(f.path).parents[:-1]):
                (folder / parent).mkdir(exist_ok=True)
            temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
            temps.append((temp, target))  # removed below unless renamed into place
            _write_file(temp, f.data)
        while temps:
            os.replace(*temps[0])
            temps.pop(0)
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)


def _is_folder(f: OutputFile, folder: Path) -> Diagnostic | None:
    """Refuse (OUT002) a file whose target is an existing folder."""
    target = folder / f.path
    if not target.is_dir() or target.is_symlink():
        return None
    message = f"output path {f.path!r} is a folder in {folder}"
    return Diagnostic(Location(_origin(f)), "OUT002", message, "remove it or choose another path")


def _origin(f: OutputFile) -> str:
    """Name what produced a file, for messages."""
    return f.origin or "<unknown origin>"


def _unsafe_reason(path: str) -> str:
    """Say why an output path could escape or clash in the output folder, or return ''."""
    if not path:
        return "it is empty"
    if "\x00" in path:
        return "it contains a NUL character"
    if "\\" in path:
        return "it contains a backslash"
    if path.startswith("/"):
        return "it is absolute"
    segments = path.split("/")
    if ".." in segments:
        return "it contains a '..' segment"
    if "." in segments:
        return "it contains a '.' segment"
    if "" in segments:
        return "it contains an empty segment"
    if path == MARKER:
        return "this name is reserved for briefgen's build marker"
    if any(len(segment.encode("utf-8")) > MAX_NAME_BYTES for segment in segments):
        return f"a name in it is longer than {MAX_NAME_BYTES} bytes"
    return ""


def _check_out_dir(out_dir: Path, site_dir: Path) -> list[Diagnostic]:
    """Refuse (OUT003) an output folder that briefgen must not replace."""
    out, site = out_dir.resolve(), site_dir.resolve()
    where = Location(str(out_dir))
    reason, fix = "", OUT_FIX
    blocking = next((p for p in reversed(out.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        reason = f"the output folder cannot be made: {blocking} is a file, not a folder"
        fix = f"choose an output folder that is not below the file {blocking.name}"
    elif out_dir.is_symlink() or (out.exists() and not out.is_dir()):
        reason = "the output path exists and is not a folder (or is a symbolic link)"
        fix = "remove it or " + OUT_FIX
    elif out == site:
        reason = "the output folder is the site folder itself"
    elif site.is_relative_to(out):
        reason = f"the output folder contains the site folder {site}"
    elif any(out.is_relative_to((site / name).resolve()) for name in SOURCE_FOLDERS):
        reason = "the output folder is inside the site's content/, layouts/, static/, "
        reason += "themes/, seeds/ or root/"
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        reason = f"the output folder is not empty and has no {MARKER} file from a previous build"
        fix = "empty it or " + OUT_FIX
    return [Diagnostic(where, "OUT003", reason, fix)] if reason else []


def _stage(files: Sequence[OutputFile], staging: Path) -> None:
    """Write every file into the staging folder (its marker is there already)."""
    folders: set[str] = set()
    for f in files:
        parts = f.path.split("/")[:-1]
        folders.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    for folder in sorted(folders):  # a folder sorts before everything inside it
        if not (staging / folder).is_dir():  # workers may have made it
            (staging / folder).mkdir()
            os.chmod(staging / folder, 0o755)
    for f in files:
        _write_file(staging / f.path, f.data)


def _write_file(path: Path, data: bytes) -> None:
    """Create one new file with mode 0o644 and exactly these bytes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as stream:
        os.fchmod(stream.fileno(), 0o644)
        stream.write(data)
