"""The results table: every figure of a server beside the reference's, as a ratio to it."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return ""
    return f"{value / reference:.2f}x"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


COLUMNS = (
    ("scenario", 13),
    ("target", 16),
    ("N", 5),
    ("conn", 5),
    ("deliv/s", 9),
    ("xref", 6),
    ("p50ms", 7),
    ("p99ms", 8),
    ("xref", 6),
    ("all-p99", 8),
    ("lost", 5),
    ("dup", 4),
    ("reord", 5),
    ("closed", 7),
    ("err", 5),
    ("pres/c/s", 8),
    ("srvCPU", 6),
    ("us/deliv", 8),
    ("xref", 6),
    ("RSS MB", 7),
    ("cliCPU", 6),
    ("steal%", 6),
)


def _round_key(row: dict[str, Any]) -> tuple[str, int]:
    return row["scenario"], row.get("round", 1)


def _references(rows: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Each scenario's reference row of the same round: a target is compared with the bare
    server measured just before it, not with one of another round."""
    return {_round_key(row): row for row in rows if row["target"] == "reference"}


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["  ".join(name.rjust(width) for name, width in COLUMNS)]
    references = _references(rows)
    for row in rows:
        if "error" in row:
            lines.append(f"{row['scenario']:>13}  {row['target']:>16}  failed: {row['error']}")
            continue
        ref = references.get(_round_key(row), {})
        ref_latency = ref.get("latency_ms", {})
        cells = [
            row["scenario"],
            row["target"],
            str(row["participants"]),
            str(row["connected"]),
            _fmt(row["deliveries_per_s"], 0),
            _ratio(row["deliveries_per_s"], ref.get("deliveries_per_s")),
            _fmt(row["latency_ms"]["p50"]),
            _fmt(row["latency_ms"]["p99"]),
            _ratio(row["latency_ms"]["p99"], ref_latency.get("p99")),
            _fmt(row["everyone_p99_ms"]),
            str(row["lost"]),
            str(row["duplicated"]),
            str(row["reordered"]),
            str(sum(row["closed_by_server"].values())),
            str(sum(row["errors"].values())),
            _fmt(row["presence_per_client_s"]),
            _fmt(row["server_cpu_util"], 2),
            _fmt(row["cpu_us_per_delivery"]),
            _ratio(row["cpu_us_per_delivery"], ref.get("cpu_us_per_delivery")),
            _fmt(sum(row["peak_rss_mb"].values()), 0),
            _fmt(row["client_cpu_util"], 2),
            _fmt(row.get("machine_steal_pct")),
        ]
        lines.append("  ".join(c.rjust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True)))
    for row in rows:
        if "error" not in row and not everyone_connected(row):
            reason = ", ".join(row.get("connect_errors") or ()) or "no connection error reported"
            lines.append(
                f"{row['scenario']:>13}  {row['target']:>16}  only {row['connected']} of "
                f"{row['participants']} connected ({reason}): not a measure of the scenario"
            )
    return "\n".join(lines)


def everyone_connected(row: dict[str, Any]) -> bool:
    """Whether every participant of the run had a socket: a run short of them measures less
    load than its scenario's (a run with nobody reports no latency at all)."""
    return "error" not in row and row["connected"] == row["participants"]


def rounds_table(rows: list[dict[str, Any]]) -> str:
    """With --repeat: a p99 over a few hundred edits is set by its slowest few, so one round's
    ratio moves by tens of percent; each round's ratio to its own reference, and their median."""
    references = _references(rows)
    ratios: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        ref = references.get(_round_key(row))
        if row["target"] == "reference" or not ref:
            continue
        if not (everyone_connected(row) and everyone_connected(ref)):
            continue  # its p99 is not the scenario's (or there is none)
        ratio = row["latency_ms"]["p99"] / ref["latency_ms"]["p99"]
        ratios.setdefault((row["scenario"], row["target"]), []).append(ratio)
    lines = [f"{'scenario':>13}  {'target':>16}  {'p99 xref median':>15}  each round"]
    for (scenario, target), values in ratios.items():
        each = " ".join(f"{value:.2f}x" for value in values)
        lines.append(f"{scenario:>13}  {target:>16}  {statistics.median(values):>14.2f}x  {each}")
    return "\n".join(lines)


def db_table(results: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'database':>10}  {'apply ops/s':>11}  {'catch-up ms':>11}  snapshot ms (cards)"]
    for name, data in results.items():
        if "error" in data:
            lines.append(f"{name:>10}  failed: {data['error']}")
            continue
        snaps = ", ".join(f"{v['ms']} ({k})" for k, v in data["snapshot"].items())
        catch = f"{data['catch_up']['ms']} ({data['catch_up']['ops']} ops)"
        lines.append(f"{name:>10}  {data['op_apply']['ops_per_s']:>11}  {catch:>11}  {snaps}")
    return "\n".join(lines)


def browser_table(results: dict[str, Any]) -> str:
    if "error" in results:
        return f"browser: failed: {results['error']}"
    lines = [f"{'cards':>6}  {'first render ms':>15}  remote op shown ms (p50 / p95 / max)"]
    for data in results.values():
        if "error" in data:
            lines.append(f"{data['cards']:>6}  failed: {data['error'][:100]}")
            continue
        op = data["remote_op_ms"]
        lines.append(
            f"{data['cards']:>6}  {data['first_render_ms']:>15}  "
            f"{op['p50']} / {op['p95']} / {op['max']} ({op['ops']} ops)"
        )
    return "\n".join(lines)


def profile_summary(rows: list[dict[str, Any]], count: int = 10) -> str:
    lines = []
    for row in rows:
        for process, profile in row.get("profile", {}).items():
            lines.append(f"{row['scenario']} on {row['target']} ({process}), self time:")
            lines.extend(f"  {share:6.1%}  {frame}" for share, frame in profile["top_self"][:count])
    return "\n".join(lines)


def write_json(path: Path | None, payload: dict[str, Any]) -> Path:
    if path is None:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / time.strftime("bench-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps(payload, indent=2))
    return path
