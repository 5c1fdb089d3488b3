"""Interrupted builds leave nothing behind: the next build removes what a killed one left."""

from __future__ import annotations

import errno
import fcntl
import os
import signal
from pathlib import Path

import pytest

from briefgen import output, staging
from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import BuildFailed
from briefgen.output import OutputFile, write_site
from briefgen.staging import MARKER, MARKER_DATA
from tests.conftest import MakeSite, read_tree
from tests.forked import run_forked

FILES = [OutputFile(f"page-{n}/index.html", b"<p>%d</p>\n" % n, "test") for n in range(5)]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    return root


def leftover(site: Path, name: str = ".build.staging-abcd1234", *, marker: bool = True) -> Path:
    """A folder as a killed build leaves it: its marker and a page or two."""
    folder = site / name
    (folder / "kharkiv").mkdir(parents=True)
    (folder / "kharkiv" / "index.html").write_text("<p>half</p>\n")
    if marker:
        (folder / MARKER).write_bytes(MARKER_DATA)
    return folder


def names(site: Path) -> list[str]:
    return sorted(os.listdir(site))


def test_a_build_killed_half_way_is_cleaned_up_by_the_next(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(FILES[:2], site / "build", site_dir=site)
    real_write = output._write_file
    written: list[Path] = []

    def die_on_the_third_file(path: Path, data: bytes) -> None:
        written.append(path)
        if len(written) == 3:
            os.kill(os.getpid(), signal.SIGKILL)  # as `kill -9` or the OOM killer would
        real_write(path, data)

    monkeypatch.setattr(output, "_write_file", die_on_the_third_file)

    def build_all() -> int:
        write_site(FILES, site / "build", site_dir=site)
        return 0

    killed = run_forked(build_all)
    assert killed.code == -signal.SIGKILL
    [staging] = [name for name in names(site) if name != "build"]
    assert staging.startswith(".build.staging-")
    assert sorted(read_tree(site / staging)) == [MARKER, "page-0/index.html", "page-1/index.html"]
    monkeypatch.setattr(output, "_write_file", real_write)
    write_site(FILES, site / "build", site_dir=site)
    assert names(site) == ["build"]
    assert len(os.listdir(site / "build")) == len(FILES) + 1


def test_what_a_kill_leaves_while_the_old_build_is_removed_is_removed(site: Path) -> None:
    leftover(site, ".build.old-x1y2z3w4")
    leftover(site, ".build.staging-abcd1234")
    (site / ".build.staging-empty___").mkdir()
    write_site(FILES, site / "build", site_dir=site)
    assert names(site) == ["build"]


def test_a_users_folders_are_never_removed(site: Path) -> None:
    kept = [
        leftover(site, ".build.staging-nomarker", marker=False),  # not briefgen's
        leftover(site, ".build.staging-toolong99"),  # not a staging name
        leftover(site, ".public.staging-abcd1234"),  # another output folder's
        leftover(site, "build.staging-abcd1234"),  # not hidden
    ]
    other = leftover(site, ".build.staging-othermkr")
    (other / MARKER).write_text("my notes\n")  # a marker file that is not briefgen's
    (site / ".build.staging-link0000").symlink_to(other)
    write_site(FILES, site / "build", site_dir=site)
    assert names(site) == sorted(
        ["build", ".build.staging-link0000", other.name, *(folder.name for folder in kept)]
    )
    assert (other / "kharkiv" / "index.html").is_file()


def test_the_staging_folder_of_a_running_build_is_left_alone(site: Path) -> None:
    running = leftover(site)
    lock = os.open(running, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # what a build does while it writes
        write_site(FILES, site / "build", site_dir=site)
        assert names(site) == [running.name, "build"]
    finally:
        os.close(lock)
    write_site(FILES, site / "build", site_dir=site)
    assert names(site) == ["build"]


def test_a_name_too_long_is_reported_at_the_output_not_the_staging_folder(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/a.txt": "A\n\nB.\n", "content/a.yaml": "date: 2022-09-15\n"})
    real_write = output._write_file

    def refuse(path: Path, data: bytes) -> None:
        if path.name == "index.html" and path.parent.name == "a":
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))
        real_write(path, data)

    monkeypatch.setattr(output, "_write_file", refuse)
    out = tmp_path / "out"
    with pytest.raises(BuildFailed) as caught:
        build(site, out, BuildOptions())
    assert [d.headline() for d in caught.value.diagnostics] == [
        f"{out}: error[OUT004]: cannot write {out}/a/index.html: file name too long; "
        "fix: choose an output folder you may write to (-o DIR), or free space on its disk"
    ]
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_large_old_build_is_removed_by_a_detached_process_holding_its_lock(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(FILES, site / "build", site_dir=site)
    monkeypatch.setattr(staging, "DETACH_FILES", len(FILES))
    real_command = staging.remover_command

    def remove_and_say_who(folder: Path) -> list[str]:  # the same program, saying its pid
        *interpreter, code, argument = real_command(folder)
        say = f"import os; open({str(tmp_path / 'remover')!r}, 'w').write(str(os.getpid())); "
        return [*interpreter, say + code, argument]

    monkeypatch.setattr(staging, "remover_command", remove_and_say_who)

    def build_again() -> int:  # in a child of one thread, as `briefgen build` is
        (tmp_path / "builder").write_text(str(os.getpid()))
        write_site(FILES[::-1], site / "build", site_dir=site)
        return 0

    assert run_forked(build_again).code == 0
    for name in names(site):  # the old build, while its remover holds the lock
        if name != "build":
            try:
                fd = os.open(site / name, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                continue  # removed already
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the remover to end
            os.close(fd)
    assert names(site) == ["build"]
    assert read_tree(site / "build") == {MARKER: MARKER_DATA} | {f.path: f.data for f in FILES}
    builder = int((tmp_path / "builder").read_text())
    assert int((tmp_path / "remover").read_text()) not in {os.getpid(), builder}
