"""Lighthouse on the demo: every category's score, performance included.

    python bench/lighthouse.py [--runs 3] [--tools .ci/cache/node_modules]

Builds the demo under /briefing/, serves it on loopback and runs Lighthouse (from npm,
installed by .ci/run) with the system's Chromium on the front page and an article.
The tests assert accessibility, best practices and SEO; performance depends on the
machine, so it is reported here, the median of the runs, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.browser import CHROMIUM_ARGS, served_demo  # noqa: E402

PAGES = ("", "putin-xi-samarkand/")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run(tools: Path, url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run: each category's score, 0-100."""
    chromium = os.environ.get("BRIEFGEN_CHROMIUM") or shutil.which("chromium") or "chromium"
    subprocess.run(
        ["node", str(tools / "lighthouse" / "cli" / "index.js"), url, "--quiet",
         "--output=json", f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS])],
        env={**os.environ, "CHROME_PATH": chromium}, check=True, timeout=300,
    )  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    return {key: report["categories"][key]["score"] * 100 for key in CATEGORIES}


def main() -> int:
    """Report the median scores of each page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", type=Path, default=REPO / ".ci" / "cache" / "node_modules")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp, served_demo(Path(temp)) as demo:
        for path in PAGES:
            runs = [
                run(args.tools, demo + path, Path(temp) / "report.json") for _ in range(args.runs)
            ]
            medians = {key: statistics.median(r[key] for r in runs) for key in CATEGORIES}
            line = ", ".join(f"{key} {value:.0f}" for key, value in medians.items())
            print(f"/{path:<22} {line}  (median of {args.runs})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
