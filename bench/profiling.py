"""Sampling profiles of the server processes while the load runs (py-spy, from the dev
extras): a collapsed-stack file per process, and the functions with the most self time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))


def start(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    # --nonblocking: sampling must not pause the server it measures.
    return subprocess.Popen(
        [
            *(PY_SPY, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds)))),
            *("--rate", "200", "--format", "raw", "--nonblocking", "--output", str(output)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def top_self_time(collapsed: Path, count: int = 15) -> list[tuple[float, str]]:
    """The leaf frames that held the most samples, as (share of samples, frame)."""
    leaves: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        leaves[leaf] += int(samples)
        total += int(samples)
    return [(round(n / total, 3), leaf) for leaf, n in leaves.most_common(count)] if total else []


def top_inclusive(collapsed: Path, needle: str, count: int = 15) -> list[tuple[float, str]]:
    """Frames whose name contains `needle`, by the share of samples they appear in."""
    frames: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        total += int(samples)
        for frame in set(stack.split(";")):
            if needle in frame:
                frames[frame] += int(samples)
    return [(round(n / total, 3), f) for f, n in frames.most_common(count)] if total else []
