"""`briefgen serve` end to end: a real process, real file events, real loopback sockets."""

from __future__ import annotations

import gc
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.errors import Diagnostic, Location
from briefgen.serve.command import origin
from briefgen.serve.devsite import DevSite, describe, preview_options
from briefgen.serve.heap import NEVER, YOUNG, serving
from briefgen.serve.routing import url_host
from tests.conftest import read_tree, write_tree
from tests.test_build import LINKED

REPO = Path(__file__).resolve().parent.parent
SITE_YAML = "title: Test Briefing\nbase_url: https://example.org/briefing/\n"
SNIPPET = re.compile(rb'<script type="application/json" id="briefgen-live">.*?</script>'
                     rb'<script src="[^"]+" defer></script>')  # fmt: skip
WAIT = 15.0  # seconds: a generous bound for a rebuild to show, never a sleep


@dataclass
class Server:
    """A running `briefgen serve` and what it printed."""

    process: subprocess.Popen[str]
    url: str
    lines: queue.Queue[str]
    log: list[str]

    def get(self, path: str) -> tuple[int, bytes]:
        """GET a page under the site's prefix."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def page(self, path: str) -> bytes:
        """A page's bytes without the injected reload snippet."""
        return SNIPPET.sub(b"", self.get(path)[1])

    def next_line(self, pattern: str) -> str:
        """The next log line matching ``pattern`` (blocking reads, bounded by WAIT in all)."""
        deadline = time.monotonic() + WAIT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no log line matching {pattern!r}; log: {self.log[-20:]}")
            if re.search(pattern, line):
                return line

    def until_served(
        self, stream: Iterator[dict[str, Any]], condition: Callable[[], bool], what: str
    ) -> None:
        """Check ``condition`` now and after each state the server publishes, until it holds.

        The server logs a rebuild just before it publishes the result, so a page may lag
        the log line; ``stream`` (opened before the change) announces every publish.
        """
        while not condition():
            try:
                next(stream)  # blocks until a publish; each read is bounded by WAIT
            except (StopIteration, OSError) as error:
                pytest.fail(f"no publish served {what}: {error!r}; log: {self.log[-20:]}")


