"""The board in a real browser at size: time to first render of a map of 1k (5k) cards, and
time for a remote op to show on it.

    python -m bench.browser --cards 1000,5000 --ops 30    → JSON on stdout

Starts one Daphne on the embedded defaults (bench.cluster), seeds a board with the cards and
two participants, opens it in Debian's Chromium through Playwright as the first, and sends
`card.update`s over a WebSocket as the second. The page records when each new text appears
in its DOM (a MutationObserver), so the figure is socket -> server -> fan-out -> store ->
React render, measured on one clock (the machine's).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.cluster import REPO, Cluster, ClusterConfig

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

# Records, on the machine's clock, when a text first shows in the board's DOM.
WATCH_SCRIPT = """
window.__seen = {};
window.__wanted = [];
new MutationObserver((records) => {
  if (!window.__wanted.length) return;
  const now = performance.timeOrigin + performance.now();
  for (const record of records) {
    // Only the nodes that changed: reading the whole page's text would lay out every card
    // on each mutation and measure the benchmark instead of the board.
    const nodes = record.type === "characterData"
      ? [record.target]
      : [record.target, ...record.addedNodes];
    for (const node of nodes) {
      const text = node.textContent || "";
      for (const wanted of window.__wanted) {
        if (!(wanted in window.__seen) && text.includes(wanted)) window.__seen[wanted] = now;
      }
    }
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def _seed(cluster: Cluster, cards: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--participants=2", "--editors=2", f"--cards={cards}"],
        env=cluster.env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(output.stdout)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _remote_edits(
    url: str, origin: str, cookie: str, card_id: str, ops: int, page: Any
) -> list[float]:
    """Send `ops` edits one after the other; each waits until the page has shown it."""
    latencies: list[float] = []
    async with connect(url, additional_headers={"Cookie": cookie}, origin=origin) as socket:
        welcome = json.loads(await socket.recv())
        assert welcome["type"] == "welcome", welcome
        for index in range(ops):
            text = f"remote edit {index} {uuid.uuid4().hex[:8]}"
            await page.evaluate("text => { window.__wanted = [text]; }", text)
            sent = time.time() * 1000
            await socket.send(
                json.dumps(
                    {
                        "type": "op",
                        "id": str(uuid.uuid4()),
                        "op": "card.update",
                        "args": {"id": card_id, "text": text},
                    }
                )
            )
            await page.wait_for_function("text => text in window.__seen", arg=text, timeout=30_000)
            shown = await page.evaluate("text => window.__seen[text]", text)
            latencies.append(shown - sent)
    return latencies


async def _measure_one(
    cluster: Cluster, seeded: dict[str, Any], cards: int, ops: int, browser: Any
) -> dict[str, Any]:
    board_id = seeded["board_id"]
    viewer, editor = seeded["participants"]
    base = cluster.web_urls[0]
    name, _, value = viewer["cookie"].partition("=")
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    await context.add_cookies([{"name": name, "value": value, "url": base}])
    page = await context.new_page()
    await page.add_init_script(WATCH_SCRIPT)
    total = cards + 2  # the two participants' own cards
    await page.goto(f"{base}/boards/{board_id}/", wait_until="commit")
    await page.wait_for_function(
        "n => document.querySelectorAll('[data-card-id]').length >= n",
        arg=total,
        timeout=300_000,
    )
    first_render_ms = await page.evaluate("performance.now()")
    rendered = await page.evaluate("document.querySelectorAll('[data-card-id]').length")
    host = base.removeprefix("http://")
    latencies = await _remote_edits(
        f"ws://{host}/ws/boards/{board_id}/", base, editor["cookie"], editor["card_id"], ops, page
    )
    await context.close()
    return {
        "cards": rendered,
        "first_render_ms": round(first_render_ms, 1),
        "remote_op_ms": {
            "ops": len(latencies),
            "p50": round(statistics.median(latencies), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
            "max": round(max(latencies), 1),
        },
    }


async def measure(cluster: Cluster, boards: dict[int, dict[str, Any]], ops: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    results: dict[str, Any] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        for count, seeded in boards.items():
            try:
                results[str(count)] = await _measure_one(cluster, seeded, count, ops, browser)
            except Exception as error:  # one size failing must not hide the others' figures
                results[str(count)] = {"cards": count, "error": f"{type(error).__name__}: {error}"}
        await browser.close()
    return results


def run(card_counts: list[int], ops: int) -> dict[str, Any]:
    if not CHROMIUM.exists():
        return {"error": f"{CHROMIUM} is missing (apt-get install -y chromium)"}
    config = ClusterConfig(web=1, database="sqlite", redis=False, collectstatic=True)
    with Cluster(config) as cluster:
        boards = {count: _seed(cluster, count) for count in card_counts}
        return asyncio.run(measure(cluster, boards, ops))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", default="1000,5000")
    parser.add_argument("--ops", type=int, default=30)
    args = parser.parse_args()
    counts = [int(n) for n in args.cards.split(",") if n]
    print(json.dumps(run(counts, args.ops)))


if __name__ == "__main__":
    main()
