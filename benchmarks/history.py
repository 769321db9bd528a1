"""History at scale: 10,000 attempts across 30 reps in a real SQLite file, the real window offscreen.

Measures: History tab ready (rows fetched, model filled, table painted), a rep filter and a transcript search
applied, four attempts opened side by side, and a 30-rep session report exported as PDF and CSV.
Each figure is the median of several runs; the ratio compares it with fetching the same rows from SQLite
alone in this process (the floor any view pays).

    .venv/bin/python benchmarks/history.py [--attempts 10000] [--reps 30] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (import paths)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _timed(fn, settle) -> float:
    t0 = time.perf_counter()
    fn()
    settle()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--attempts", type=int, default=10_000)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from tests.support.seed import seed_history
    from voicemail_coach.reports import write_report
    from voicemail_coach.reports.build import session_report
    from voicemail_coach.services import Services
    from voicemail_coach.storage.repository import HistoryFilter
    from voicemail_coach.storage.sessions import SessionStore
    from voicemail_coach.ui.main_window import MainWindow
    from voicemail_coach.ui.state import Tab
    from voicemail_coach.ui.style import STYLE

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    tmp = Path(tempfile.mkdtemp(prefix="vc-history-bench-"))
    services = Services(tmp)
    t0 = time.perf_counter()
    rep_ids = seed_history(services, args.attempts, args.reps)
    seed_s = time.perf_counter() - t0
    track = [s.id for s in services.scenarios.scenarios[:4]]
    session = SessionStore(services.repo).create("Benchmark cohort", rep_ids, track, 80, None)
    services.repo.conn.execute(
        f"UPDATE attempts SET session_id = ? WHERE scenario_id IN ({','.join('?' * len(track))})", (session.id, *track))

    window = MainWindow(services)
    window.resize(1280, 800)
    window.show()

    def settle():
        app.processEvents()
        window.repaint()  # the frame is drawn, not just scheduled

    settle()
    out: dict = {"attempts": args.attempts, "reps": args.reps, "runs": args.runs, "seed_s": round(seed_s, 2)}

    fetch = [_timed(lambda: services.repo.rows(HistoryFilter()), lambda: None) for _ in range(args.runs)]

    def open_history():
        window.tabs.setCurrentIndex(Tab.PRACTICE)
        settle()
        return _timed(lambda: window.tabs.setCurrentIndex(Tab.HISTORY), settle)

    first_open = open_history()
    opens = [open_history() for _ in range(args.runs)]
    assert window.history.model.rowCount() == args.attempts, window.history.model.rowCount()

    h = window.history
    rep_index = h.rep_filter.findData(rep_ids[3])

    def by_rep():
        h.rep_filter.setCurrentIndex(rep_index)  # applies at once

    def clear():
        h.clear_filters()
        settle()

    filters = []
    for _ in range(args.runs):
        filters.append(_timed(by_rep, settle))
        clear()
    searches = []
    for _ in range(args.runs):
        h.search.blockSignals(True)
        h.search.setText("payroll week")
        h.search.blockSignals(False)
        searches.append(_timed(window.history_tab.refresh, settle))
        found = h.model.rowCount()
        h.search.blockSignals(True)
        h.search.clear()
        h.search.blockSignals(False)
    clear()

    ids = [r.id for r in services.repo.rows()[:4]]
    compares = [_timed(lambda: window.history_tab.compare(ids), settle) for _ in range(args.runs)]
    assert len(window.compare_view.columns) == 4

    report = session_report(services, session)
    pdf, csv = tmp / "cohort.pdf", tmp / "cohort.csv"
    pdfs = [_timed(lambda: write_report(session_report(services, session), "pdf", pdf), lambda: None)
            for _ in range(3)]
    csvs = [_timed(lambda: write_report(session_report(services, session), "csv", csv), lambda: None)
            for _ in range(3)]

    med = statistics.median
    fetch_ms = med(fetch) * 1000
    out.update({
        "history_ready_ms": {"median": round(med(opens) * 1000, 1), "max": round(max(opens) * 1000, 1),
                             "first": round(first_open * 1000, 1), "target": 300},
        "sqlite_fetch_ms": round(fetch_ms, 1),
        "history_ready_vs_fetch": round(med(opens) * 1000 / fetch_ms, 2),
        "filter_by_rep_ms": {"median": round(med(filters) * 1000, 1), "max": round(max(filters) * 1000, 1)},
        "search_transcripts_ms": {"median": round(med(searches) * 1000, 1), "max": round(max(searches) * 1000, 1),
                                  "query": "payroll week", "rows_found": found},
        "side_by_side_4_ms": {"median": round(med(compares) * 1000, 1), "max": round(max(compares) * 1000, 1)},
        "session_report": {"reps": len(report.board.reps), "scenarios": len(track),
                           "best_attempts": len(report.cards),
                           "pdf_s": round(med(pdfs), 2), "pdf_pages": _pages(pdf), "pdf_kb": pdf.stat().st_size // 1024,
                           "csv_ms": round(med(csvs) * 1000, 1)},
    })
    window.close()
    print(json.dumps(out, indent=2))
    return 0


def _pages(pdf: Path) -> int | None:
    import re
    import subprocess

    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"Pages:\s+(\d+)", info)
    return int(match.group(1)) if match else None


if __name__ == "__main__":
    sys.exit(main())
