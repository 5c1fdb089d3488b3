"""Atomic, collision-checked writing of the built site and of files into a folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import output, staging
from briefgen.errors import BriefgenError, BuildFailed
from briefgen.output import OutputFile, check_files, write_files, write_site
from briefgen.staging import MARKER, MARKER_DATA

FIRST = [
    OutputFile("index.html", b"<h1>Briefings</h1>\n", "layouts/index.html"),
    OutputFile("kharkiv/index.html", b"<p>Kharkiv</p>\n", "content/kharkiv.md"),
    OutputFile("static/style.css", b"body{margin:0}\n", "theme static/style.css"),
    OutputFile("static/img/map.bin", bytes(range(256)), "theme static/img/map.bin"),
]
SECOND = [
    OutputFile("index.html", b"<h1>Briefings, updated</h1>\n", "layouts/index.html"),
    OutputFile("izium/index.html", b"<p>Izium</p>\n", "content/izium.md"),
]
LONGER = [
    *SECOND,
    OutputFile("kyiv/index.html", b"<p>Kyiv</p>\n", "content/kyiv.md"),
    OutputFile("odesa/index.html", b"<p>Odesa</p>\n", "content/odesa.md"),
]
Tree = dict[str, tuple[object, ...]]


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` as {POSIX path: bytes}."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def snapshot(root: Path) -> Tree:
    """Every entry below and including `root`, with kind, bytes, inode and mtime."""
    tree: Tree = {}
    for p in [root, *sorted(root.rglob("*"))]:
        st = p.lstat()
        key = p.relative_to(root).as_posix()
        if p.is_symlink():
            tree[key] = ("link", os.readlink(p))
        elif p.is_dir():
            tree[key] = ("dir", st.st_ino, st.st_mtime_ns, st.st_mode)
        else:
            tree[key] = ("file", p.read_bytes(), st.st_ino, st.st_mtime_ns, st.st_mode)
    return tree


def expected(files: list[OutputFile]) -> dict[str, bytes]:
    """The tree a build of `files` must produce."""
    return {f.path: f.data for f in files} | {MARKER: MARKER_DATA}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder with its source folders."""
    root = tmp_path / "site"
    for name in ("content", "layouts", "static"):
        (root / name).mkdir(parents=True)
    (root / "site.yaml").write_text("title: Briefings\n")
    return root


@pytest.fixture
def out(site: Path) -> Path:
    """The output folder, not yet built."""
    return site / "public"


