"""Edit-to-updated-page latency of `briefgen serve`.

    python bench/latency.py --site .                       # the demo site
    python bench/latency.py --gen PATH/gen_corpus.py --sizes 1000,10000

Starts `briefgen serve --port 0` on a copy of the site, then, for each of --edits
edits, appends a unique sentence to an article, polls that article's page over HTTP
until it shows the sentence, and records the time from the write to the first
response that has it. Prints one JSON line per site with the median and spread.
"""

from __future__ import annotations

import argparse
import json
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent


def start_server(site: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the dev server on a free port; return it and its URL once it serves.

    Its log is read to the end by a thread: a server whose log pipe is full would wait
    for the reader (a site with thousands of warnings logs them at the first build).
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--site", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    found: queue.Queue[str | None] = queue.Queue()

    def read(stream: IO[str]) -> None:
        for line in stream:
            serving = re.search(r"serving .* at (http://\S+)", line)
            if serving:
                found.put(serving.group(1))
        found.put(None)

    threading.Thread(target=read, args=(process.stderr,), daemon=True).start()
    try:
        url = found.get(timeout=600)
    except queue.Empty:
        url = None
    if url is None:
        process.kill()
        raise RuntimeError("the server did not start")
    return process, url


def fetch(url: str) -> bytes:
    """One GET, as a browser would after a reload."""
    with urllib.request.urlopen(url, timeout=30) as response:
        data: bytes = response.read()
        return data


def edited(text: str, marker: str, edit: str) -> str:
    """The file's text with ``marker`` in it: a sentence appended to the body, or the
    sidecar's title replaced."""
    if edit == "body":
        return text + f"\n{marker}\n"
    lines = [line for line in text.splitlines() if not line.startswith("title:")]
    return "\n".join([f"title: {json.dumps(marker)}", *lines]) + "\n"


def measure(site: Path, article: Path, slug: str, edits: int, edit: str = "body") -> list[float]:
    """Latencies in ms of ``edits`` edits of ``article`` (body) or of its sidecar (title)."""
    if edit == "title":
        article = article.with_suffix(".yaml")
    process, url = start_server(site)
    try:
        page = f"{url}{slug}/"
        fetch(page)
        latencies = []
        for n in range(edits):
            marker = f"Latency probe {n} {time.time_ns()}."
            text = article.read_text(encoding="utf-8")
            started = time.perf_counter()
            article.write_text(edited(text, marker, edit), encoding="utf-8")
            deadline = started + 60
            while marker.encode() not in fetch(page):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"edit {n} never showed up")
                time.sleep(0.002)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.2)  # let the watcher settle, as between two real saves
        return latencies
    finally:
        process.terminate()
        process.wait(timeout=10)


def first_article(site: Path) -> tuple[Path, str]:
    """An article of the site (the first by name) and its slug."""
    for suffix in ("*.md", "*.txt"):
        found = sorted((site / "content").rglob(suffix))
        if found:
            return found[0], found[0].stem
    raise RuntimeError(f"no article in {site}")


def report(name: str, latencies: list[float]) -> None:
    """One JSON line: median and spread in ms."""
    print(
        json.dumps(
            {
                "site": name,
                "edits": len(latencies),
                "median_ms": round(statistics.median(latencies), 1),
                "min_ms": round(min(latencies), 1),
                "max_ms": round(max(latencies), 1),
            }
        ),
        flush=True,
    )


def main() -> int:
    """Measure the demo site and/or generated corpora."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site to measure (copied first)")
    parser.add_argument("--gen", type=Path, help="the harness's gen_corpus.py")
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--edit", choices=("body", "title"), default="body")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    sites: list[tuple[str, Path]] = []
    if args.site:
        sites.append((args.site.resolve().name or "site", args.site))
    if args.gen:
        for size in args.sizes.split(","):
            corpus = args.work / f"corpus-{size}"
            if not (corpus / "briefgen" / "site.yaml").exists():
                subprocess.run(
                    [sys.executable, str(args.gen), "--n", size, "--out", str(corpus),
                     "--only", "briefgen"],
                    check=True, stdout=subprocess.DEVNULL,
                )  # fmt: skip
            sites.append((f"{size} articles", corpus / "briefgen"))
    for name, source in sites:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            site.mkdir()
            shutil.copy(source / "site.yaml", site)
            for part in ("content", "layouts", "static", "themes"):
                if (source / part).is_dir():
                    shutil.copytree(source / part, site / part)
            article, slug = first_article(site)
            report(name, measure(site, article, slug, args.edits, args.edit))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
