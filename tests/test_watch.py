"""The watcher: temp-file and change tables, then real editor saves on disk.

The real-file tests run with the native observer and with the polling one, and wait
only with bounded waits: ``next_change(timeout=...)`` and ``Event.wait(...)``.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)

from briefgen.serve.watch import Change, Kind, Watcher, classify, event_paths
from briefgen.tempnames import is_temp_file
from tests.conftest import MakeSite

# --- is_temp_file -----------------------------------------------------------------------

TEMP_FILES = [
    # vim: swap files, backups, the write-permission probe
    ".a.md.swp",
    ".a.md.swo",
    ".a.md.swx",
    "a.md.swp",  # with 'directory' set to the file's folder, not hidden
    "a.md~",
    "4913",
    "5036",
    # emacs: auto-save, lock, backup
    "#a.md#",
    ".#a.md",
    "a.md.~1~",
    # JetBrains safe-write
    "a.md___jb_tmp___",
    "a.md___jb_old___",
    "style.css___jb_bak___",
    "hello.html.__jb_old___",
    # gedit, Kate, nano
    ".goutputstream-ABC123",
    ".a.md.kate-swp",
    "a.md.kate-swp",
    "a.md.save",
    "a.md.save.1",
    # LibreOffice and Microsoft Office locks
    ".~lock.report.odt#",
    "~lock.report.odt#",
    "~$report.docx",
    # sed -i, rsync, Python's tempfile
    "sedAb3xYz",
    ".a.md.Xy12Ab",
    "tmpk2_9d8x1",
    # git, macOS, hidden files in general
    "index.lock",
    ".DS_Store",
    "._a.md",
    ".gitignore",
    ".obsidian",
    # temporary, backup and partial files by extension
    "a.md.tmp",
    "a.md.TMP",
    "draft.temp",
    "a.yaml.bak",
    "a.md.orig",
    "a.md.rej",
    "photo.jpg.part",
    "photo.jpg.crdownload",
    "a.md.crswap",
]
SITE_FILES = [
    "kharkiv-2022.md",
    "kharkiv-counteroffensive.yaml",
    "putin-xi-samarkand.txt",
    "glossary.yaml",
    "site.yaml",
    "a.yml",
    "article.html",
    "base.html",
    "tmpl-card.html",
    "style.css",
    "favicon.ico",
    "robots.txt",
    "security.txt",
    ".well-known",  # published from static/.well-known/ (RFC 8615)
    "4912",
    "5000",
    "4913.md",
    "2022.md",
    "sedation.md",
    "sed",
    "backup-plan.md",
    "save.md",
    "temp.md",
    "lock-in.md",
    "tilde~in-the-middle.md",
    "café.md",
    "content",
    "layouts",
    "2024",
]


@pytest.mark.parametrize("name", TEMP_FILES)
def test_editor_and_tool_leftovers_are_temp_files(name: str) -> None:
    assert is_temp_file(name)


@pytest.mark.parametrize("name", SITE_FILES)
def test_site_files_are_not_temp_files(name: str) -> None:
    assert not is_temp_file(name)


# --- classify ---------------------------------------------------------------------------

SITE = Path("/srv/briefing")
CLASSIFY: list[tuple[str, tuple[str, ...], Kind | None]] = [
    # (path, output folders, kind); relative paths are below SITE
    ("site.yaml", (), Kind.CONFIG),
    ("content/kharkiv-2022.md", (), Kind.CONTENT),
    ("content/kharkiv-2022.yaml", (), Kind.CONTENT),
    ("content/glossary.yaml", (), Kind.CONTENT),
    ("briefgen.lock", (), Kind.CONTENT),  # the recorded anchors, though named as lock files
    ("content/briefgen.lock", (), None),
    ("content/2024/05/deep.md", (), Kind.CONTENT),
    ("content", (), Kind.CONTENT),  # the folder itself came, went or moved
    ("content/2024", (), Kind.CONTENT),
    ("layouts/article.html", (), Kind.LAYOUT),
    ("layouts", (), Kind.LAYOUT),
    ("static/style.css", (), Kind.STATIC),
    ("static/.well-known/security.txt", (), Kind.STATIC),
    ("root/CNAME", (), Kind.STATIC),
    ("root/.nojekyll", (), Kind.STATIC),
    ("themes/paper/templates/base.html", (), Kind.THEME),
    ("themes/paper/static/paper.css", (), Kind.THEME),
    # output folders: build/ by default, or any -o folder
    ("build/index.html", ("build",), None),
    ("build", ("build",), None),
    ("build/index.html", (), None),
    ("public/kharkiv/index.html", ("public",), None),
    ("content/out/index.html", ("content/out",), None),
    ("/tmp/out/index.html", ("/tmp/out",), None),
    ("content/a.md", ("/tmp/out",), Kind.CONTENT),
    # version control, caches, hidden folders
    (".git/index.lock", (), None),
    (".git/objects/ab/cdef0123", (), None),
    ("content/.git/HEAD", (), None),
    ("content/.obsidian/workspace.json", (), None),
    ("layouts/__pycache__/x.cpython-311.pyc", (), None),
    ("themes/paper/__pycache__", (), None),
    # editor temp files, wherever they are
    ("content/a.md~", (), None),
    ("content/.a.md.swp", (), None),
    ("content/4913", (), None),
    ("content/a.md___jb_tmp___", (), None),
    ("content/.goutputstream-ABC123", (), None),
    ("content/#a.md#", (), None),
    ("layouts/.#base.html", (), None),
    ("static/style.css.crswap", (), None),
    ("site.yaml~", (), None),
    ("4913", (), None),
    # not part of a site
    ("README.md", (), None),
    ("site.yml", (), None),
    ("seeds/kharkiv.txt", (), None),
    ("bench/latency.py", (), None),
    ("", (), None),  # the site folder itself
    # outside the site
    ("/srv/other/content/a.md", (), None),
    ("/srv/briefing-2/content/a.md", (), None),
    ("/srv/content/a.md", (), None),
    ("/srv/briefing/../briefing/content/a.md", (), None),
    ("/etc/passwd", (), None),
]


@pytest.mark.parametrize(("path", "outputs", "kind"), CLASSIFY)
def test_classify(path: str, outputs: tuple[str, ...], kind: Kind | None) -> None:
    assert classify(SITE, SITE / path, [SITE / out for out in outputs]) is kind


def test_classify_a_relative_path_against_an_absolute_site_is_none() -> None:
    assert classify(SITE, Path("content/a.md")) is None
    assert classify(Path("site"), Path("site/content/a.md")) is Kind.CONTENT


# --- event_paths ------------------------------------------------------------------------

A, B = "/srv/briefing/content/a.md", "/srv/briefing/content/b.md"
EVENTS: list[tuple[FileSystemEvent, tuple[str, ...]]] = [
    (FileCreatedEvent(A), (A,)),
    (FileModifiedEvent(A), (A,)),
    (FileClosedEvent(A), (A,)),
    (FileAttribEvent(A), (A,)),
    (FileDeletedEvent(A), (A,)),
    (FileMovedEvent(A, B), (A, B)),
    (FileModifiedEvent(A.encode()), (A,)),
    (DirCreatedEvent("/srv/briefing/content/2024"), ("/srv/briefing/content/2024",)),
    (DirDeletedEvent("/srv/briefing/layouts"), ("/srv/briefing/layouts",)),
    (DirMovedEvent("/srv/briefing/x", "/srv/briefing/y"), ("/srv/briefing/x", "/srv/briefing/y")),
    # reads (the build's own) and folder listings change nothing
    (FileOpenedEvent(A), ()),
    (FileClosedNoWriteEvent(A), ()),
    (DirModifiedEvent("/srv/briefing/content"), ()),
    (DirAttribEvent("/srv/briefing/content"), ()),
]


@pytest.mark.parametrize(("event", "paths"), EVENTS, ids=lambda v: type(v).__name__)
def test_event_paths(event: FileSystemEvent, paths: tuple[str, ...]) -> None:
    assert event_paths(event) == tuple(Path(p) for p in paths)


# --- real files -------------------------------------------------------------------------

POLL_MS = 50  # short, to keep the suite fast; the default is 500
QUIET = 0.3  # seconds with no further batch that show a save settled into one
OBSERVERS = ["native", "poll"]


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """A small site with every source folder and a previous build, resolved."""
    root = make_site(
        {
            "content/a.md": "# Kharkiv\n\nThe counteroffensive.\n",
            "content/a.yaml": "date: 2022-09-10\n",
            "content/glossary.yaml": "{}\n",
            "layouts/article.html": "{{ body }}\n",
            "static/style.css": "body {}\n",
            "build/index.html": "<p>old build</p>\n",
            "README.md": "A site.\n",
        }
    )
    return root.resolve()


@contextmanager
def watching(site: Path, mode: str, **options: Any) -> Iterator[Watcher]:
    """A started watcher on the site, native or polling; stopped afterwards."""
    watcher = Watcher(
        site, poll=mode == "poll", poll_ms=POLL_MS, output_dirs=[site / "build"], **options
    )
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


@pytest.fixture(params=OBSERVERS)
def watcher(request: pytest.FixtureRequest, site: Path) -> Iterator[Watcher]:
    """A started watcher, once with each observer."""
    with watching(site, request.param) as started:
        yield started


def settled(watcher: Watcher) -> Change:
    """The next batch, which must come within 5 s and be the only one."""
    change = watcher.next_change(timeout=5)
    assert change is not None, "no change reported"
    assert watcher.next_change(timeout=QUIET) is None, "a save gave more than one batch"
    return change


def save_like_vim(path: Path, text: str) -> None:
    """Vim: probe the folder with 4913, rename the file to its backup, write, drop the backup."""
    probe = path.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    path.rename(backup)
    path.write_text(text)
    backup.unlink()


def save_like_jetbrains(path: Path, text: str) -> None:
    """JetBrains safe-write: write a temp, set the old file aside, rename the temp over."""
    temp = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temp.write_text(text)
    path.rename(old)
    temp.rename(path)
    old.unlink()


def save_like_gedit(path: Path, text: str) -> None:
    """gedit (GIO): write a hidden output stream, then move it over the file."""
    temp = path.with_name(".goutputstream-ABC123")
    temp.write_text(text)
    temp.replace(path)


def save_truncating(path: Path, text: str) -> None:
    """Truncate the file, make the empty file visible, then write the text."""
    with path.open("r+") as f:
        f.truncate(0)
        f.flush()
        f.write(text)


def save_by_recreating(path: Path, text: str) -> None:
    """Delete the file, then create it again."""
    path.unlink()
    path.write_text(text)


def save_in_place(path: Path, text: str) -> None:
    """Write the file where it is."""
    path.write_text(text)


SAVES: dict[str, Callable[[Path, str], None]] = {
    "vim": save_like_vim,
    "jetbrains": save_like_jetbrains,
    "gedit": save_like_gedit,
    "truncate-then-write": save_truncating,
    "delete-then-recreate": save_by_recreating,
    "in-place": save_in_place,
}


@pytest.mark.parametrize("style", SAVES)
def test_an_editor_save_is_one_batch_naming_the_file(
    watcher: Watcher, site: Path, style: str
) -> None:
    article = site / "content/a.md"
    text = f"# Kharkiv\n\nSaved by {style}: the counteroffensive, revised.\n"
    SAVES[style](article, text)
    change = settled(watcher)
    assert change.paths == {article}
    assert change.kinds == {Kind.CONTENT}
    assert article.read_text() == text
    assert sorted(p.name for p in article.parent.iterdir()) == ["a.md", "a.yaml", "glossary.yaml"]


def test_site_yaml_saved_like_vim_is_a_config_change(watcher: Watcher, site: Path) -> None:
    config = site / "site.yaml"
    save_like_vim(config, config.read_text() + "author: The desk\n")
    change = settled(watcher)
    assert change.paths == {config}
    assert change.kinds == {Kind.CONFIG}


def test_a_burst_of_300_files_is_one_batch(watcher: Watcher, site: Path) -> None:
    folders = [site / f"content/batch-{n}" for n in range(3)]
    files = [folder / f"article-{i:03}.md" for folder in folders for i in range(100)]
    for folder in folders:
        folder.mkdir()
    for i, path in enumerate(files):
        path.write_text(f"# Article {i}\n")
    change = settled(watcher)
    assert change.paths == {*folders, *files}
    assert change.kinds == {Kind.CONTENT}


def test_a_rename_names_both_ends(watcher: Watcher, site: Path) -> None:
    (site / "content/a.md").rename(site / "content/kharkiv.md")
    (site / "content/a.yaml").rename(site / "content/kharkiv.yaml")
    names = {p.relative_to(site).as_posix() for p in settled(watcher).paths}
    assert names == {"content/a.md", "content/kharkiv.md", "content/a.yaml", "content/kharkiv.yaml"}


def test_a_folder_moved_in_from_outside_the_site_is_named(
    watcher: Watcher, site: Path, tmp_path: Path
) -> None:
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    (unpacked / "b.md").write_text("# B\n")
    unpacked.rename(site / "content/2024")
    assert site / "content/2024" in settled(watcher).paths


def test_edits_in_every_source_folder_are_classified(watcher: Watcher, site: Path) -> None:
    (site / "layouts/article.html").write_text("<article>{{ body }}</article>\n")
    (site / "static/style.css").write_text("body { margin: 0 }\n")
    (site / "content/glossary.yaml").write_text("terms: {}\n")
    change = settled(watcher)
    assert change.kinds == {Kind.LAYOUT, Kind.STATIC, Kind.CONTENT}
    assert len(change.paths) == 3


def test_changes_outside_the_sources_give_no_batch(watcher: Watcher, site: Path) -> None:
    (site / "build/index.html").write_text("<p>a new build</p>\n")
    (site / "build/kharkiv").mkdir()
    (site / "build/kharkiv/index.html").write_text("<p>Kharkiv</p>\n")
    (site / "README.md").write_text("The site, documented.\n")
    (site / ".git").mkdir()
    (site / ".git/index.lock").write_text("")
    (site / "seeds").mkdir()
    (site / "seeds/kharkiv.txt").write_text("raw\n")
    assert watcher.next_change(timeout=QUIET) is None


def test_editor_leftovers_alone_give_no_batch(watcher: Watcher, site: Path) -> None:
    swap = site / "content/.a.md.swp"
    for n in range(5):
        swap.write_text("swap " * n)
    (site / "content/a.md~").write_text("backup\n")
    (site / "content/#a.md#").write_text("autosave\n")
    (site / "layouts/article.html___jb_tmp___").write_text("temp\n")
    swap.unlink()
    assert watcher.next_change(timeout=QUIET) is None


def test_a_file_caught_half_written_is_reported_again(watcher: Watcher, site: Path) -> None:
    article = site / "content/a.md"
    with article.open("w") as f:
        f.write("# Kharkiv, half")
        f.flush()
        first = watcher.next_change(timeout=5)
        f.write(" and the rest of it.\n")
    second = watcher.next_change(timeout=5)
    assert first is not None and first.paths == {article}
    assert second is not None and second.paths == {article}


def test_a_source_folder_created_later_is_watched(watcher: Watcher, site: Path) -> None:
    theme = site / "themes/paper/templates"
    theme.mkdir(parents=True)
    (theme / "base.html").write_text("<html></html>\n")
    assert settled(watcher).paths == {site / "themes"}
    (theme / "base.html").write_text("<html lang=en></html>\n")
    change = settled(watcher)
    assert change.paths == {theme / "base.html"}
    assert change.kinds == {Kind.THEME}


def test_a_source_folder_removed_and_recreated_is_watched_again(
    watcher: Watcher, site: Path
) -> None:
    layouts = site / "layouts"
    shutil.rmtree(layouts)
    assert layouts in settled(watcher).paths
    layouts.mkdir()
    (layouts / "article.html").write_text("<main>{{ body }}</main>\n")
    assert layouts in settled(watcher).paths
    (layouts / "article.html").write_text("<main class=article>{{ body }}</main>\n")
    assert settled(watcher).paths == {layouts / "article.html"}


@pytest.mark.parametrize("mode", OBSERVERS)
def test_a_source_folder_linked_from_elsewhere_is_watched(tmp_path: Path, mode: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "a.md").write_text("# Kharkiv\n")
    site = (tmp_path / "linked").resolve()
    site.mkdir()
    (site / "site.yaml").write_text("title: Linked\n")
    (site / "content").symlink_to(shared, target_is_directory=True)
    with watching(site, mode) as watcher:
        (site / "content/a.md").write_text("# Kharkiv, edited through the link\n")
        assert settled(watcher).paths == {site / "content/a.md"}


@pytest.mark.parametrize("mode", OBSERVERS)
def test_a_never_ending_stream_is_cut_after_max_wait(site: Path, mode: str) -> None:
    done = threading.Event()

    def keep_writing() -> None:
        """Write the article every 10 ms until told to stop."""
        n = 0
        while not done.wait(0.01):
            n += 1
            (site / "content/a.md").write_text("x" * n)

    with watching(site, mode, max_wait_ms=300) as watcher:
        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            change = watcher.next_change(timeout=5)
            still_writing = writer.is_alive()
        finally:
            done.set()
            writer.join(timeout=5)
    assert change is not None and change.paths == {site / "content/a.md"}
    assert still_writing


def test_stop_unblocks_a_waiting_next_change(watcher: Watcher) -> None:
    results: list[Change | None] = []
    returned = threading.Event()

    def wait() -> None:
        """Wait, without a timeout, for a change that never comes: only stop can end it."""
        results.append(watcher.next_change(timeout=None))
        returned.set()

    waiter = threading.Thread(target=wait, daemon=True)  # a failed stop must not hang the run
    waiter.start()
    assert not returned.wait(0.1)
    watcher.stop()
    assert returned.wait(5)
    waiter.join(timeout=5)
    assert results == [None]
    assert watcher.next_change(timeout=0) is None