@pytest.fixture
def no_renameat2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the swap take the two-rename path."""
    monkeypatch.setattr(staging, "_load_renameat2", lambda: None)


def test_first_build_writes_exactly_the_files(site: Path, out: Path) -> None:
    write_site(FIRST, out, site_dir=site)
    assert read_tree(out) == expected(FIRST)
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


def test_second_build_replaces_the_first_completely(site: Path, out: Path) -> None:
    write_site(FIRST, out, site_dir=site)
    write_site(SECOND, out, site_dir=site)
    assert read_tree(out) == expected(SECOND)
    assert sorted(os.listdir(out)) == [MARKER, "index.html", "izium"]
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


def test_same_input_gives_the_same_bytes(site: Path, out: Path, tmp_path: Path) -> None:
    write_site(FIRST, out, site_dir=site)
    other = tmp_path / "elsewhere" / "public"
    write_site(FIRST, other, site_dir=site)
    assert read_tree(out) == read_tree(other)


def test_modes_do_not_depend_on_umask(site: Path, out: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_site(FIRST, out, site_dir=site)
    finally:
        os.umask(previous)
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in out.rglob("*")}
    assert modes == {
        MARKER: 0o644,
        "index.html": 0o644,
        "kharkiv": 0o755,
        "kharkiv/index.html": 0o644,
        "static": 0o755,
        "static/style.css": 0o644,
        "static/img": 0o755,
        "static/img/map.bin": 0o644,
    }
    assert out.stat().st_mode & 0o777 == 0o755


def test_collision_is_refused_and_the_previous_build_kept(site: Path, out: Path) -> None:
    write_site(FIRST, out, site_dir=site)
    before = snapshot(out)
    clash = [
        OutputFile("kharkiv/index.html", b"one", "content/kharkiv.md"),
        OutputFile("kharkiv/index.html", b"two", "content/kharkiv-2.md"),
    ]
    with pytest.raises(BuildFailed) as caught:
        write_site(clash, out, site_dir=site)
    assert [d.headline() for d in caught.value.diagnostics] == [
        "content/kharkiv-2.md: error[OUT001]: output path 'kharkiv/index.html' is written twice,"
        " by content/kharkiv.md and by content/kharkiv-2.md;"
        " fix: give one of them another slug or output path"
    ]
    assert snapshot(out) == before
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


def fail_on_call(number: int, real: Callable[[Path, bytes], None]) -> Callable[[Path, bytes], None]:
    """Wrap a file writer so that its `number`-th call raises."""
    calls = iter(range(1, 1_000_000))

    def write(path: Path, data: bytes) -> None:
        if next(calls) == number:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    return write


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "rename"])
def test_failure_while_writing_keeps_the_previous_build(
    site: Path, out: Path, monkeypatch: pytest.MonkeyPatch, fallback: bool
) -> None:
    if fallback:
        monkeypatch.setattr(staging, "_load_renameat2", lambda: None)
    write_site(FIRST, out, site_dir=site)
    before = snapshot(out)
    monkeypatch.setattr(output, "_write_file", fail_on_call(3, output._write_file))
    with pytest.raises(OSError, match="No space left on device"):
        write_site(LONGER, out, site_dir=site)
    assert snapshot(out) == before
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


def test_failure_on_the_first_build_leaves_nothing(
    site: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_write_file", fail_on_call(3, output._write_file))
    with pytest.raises(OSError, match="No space left on device"):
        write_site(FIRST, out, site_dir=site)
    assert sorted(os.listdir(site)) == ["content", "layouts", "site.yaml", "static"]


def test_failed_exchange_keeps_the_previous_build(
    site: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(FIRST, out, site_dir=site)
    before = snapshot(out)

    def refuse(a: Path, b: Path) -> bool:
        raise OSError(5, "Input/output error", str(b))

    monkeypatch.setattr(staging, "_exchange", refuse)
    with pytest.raises(OSError, match="Input/output error"):
        write_site(SECOND, out, site_dir=site)
    assert snapshot(out) == before
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


@pytest.mark.usefixtures("no_renameat2")
def test_failed_second_rename_puts_the_previous_build_back(
    site: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(FIRST, out, site_dir=site)
    before = snapshot(out)
    real_rename = os.rename
    renames: list[tuple[str, str]] = []

    def rename(src: str | Path, dst: str | Path) -> None:
        renames.append((Path(src).name, Path(dst).name))
        if len(renames) == 2:
            raise OSError(5, "Input/output error", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="Input/output error"):
        write_site(SECOND, out, site_dir=site)
    assert [pair[1] for pair in renames[1:]] == ["public", "public"]
    assert snapshot(out) == before
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


UNSAFE = {
    "absolute": ("/abs", "it is absolute"),
    "parent": ("../x", "it contains a '..' segment"),
    "escaping": ("a/../../x", "it contains a '..' segment"),
    "backslash": ("a\\b", "it contains a backslash"),
    "empty-segment": ("a//b", "it contains an empty segment"),
    "trailing-slash": ("a/", "it contains an empty segment"),
    "dot": ("./a", "it contains a '.' segment"),
    "empty": ("", "it is empty"),
    "nul": ("a\x00b", "it contains a NUL character"),
    "marker": (MARKER, "this name is reserved for briefgen's build marker"),
}


@pytest.mark.parametrize(("path", "reason"), UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_path_is_refused(site: Path, out: Path, path: str, reason: str) -> None:
    files = [OutputFile("ok.html", b"ok", "content/ok.md"), OutputFile(path, b"x", "content/x.md")]
    assert [d.headline() for d in check_files(files)] == [
        f"content/x.md: error[OUT002]: unsafe output path {path!r}: {reason};"
        " fix: use a relative POSIX path inside the output folder, like 'kharkiv/index.html'"
    ]
    with pytest.raises(BuildFailed) as caught:
        write_site(files, out, site_dir=site)
    assert [d.code for d in caught.value.diagnostics] == ["OUT002"]
    assert sorted(os.listdir(site)) == ["content", "layouts", "site.yaml", "static"]


@pytest.mark.parametrize("order", [1, -1], ids=["file-first", "folder-first"])
def test_file_that_is_also_a_folder_is_refused(site: Path, out: Path, order: int) -> None:
    files = [OutputFile("a", b"1", "content/a.md"), OutputFile("a/b", b"2", "content/b.md")]
    assert [d.headline() for d in check_files(files[::order])] == [
        "content/b.md: error[OUT002]: output path 'a' (from content/a.md) is a file,"
        " but 'a/b' (from content/b.md) needs it to be a folder; fix: rename one of them"
    ]
    with pytest.raises(BuildFailed):
        write_site(files[::order], out, site_dir=site)
    assert not out.exists()


def test_all_problems_are_reported_at_once() -> None:
    files = [
        OutputFile("a.html", b"", "content/a.md"),
        OutputFile("a.html", b"", "content/b.md"),
        OutputFile("../c", b"", "content/c.md"),
    ]
    assert [(str(d.location), d.code) for d in check_files(files)] == [
        ("content/b.md", "OUT001"),
        ("content/c.md", "OUT002"),
    ]
    assert check_files(FIRST) == []


def refused(out_dir: Path, site: Path) -> list[str]:
    """The headlines of write_site's refusal to write into `out_dir`."""
    with pytest.raises(BuildFailed) as caught:
        write_site(FIRST, out_dir, site_dir=site)
    return [d.headline() for d in caught.value.diagnostics]


