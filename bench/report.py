"""The machine the figures were taken on, and the summary tables (Markdown, ready to paste)."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
from dataclasses import dataclass, field

import psycopg


def machine(pg_conninfo: str) -> dict[str, str]:
    """nproc, memory, CPU model, PostgreSQL, Python, and the load (other work on the machine)."""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    try:
        with psycopg.connect(pg_conninfo, connect_timeout=3) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
            pg += " (shared_buffers " + conn.execute("SHOW shared_buffers").fetchone()[0]
            pg += ", synchronous_commit " + conn.execute("SHOW synchronous_commit").fetchone()[0] + ")"
    except psycopg.Error as exc:
        pg = f"unreachable ({exc.__class__.__name__})"
    return {
        "CPU": f"{cpu}, nproc {os.cpu_count()}",
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "PostgreSQL": pg,
        "SQLite": sqlite3.sqlite_version,
        "Python": f"{platform.python_version()} ({platform.platform()})",
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


@dataclass
class Series:
    """Repeated runs of one measure (each run already a median where it is a latency)."""

    unit: str
    runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def value(self) -> float:
        return statistics.median(self.runs)

    def cell(self) -> str:
        if not self.runs:
            return "—"
        fmt = "{:.0f}" if self.value >= 100 else "{:.1f}"
        text = f"{fmt.format(self.value)} {self.unit}"
        if len(self.runs) > 1:
            text += f" ({fmt.format(min(self.runs))}–{fmt.format(max(self.runs))})"
        return text + (f" {self.note}" if self.note else "")


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def summary(results: dict[str, dict[str, Series]], labels: list[tuple[str, str]]) -> str:
    """One row per measure, one column per backend."""
    backends = list(results)
    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    rows = [[label] + [results[b][key].cell() if key in results[b] else "—" for b in backends]
            for key, label in labels if any(key in results[b] for b in backends)]
    return table(["measure (median of runs, min–max)"] + [names[b] for b in backends], rows)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")
