"""Cold-build benchmark: briefgen on generated corpora, side by side with Hugo.

    python bench/build.py --gen PATH/gen_corpus.py --sizes 1000,10000 --runs 3 [--hugo HUGO]

``--gen`` is the corpus generator of the peer benchmark harness (it writes the same
articles in briefgen's format and in Hugo's). Each run deletes the output first;
the median wall time of the runs is reported, with the ratio to Hugo's when a Hugo
binary is given, measured in the same invocation so machine drift cancels out.
Corpora are written once under ``--work`` (default bench/out/, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus(gen: Path, work: Path, size: int, tools: str) -> Path:
    """Generate (once) the corpus of ``size`` articles; return its folder."""
    out = work / f"corpus-{size}"
    if not (out / "briefgen" / "site.yaml").exists():
        subprocess.run(
            [sys.executable, str(gen), "--n", str(size), "--out", str(out), "--only", tools],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


def timed(command: list[str], output: Path, cwd: Path) -> float:
    """Wall time of one cold run of ``command`` (its output folder deleted first)."""
    shutil.rmtree(output, ignore_errors=True)
    subprocess.run(["sync"], check=False)
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark and print one JSON line per tool and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gen", type=Path, required=True, help="the harness's gen_corpus.py")
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", help="a hugo binary, to report briefgen/Hugo ratios")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    tools = "briefgen,hugo" if args.hugo else "briefgen"
    for size in (int(s) for s in args.sizes.split(",")):
        root = corpus(args.gen, args.work, size, tools)
        site = root / "briefgen"
        runs: dict[str, list[float]] = {"briefgen": [], "hugo": []}
        for _ in range(args.runs):
            runs["briefgen"].append(
                timed([sys.executable, "-m", "briefgen", "build", "-q"], site / "build", site)
            )
            if args.hugo:
                hugo_site = root / "hugo"
                runs["hugo"].append(timed([args.hugo, "--quiet"], hugo_site / "public", hugo_site))
        medians = {tool: statistics.median(t) for tool, t in runs.items() if t}
        for tool, median in medians.items():
            line = {"tool": tool, "articles": size, "runs": args.runs, "median_s": round(median, 3)}
            if "hugo" in medians:
                line["ratio_to_hugo"] = round(median / medians["hugo"], 2)
            print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
