"""The practice history on its two backends: the same stores on a SQLite file and on a PostgreSQL database.

Starts its own PostgreSQL server (Debian's binaries, as the tests do; on this machine, so no network time),
then runs the same work on both: save an attempt (with its graded items and words), list the history,
read one attempt with its marks, and the progress view's read of every outcome. Prints JSON with p50/p95
per operation and backend, and each PostgreSQL figure as a ratio to SQLite's in the same run.

    python benchmarks/history_backends.py [--attempts 300]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401

from voicemail_coach.core.people import RepProfile
from voicemail_coach.storage.db import connect
from voicemail_coach.storage.repository import Repository


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def workload(repo: Repository, attempts: int) -> dict[str, list[float]]:
    rep = repo.save_rep(RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390"))
    items = [{"id": f"item_{n}", "passed": n % 3 != 0, "evidence": "call me at 555-214-3390", "start": 1.0 * n}
             for n in range(10)]
    words = [{"text": f"word{n}", "start": n * 0.3, "end": n * 0.3 + 0.25, "probability": 0.9} for n in range(90)]
    result = {"score": 80, "transcript": " ".join(w["text"] for w in words), "items": items,
              "metrics": {"duration_s": 27.0}}
    times: dict[str, list[float]] = {"save_attempt": [], "history_list": [], "read_attempt": [], "progress_read": []}
    ids: list[int] = []
    for n in range(attempts):
        times["save_attempt"].append(timed(lambda: ids.append(
            repo.add_attempt(rep.id, "hotel-uniforms", result, words, None, engine="moonshine"))))
        if n % 3 == 0:
            repo.add_mark(ids[-1], "item_0", True, "Dave")
        if n % 10 == 9:
            times["history_list"].append(timed(lambda: repo.rows()))
            times["read_attempt"].append(timed(lambda: (repo.attempt(ids[-5]), repo.labels(ids[-5]))))
            times["progress_read"].append(timed(lambda: repo.item_outcomes()))
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--attempts", type=int, default=300)
    args = ap.parse_args()
    from tests.support import postgres

    server = postgres.start_server()
    try:
        folder = Path(tempfile.mkdtemp(prefix="vc-history-bench-"))
        targets = {"sqlite": folder / "history.sqlite3", "postgresql": server.create_database("history_bench")}
        figures = {}
        for backend, target in targets.items():
            repo = Repository(connect(target), folder / "recordings")
            times = workload(repo, args.attempts)
            repo.conn.close()
            figures[backend] = {op: {"n": len(v), "p50_s": round(pct(v, 0.5), 5), "p95_s": round(pct(v, 0.95), 5)}
                                for op, v in times.items()}
        ratios = {op: {q: round(figures["postgresql"][op][q] / max(figures["sqlite"][op][q], 1e-9), 2)
                       for q in ("p50_s", "p95_s")} for op in figures["sqlite"]}
        print(json.dumps({"attempts": args.attempts, "server": "PostgreSQL on this machine (127.0.0.1)",
                          "backends": figures, "postgresql_over_sqlite": ratios}, indent=2))
    finally:
        postgres.remove(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