OWN = "choose an output folder of its own, such as 'public' next to site.yaml"


def test_site_folder_is_refused(site: Path) -> None:
    before = snapshot(site)
    assert refused(site, site) == [
        f"{site}: error[OUT003]: the output folder is the site folder itself; fix: {OWN}"
    ]
    assert snapshot(site) == before


def test_parent_of_site_folder_is_refused(site: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    assert refused(tmp_path, site) == [
        f"{tmp_path}: error[OUT003]: the output folder contains the site folder {site}; fix: {OWN}"
    ]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("inside", ["content", "content/out", "static/x", "seeds/x", "root/x"])
def test_folder_inside_sources_is_refused(site: Path, inside: str) -> None:
    before = snapshot(site)
    assert refused(site / inside, site) == [
        f"{site / inside}: error[OUT003]: the output folder is inside the site's content/,"
        f" layouts/, static/, themes/, seeds/ or root/; fix: {OWN}"
    ]
    assert snapshot(site) == before


def test_foreign_non_empty_folder_is_refused_and_untouched(site: Path, out: Path) -> None:
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "todo.txt").write_bytes(b"keep me\n")
    before = snapshot(out)
    assert refused(out, site) == [
        f"{out}: error[OUT003]: the output folder is not empty and has no {MARKER} file"
        f" from a previous build; fix: empty it or {OWN}"
    ]
    assert snapshot(out) == before
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_output_path_that_is_not_a_folder_is_refused(
    site: Path, out: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "file":
        out.write_bytes(b"not a folder\n")
    else:
        (tmp_path / "real").mkdir()
        out.symlink_to(tmp_path / "real")
    assert refused(out, site) == [
        f"{out}: error[OUT003]: the output path exists and is not a folder"
        f" (or is a symbolic link); fix: remove it or {OWN}"
    ]
    if kind == "symlink":
        assert out.is_symlink()
        assert list((tmp_path / "real").iterdir()) == []
    else:
        assert out.read_bytes() == b"not a folder\n"


def test_output_path_below_a_file_is_refused(site: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n")
    out = tmp_path / "notes.txt" / "deeper" / "public"
    assert refused(out, site) == [
        f"{out}: error[OUT003]: the output folder cannot be made: {tmp_path / 'notes.txt'} is "
        "a file, not a folder; fix: choose an output folder that is not below the file notes.txt"
    ]
    assert (tmp_path / "notes.txt").read_text() == "keep me\n"


def test_a_name_too_long_for_a_file_is_refused_before_writing() -> None:
    long = OutputFile(f"tags/{'д' * 128}/index.html", b"", "content/a.yaml")
    assert [d.headline() for d in check_files([long])] == [
        f"content/a.yaml: error[OUT002]: unsafe output path {long.path!r}: a name in it is "
        "longer than 255 bytes; fix: use a relative POSIX path inside the output folder, "
        "like 'kharkiv/index.html'"
    ]


def test_empty_existing_folder_is_accepted(site: Path, out: Path) -> None:
    out.mkdir()
    write_site(FIRST, out, site_dir=site)
    assert read_tree(out) == expected(FIRST)


def test_missing_parents_are_created(site: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "builds" / "2024" / "public"
    write_site(FIRST, out_dir, site_dir=site)
    assert read_tree(out_dir) == expected(FIRST)
    assert os.listdir(tmp_path / "builds" / "2024") == ["public"]


def test_symlinks_in_the_old_build_are_removed_not_followed(
    site: Path, out: Path, tmp_path: Path
) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious.txt").write_bytes(b"precious\n")
    write_site(FIRST, out, site_dir=site)
    (out / "linked-folder").symlink_to(keep)
    (out / "kharkiv" / "linked-file").symlink_to(keep / "precious.txt")
    write_site(SECOND, out, site_dir=site)
    assert read_tree(out) == expected(SECOND)
    assert read_tree(keep) == {"precious.txt": b"precious\n"}


@pytest.mark.usefixtures("no_renameat2")
def test_rename_fallback_gives_the_same_result(site: Path, out: Path) -> None:
    write_site(FIRST, out, site_dir=site)
    assert read_tree(out) == expected(FIRST)
    write_site(SECOND, out, site_dir=site)
    assert read_tree(out) == expected(SECOND)
    assert sorted(os.listdir(site)) == ["content", "layouts", "public", "site.yaml", "static"]


def test_exchange_is_used_where_available(
    site: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if staging._load_renameat2() is None:
        pytest.skip("renameat2 is not available here")
    results: list[bool] = []
    real = staging._exchange

    def spy(a: Path, b: Path) -> bool:
        results.append(real(a, b))
        return results[-1]

    monkeypatch.setattr(staging, "_exchange", spy)
    write_site(FIRST, out, site_dir=site)
    write_site(SECOND, out, site_dir=site)
    assert results == [True]
    assert read_tree(out) == expected(SECOND)


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    if staging._load_renameat2() is None:
        pytest.skip("renameat2 is not available here")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_bytes(b"1")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two").write_bytes(b"2")
    assert staging._exchange(tmp_path / "a", tmp_path / "b") is True
    assert read_tree(tmp_path) == {"a/two": b"2", "b/one": b"1"}


def test_exchange_reports_a_missing_path(tmp_path: Path) -> None:
    if staging._load_renameat2() is None:
        pytest.skip("renameat2 is not available here")
    (tmp_path / "a").mkdir()
    with pytest.raises(FileNotFoundError):
        staging._exchange(tmp_path / "a", tmp_path / "missing")


# -- write_files: a few files into a folder that exists ------------------------------------

ARTICLE = [
    OutputFile("content/x.txt", b"Text.\n", "seeds/x.txt"),
    OutputFile("content/x.yaml", b"seed: seeds/x.txt\n", "seeds/x.txt"),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A site folder holding one file that write_files must leave alone."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "site.yaml").write_bytes(b"title: T\n")
    return root


def test_write_files_adds_files_and_leaves_the_others(folder: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_files(ARTICLE, folder)
    finally:
        os.umask(previous)
    assert read_tree(folder) == {
        "content/x.txt": b"Text.\n",
        "content/x.yaml": b"seed: seeds/x.txt\n",
        "site.yaml": b"title: T\n",
    }
    assert (folder / "content/x.txt").stat().st_mode & 0o777 == 0o644


def test_write_files_replaces_files_and_symlinks_not_their_targets(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "content").mkdir()
    (folder / "content/x.txt").write_bytes(b"Old.\n")
    (tmp_path / "elsewhere.yaml").write_bytes(b"keep me\n")
    (folder / "content/x.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    write_files(ARTICLE, folder)
    assert (folder / "content/x.txt").read_bytes() == b"Text.\n"
    assert not (folder / "content/x.yaml").is_symlink()
    assert (folder / "content/x.yaml").read_bytes() == b"seed: seeds/x.txt\n"
    assert (tmp_path / "elsewhere.yaml").read_bytes() == b"keep me\n"
    assert sorted(os.listdir(folder / "content")) == ["x.txt", "x.yaml"]


def test_write_files_writes_every_file_before_renaming_any(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "content").mkdir()
    (folder / "content/x.txt").write_bytes(b"Old.\n")
    seen: list[tuple[list[str], bytes]] = []
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        names = sorted(os.listdir(folder / "content"))
        seen.append((names, (folder / "content/x.txt").read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_files(ARTICLE, folder)
    temps, before_first = seen[0]
    assert temps[0].startswith(".x.txt.") and temps[0].endswith(".tmp")
    assert temps[1].startswith(".x.yaml.") and temps[1].endswith(".tmp")
    assert temps[2:] == ["x.txt"]
    assert before_first == b"Old.\n"
    assert len(seen) == 2


def test_write_files_failure_while_writing_changes_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "content").mkdir()
    (folder / "content/x.txt").write_bytes(b"Old.\n")
    before = read_tree(folder)
    monkeypatch.setattr(output, "_write_file", fail_on_call(2, output._write_file))
    with pytest.raises(OSError, match="No space left on device"):
        write_files(ARTICLE, folder)
    assert read_tree(folder) == before
    assert os.listdir(folder / "content") == ["x.txt"]


def test_write_files_failed_rename_leaves_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append(Path(dst).name)
        if len(calls) == 2:
            raise OSError(5, "Input/output error", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="Input/output error"):
        write_files(ARTICLE, folder)
    assert calls == ["x.txt", "x.yaml"]
    assert sorted(os.listdir(folder / "content")) == ["x.txt"]  # each file is whole or absent


@pytest.mark.parametrize(("path", "reason"), UNSAFE.values(), ids=UNSAFE.keys())
def test_write_files_refuses_unsafe_paths(folder: Path, path: str, reason: str) -> None:
    before = snapshot(folder.parent)
    files = [*ARTICLE, OutputFile(path, b"x", "seeds/y.txt")]
    with pytest.raises(BriefgenError) as caught:
        write_files(files, folder)
    assert caught.value.exit_code == 1
    assert [d.headline() for d in caught.value.diagnostics] == [
        f"seeds/y.txt: error[OUT002]: unsafe output path {path!r}: {reason};"
        " fix: use a relative POSIX path inside the output folder, like 'kharkiv/index.html'"
    ]
    assert snapshot(folder.parent) == before


def test_write_files_refuses_duplicates_and_folders(folder: Path) -> None:
    (folder / "content/x.txt").mkdir(parents=True)
    before = snapshot(folder)
    with pytest.raises(BriefgenError) as caught:
        write_files([*ARTICLE, OutputFile("content/x.yaml", b"", "seeds/y.txt")], folder)
    assert [d.code for d in caught.value.diagnostics] == ["OUT001"]
    with pytest.raises(BriefgenError) as caught:
        write_files(ARTICLE, folder)
    assert [d.headline() for d in caught.value.diagnostics] == [
        f"seeds/x.txt: error[OUT002]: output path 'content/x.txt' is a folder in {folder}; "
        "fix: remove it or choose another path"
    ]
    assert snapshot(folder) == before


def test_write_files_needs_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_files(ARTICLE, tmp_path / "missing")
    assert os.listdir(tmp_path) == []