@pytest.fixture
def serve_site(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `briefgen serve --port 0` on a site; stop it afterwards."""
    started: list[tuple[Server, threading.Thread]] = []

    def start(site: Path, *flags: str) -> Server:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "serve", "--site", str(site), "--port", "0",
             *flags],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        lines: queue.Queue[str] = queue.Queue()
        log: list[str] = []

        def pump() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                log.append(line.rstrip("\n"))
                lines.put(line.rstrip("\n"))

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        server = Server(process, "", lines, log)
        started.append((server, reader))
        found = server.next_line(r"serving .* at http://")
        server.url = re.search(r"(http://\S+)", found).group(1)  # type: ignore[union-attr]
        return server

    yield start
    for server, reader in started:
        server.process.terminate()
        server.process.wait(timeout=10)
        reader.join(timeout=10)  # the pipe ends with the process
        assert server.process.stderr is not None
        server.process.stderr.close()


def events(server: Server) -> Generator[dict[str, Any], None, None]:
    """The reload channel's events, as the browser receives them."""
    request = urllib.request.Request(server.url + "__briefgen/events")
    with urllib.request.urlopen(request, timeout=WAIT) as stream:
        for raw in stream:
            if raw.startswith(b"data: "):
                yield json.loads(raw[6:])


def edit(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite a file in place, as a plain editor save does."""
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_log_line_describes_the_change(tmp_path: Path) -> None:
    site = tmp_path
    assert describe(site, []) == "first build"
    assert describe(site, [site / "content/x.yaml"]) == "content/x.yaml changed"
    assert describe(site, [site / "b.md", site / "a.md"]) == "a.md and 1 more changed"


def test_dev_site_keeps_the_last_good_build(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    dev = DevSite(site, BuildOptions())
    log: list[str] = []
    first = dev.rebuild([], log.append)
    assert (first.epoch, first.diagnostics, first.prefix) == (1, (), "/briefing/")
    assert re.fullmatch(r"rebuilt 19 pages in \d+ ms: first build", log[-1])
    same = dev.rebuild([site / "content/summit.md"], log.append)
    assert same.epoch == 1  # nothing changed: no reload
    sidecar = site / "content/kharkiv.yaml"
    sidecar.write_text("date: 2022-13-45\n")
    broken = dev.rebuild([sidecar], log.append)
    assert broken.epoch == 1 and broken.files == first.files
    assert [d.headline() for d in broken.diagnostics] == [
        "content/kharkiv.yaml:1:7: error[SC004]: 'date' is not a date: '2022-13-45'; "
        "fix: write it as YYYY-MM-DD"
    ]
    assert log[-1] == "build failed: content/kharkiv.yaml changed; serving the last good build"
    sidecar.write_text("date: 2022-09-12\ntags: [ukraine]\n")
    mended = dev.rebuild([sidecar], log.append)
    assert (mended.epoch, mended.diagnostics) == (1, ())  # the same files as before it broke
    style = site / "static/style.css"
    style.parent.mkdir()
    style.write_text("p { color: red }\n")
    assert dev.rebuild([style], log.append).css_only is True
    assert dev.rebuild([site / "content/summit.md"], log.append).epoch == 2


def test_a_rebuild_logs_only_the_warnings_it_did_not_have_before(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    dev = DevSite(site, BuildOptions())
    log: list[str] = []
    dev.rebuild([], log.append)
    first = [line.split("\n")[0] for line in log[:-1]]
    assert first == [
        "content/beijing.yaml:1:1: warning[SC006]: beijing has no summary; fix: add "
        "'summary: ...': the front page, feed and search show it",
        "content/kharkiv.yaml:1:1: warning[SC006]: kharkiv has no summary; fix: add "
        "'summary: ...': the front page, feed and search show it",
    ]
    log.clear()
    edit(site / "content/summit.md", lambda t: t + "\nA closing line.\n")
    dev.rebuild([site / "content/summit.md"], log.append)
    assert len(log) == 1
    assert re.fullmatch(
        r"rebuilt 6 pages in \d+ ms: content/summit.md changed \(2 warnings as before\)", log[0]
    )
    log.clear()
    edit(site / "content/summit.yaml", lambda t: t.replace("summary: Xi and Putin *meet*.", ""))
    dev.rebuild([site / "content/summit.yaml"], log.append)
    assert [line.split("\n")[0] for line in log[:-1]] == [
        "content/summit.yaml:1:1: warning[SC006]: summit has no summary; fix: add "
        "'summary: ...': the front page, feed and search show it",
    ]
    assert log[-1].endswith("content/summit.yaml changed (2 warnings as before)")


def test_the_kept_build_is_frozen_and_its_cycles_collected_when_idle() -> None:
    class Node:
        other: object = None

    before = gc.get_threshold()
    with serving() as heap:
        assert gc.get_threshold()[2] == NEVER  # no full collection in a rebuild
        assert gc.get_threshold()[0] == YOUNG  # and fewer young ones
        cycle = Node()
        cycle.other = cycle
        gone = weakref.ref(cycle)
        heap.settle()
        assert gc.get_freeze_count() > 0
        del cycle
        gc.collect()
        assert gone() is not None  # frozen: out of the collector's reach
        heap.idle()
        assert gone() is None and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_served_site_equals_a_cold_build_after_edits(
    serve_site: Callable[..., Server], tmp_path: Path
) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    server = serve_site(site)
    port = int(server.url.split(":")[2].split("/")[0])
    with closing(events(server)) as stream:
        next(stream)  # the state before the edits
        edit(site / "content/kharkiv.txt", lambda t: t + "\nKupiansk followed.\n")
        server.next_line(r"rebuilt \d+ pages in \d+ ms: content/kharkiv.txt changed")
        edit(site / "content/glossary.yaml", lambda t: t + "Izium: A city in Kharkiv oblast.\n")
        server.next_line(r"rebuilt \d+ pages? in \d+ ms: content/glossary.yaml changed")
        edit(site / "content/summit.yaml", lambda t: t.replace("related: [beijing]", "related: []"))
        server.next_line(r"content/summit.yaml changed")
        (site / "content/new-one.md").write_text("# New\n\nIzium and the SCO.\n")
        (site / "content/new-one.yaml").write_text("date: 2022-10-01\ntags: [war]\n")
        server.next_line(r"rebuilt .*new-one")
        server.until_served(  # the article and its sidecar's tag (the 404 page has an <h1>)
            stream,
            lambda: server.get("new-one/")[0] == 200 and server.get("tags/war/")[0] == 200,
            "the new article",
        )
    options = preview_options(BuildOptions(origin=f"http://127.0.0.1:{port}"))
    cold = {f.path: f.data for f in make_files(site, options, State()).files}
    assert "pagefind/pagefind.js" in cold  # serve indexes its in-memory build
    for path, data in cold.items():
        url = path.removesuffix("index.html")
        served = server.page(url) if path.endswith(".html") else server.get(url)[1]
        assert served == data, path
    assert not (site / "build").exists()  # serve never writes the build


BREAKS: dict[str, tuple[str, Callable[[str], str], str]] = {
    "yaml": ("content/summit.yaml", lambda t: t + "tags: [unclosed\n", "YAML001"),
    "anchor": (
        "content/summit.yaml",
        lambda t: t.replace("counteroffensive in Kharkiv", "counteroffensive at Kharkiv"),
        "ANC001",
    ),
    "term": (
        "content/glossary.yaml",
        lambda t: t + "Kremlin:\n  definition: x\n  see: [Nowhere]\n",
        "TRM002",
    ),
    "template syntax": ("layouts/tag.html", lambda t: "{% if %}\n", "TPL001"),
    "undefined variable": ("layouts/tag.html", lambda t: "{{ tag.nmae }}\n", "TPL002"),
}


@pytest.mark.parametrize("kind", list(BREAKS))
def test_break_then_fix_shows_then_clears_the_errors(
    serve_site: Callable[..., Server], tmp_path: Path, kind: str
) -> None:
    rel, breaking, code = BREAKS[kind]
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    original = path.read_text(encoding="utf-8") if path.exists() else None
    server = serve_site(site)
    stream = events(server)
    assert next(stream)["diagnostics"] == []
    path.write_text(breaking(original or ""), encoding="utf-8")
    failed = next(stream)
    codes = [d["code"] for d in failed["diagnostics"]]
    assert code in codes, failed
    first = failed["diagnostics"][0]
    assert first["headline"].startswith(f"{rel}:")
    assert server.get("")[0] == 200  # the last good build is still served
    if original is None:
        path.unlink()
    else:
        path.write_text(original, encoding="utf-8")
    assert next(stream)["diagnostics"] == []
    assert server.process.poll() is None  # never exits on a user error


def test_burst_of_300_files_gives_one_rebuild(
    serve_site: Callable[..., Server], tmp_path: Path
) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    server = serve_site(site)
    with closing(events(server)) as stream:
        next(stream)  # the state before the burst
        for n in range(150):  # like a git checkout: many files, as fast as the disk allows
            (site / f"content/burst-{n:03}.md").write_text(f"# Burst {n}\n\nText {n}.\n")
            (site / f"content/burst-{n:03}.yaml").write_text("date: 2022-10-01\n")
        line = server.next_line(r"rebuilt|build failed")
        assert re.fullmatch(
            r"rebuilt \d+ pages in \d+ ms: content/burst-000.md and 299 more changed "
            r"\(2 warnings as before\)",
            line,
        ), line
        server.until_served(
            stream, lambda: server.get("burst-149/")[0] == 200, "the last burst article"
        )
    quiet = [ln for ln in server.log if ln.startswith(("rebuilt", "build failed"))]
    assert len(quiet) == 2, quiet  # the first build and one rebuild


def test_port_in_use_names_a_free_one(tmp_path: Path) -> None:
    import socket

    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "briefgen", "serve", "--site", str(site), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)}, check=False,
        )  # fmt: skip
    assert result.returncode == 2
    assert re.fullmatch(
        rf"briefgen serve: error\[SRV001\]: port {port} is in use; "
        r"fix: try --port \d+, or --port 0 for any free port\n",
        result.stderr,
    )


@pytest.mark.parametrize(
    ("bind", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),
        ("::", "http://[::1]:8000"),
        ("::1", "http://[::1]:8000"),
        ("192.168.1.5", "http://192.168.1.5:8000"),
    ],
)
def test_the_preview_origin_is_the_address_the_server_prints(bind: str, expected: str) -> None:
    assert origin(bind, 8000) == expected
    assert expected == f"http://{url_host(bind)}:8000"


def test_internal_errors_become_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    dev = DevSite(site, BuildOptions())
    dev.rebuild([], lambda line: None)

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("briefgen.serve.devsite.make_files", boom)
    snapshot = dev.rebuild([], lambda line: None)
    assert snapshot.diagnostics == (
        Diagnostic(Location("briefgen"), "INTERNAL", "internal error: RuntimeError: boom",
                   "please report it with the traceback printed in the terminal"),
    )  # fmt: skip
    assert snapshot.files and snapshot.epoch == 1


def test_serve_never_touches_the_build_folder(
    serve_site: Callable[..., Server], tmp_path: Path
) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    build_dir = write_tree(site / "build", {"keep.txt": "mine\n"})
    server = serve_site(site)
    (site / "build" / "other.txt").write_text("written while serving\n")  # not a site change
    edit(site / "content/kharkiv.txt", lambda t: t + "\nMore.\n")
    server.next_line(r"content/kharkiv.txt changed")
    assert read_tree(build_dir) == {"keep.txt": b"mine\n", "other.txt": b"written while serving\n"}
    assert not any("build/" in line for line in server.log)


@pytest.mark.browser
def test_browser_follows_edits_and_shows_errors_in_the_page(
    serve_site: Callable[..., Server], tmp_path: Path, browser: Any
) -> None:
    from playwright.sync_api import expect

    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    server = serve_site(site)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.url + "kharkiv/")
    page.evaluate("window.__kept = true")
    edit(site / "content/kharkiv.txt", lambda t: t + "\nKupiansk followed within days.\n")
    expect(page.locator(".article-body")).to_contain_text(
        "Kupiansk followed within days.", timeout=WAIT * 1000
    )  # no manual reload: the page reloaded itself
    sidecar = site / "content/kharkiv.yaml"
    good = sidecar.read_text()
    sidecar.write_text(good.replace("date:", "dat:"))
    overlay = page.locator("briefgen-overlay [role=alert]")
    expect(overlay).to_contain_text(
        "content/kharkiv.yaml:1:1: error[SC001]: unknown key 'dat' in sidecar",
        timeout=WAIT * 1000,
    )
    sidecar.write_text(good)
    expect(page.locator("briefgen-overlay")).to_have_count(0, timeout=WAIT * 1000)
    assert errors == []
    page.close()


def test_bind_warning_and_plain_pages_without_reload(
    serve_site: Callable[..., Server], tmp_path: Path
) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    server = serve_site(site, "--bind", "0.0.0.0", "--no-reload")
    assert server.log[0] == (
        "warning: serving on 0.0.0.0: other machines on the network can reach this preview; "
        "use the default 127.0.0.1 unless you mean it"
    )
    status, body = server.get("kharkiv/")
    assert status == 200 and b"__briefgen" not in body
    assert server.get("__briefgen/events")[0] == 404
