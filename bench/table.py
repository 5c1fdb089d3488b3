"""The benchmark's table, from the JSON lines of ``bench/run.py``: medians and ratios.

python bench/table.py WORK/results.jsonl      # WORK: the --work folder of bench/run.py
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def median(rows: list[dict], key: str) -> float:
    """The median of one measurement over runs."""
    return statistics.median(row[key] for row in rows)


def main() -> int:
    """Print the tables in Markdown."""
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[
            (row["kind"], row.get("tool"), row.get("n"), row.get("terms"), row.get("edit"))
        ].append(row)

    def get(
        kind: str, tool: str | None, n: int, key: str = "wall_s", **more: object
    ) -> float | None:
        found = groups.get((kind, tool, n, more.get("terms"), more.get("edit")))
        return median(found, key) if found else None

    print(
        "| cold build | articles | wall s | CPU s | CPU ms/article | peak MB: tree PSS, tree RSS, "
        "largest process | load | briefgen/tool (wall) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in sorted({row["n"] for row in rows if row["kind"] == "cold"}):
        ours = get("cold", "briefgen", n)
        for tool in ("briefgen", "briefgen+search", "hugo", "pelican", "mkdocs", "eleventy"):
            wall = get("cold", tool, n)
            if wall is None:
                continue
            cpu, rss = get("cold", tool, n, "cpu_s"), get("cold", tool, n, "rss_mb")
            found = groups[("cold", tool, n, None, None)]
            pss, tree = (max(r.get(k, 0) for r in found) for k in ("tree_pss_mb", "tree_rss_mb"))
            load = max(r.get("load", 0) for r in found)
            ratio = ""
            if ours and not tool.startswith("briefgen"):
                ratio = f"{ours / wall:.2f}x (CPU {get('cold', 'briefgen', n, 'cpu_s') / cpu:.2f}x)"
            spread = [r["wall_s"] for r in found]
            print(
                f"| {tool} | {n:,} | {wall:.2f} ({min(spread):.2f}-{max(spread):.2f}, "
                f"{len(found)} runs) | {cpu:.1f} | {1000 * cpu / n:.2f} | {pss:.0f}, {tree:.0f}, "
                f"{rss:.0f} | {load:.2f} | {ratio} |"
            )
    cached = sorted({row["n"] for row in rows if row["kind"] == "no-change"})
    for n in cached:
        cold = get("cache-cold", "briefgen", n)
        for kind in ("no-change", "one-changed"):
            wall = get(kind, "briefgen", n)
            print(
                f"\n{kind} build at {n:,} articles: {wall:.2f} s, {wall / cold:.2f}x the cold "
                f"build with the cache ({cold:.2f} s)"
            )
    small, large = get("glossary", None, 1000, terms=50), get("glossary", None, 1000, terms=5000)
    if small and large:
        print(
            f"\n5,000-term glossary: {large:.2f} s against {small:.2f} s with 50 terms: "
            f"{large / small:.2f}x (1,000 articles)"
        )
    for row in rows:
        if row["kind"] == "latency":
            print(
                f"\nserve at {row['n']:,} articles, {row['edit']} edit: median "
                f"{row['median_ms']:.0f} ms ({row['min_ms']:.0f}-{row['max_ms']:.0f}, "
                f"{row['edits']} edits)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
