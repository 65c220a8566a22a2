"""Benchmark: the web UI's lineage page of a 2,000-step chain, rendered in headless Chromium.

1. A store holds one chain of ``--chain`` executions (one input, one output artifact each:
   ``2 * chain + 1`` nodes), built as ``benchmarks/store_scale.py`` builds its chains.
2. The server (``datajourney.server.running``) serves it on 127.0.0.1; Debian's chromium,
   driven by playwright, opens ``/lineage/artifact/<last>`` with depth 3 (the page's default),
   and with ``depth=all`` (the whole chain fetched: the page collapses it and draws a few
   nodes), then shows more of the collapsed chain ten times.
3. Reported per case: the time from navigation to the drawn graph (the page marks
   ``data-lineage-ready`` once its SVG is in the DOM), how much of it the server takes to
   answer the page (the lineage query and the graph's JSON inside the HTML), the page script's
   own layout-and-draw time, the nodes loaded and drawn. Goal: under 2 s for the whole chain.

Results go to ``benchmarks/results/ui_lineage.md``; ``--quick`` (a 200-step chain) only prints.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from store_scale import build  # noqa: E402

from datajourney.server.running import running  # noqa: E402


def chromium() -> str:
    found = os.environ.get("DATAJOURNEY_CHROMIUM") or shutil.which("chromium")
    if not found:
        sys.exit("ui_lineage: no chromium binary (apt-get install chromium)")
    return found


def open_page(browser, url: str) -> dict:
    """Open ``url`` in a fresh page; the seconds until the graph is drawn and what it shows."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("body[data-lineage-ready]", timeout=60_000)
    seconds = time.perf_counter() - started
    shown = page.eval_on_selector_all("#lineage-svg .node", "e => e.length")
    result = {
        "seconds": seconds,
        "script_ms": page.evaluate("window.djLineage.renderMs"),
        "loaded": page.evaluate("window.djLineage.state.nodes.size"),
        "drawn": shown,
        "errors": errors,
        "page": page,
        "context": context,
    }
    return result


def reveal(found: dict, times: int) -> float:
    """Click the collapsed chain ``times`` times; seconds per click (mean)."""
    page = found["page"]
    started = time.perf_counter()
    for _ in range(times):
        before = page.eval_on_selector_all("#lineage-svg .node", "e => e.length")
        page.click("#lineage-svg .node.chain")
        page.wait_for_function(f"document.querySelectorAll('#lineage-svg .node').length > {before}")
    return (time.perf_counter() - started) / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chain", type=int, default=2_000, help="steps in the chain")
    parser.add_argument("--repeats", type=int, default=5, help="page loads per case")
    parser.add_argument("--quick", action="store_true", help="a 200-step chain, print only")
    args = parser.parse_args()
    chain = 200 if args.quick else args.chain

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chain.sqlite"
        started = time.perf_counter()
        build(path, chain + 1, chain)
        print(f"built a {chain}-step chain in {time.perf_counter() - started:.1f} s")
        rows = []
        with running(f"sqlite:///{path}", read_only=True) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
            newest = f"{base}/artifacts.json?order_by=id&desc=true&limit=1"
            with urllib.request.urlopen(newest) as answer:  # the chain's last artifact
                focus = json.load(answer)["items"][0]["id"]
            cases = [
                ("depth 3 (the page's default)", f"/lineage/artifact/{focus}"),
                ("whole chain (depth=all)", f"/lineage/artifact/{focus}?depth=all"),
            ]
            for name, url in cases:
                served = []
                for _ in range(args.repeats):  # the server alone: the HTML page, read whole
                    started = time.perf_counter()
                    with urllib.request.urlopen(base + url) as answer:
                        size = len(answer.read())
                    served.append(time.perf_counter() - started)
                runs = []
                for _ in range(args.repeats):
                    found = open_page(browser, base + url)
                    if found["errors"]:
                        sys.exit(f"page errors on {url}: {found['errors']}")
                    runs.append(found)
                    if len(runs) < args.repeats:  # the last one stays open for the clicks
                        found["context"].close()
                last_run = runs[-1]
                per_click = reveal(last_run, 10) if "all" in url else None
                last_run["context"].close()
                seconds = [r["seconds"] for r in runs]
                rows.append(
                    {
                        "case": name,
                        "median_s": statistics.median(seconds),
                        "max_s": max(seconds),
                        "script_ms": statistics.median(r["script_ms"] for r in runs),
                        "loaded": last_run["loaded"],
                        "drawn": last_run["drawn"],
                        "per_click_s": per_click,
                        "server_s": statistics.median(served),
                        "page_kb": size / 1024,
                    }
                )
            browser.close()
    lines = [
        "| case | nodes loaded | nodes drawn | navigation to drawn graph, median (max) | "
        "the server's answer alone (page size) | layout + draw in the page | "
        "show more of the chain, per click |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        click = f"{r['per_click_s'] * 1000:.0f} ms" if r["per_click_s"] is not None else ""
        lines.append(
            f"| {r['case']} | {r['loaded']:,} | {r['drawn']} | {r['median_s']:.2f} s "
            f"({r['max_s']:.2f} s) | {r['server_s']:.2f} s ({r['page_kb']:,.0f} KiB) | "
            f"{r['script_ms']:.0f} ms | {click} |"
        )
    table = "\n".join(lines)
    print(table)
    whole = next(r for r in rows if "all" in r["case"])
    verdict = "met" if whole["max_s"] < 2.0 else "NOT met"
    print(f"goal (whole chain under 2 s): {verdict}")
    if args.quick:
        return
    text = f"""# Web UI: the lineage page of a {chain:,}-step chain in headless Chromium

{__doc__.split(chr(10), 1)[1].strip()}

Machine: {platform.platform()}, {os.cpu_count()} CPUs; browser: Debian's chromium, headless.
Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {args.repeats} page loads
per case (each in a fresh browser context, the server warm).

{table}

Goal: the whole chain drawn in under 2 s: **{verdict}** (worst of {args.repeats}:
{whole["max_s"]:.2f} s). The page never draws the whole chain: the pass-through run between the
chain's ends is one "more steps" node, each click shows eight more nodes at each end, and at
most 300 nodes are drawn at once.
"""
    out = HERE / "results" / "ui_lineage.md"
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
