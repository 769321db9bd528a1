"""Session and rep reports: gathered from the database, written as CSV or PDF."""

from __future__ import annotations

from pathlib import Path

from voicemail_coach.reports.errors import ReportError

__all__ = ["FORMATS", "ReportError", "write_report"]
FORMATS = ("pdf", "csv")


def write_report(report, fmt: str, path: Path) -> Path:
    """Write a SessionReport or RepReport as ``fmt`` (pdf or csv) to ``path``; returns the path."""
    from voicemail_coach.reports.build import SessionReport
    from voicemail_coach.reports.render import rep_csv, rep_html, session_csv, session_html

    is_session = isinstance(report, SessionReport)
    path = Path(path)
    if fmt == "csv":
        try:
            path.write_text(session_csv(report) if is_session else rep_csv(report), encoding="utf-8", newline="")
        except OSError as exc:
            raise ReportError(f"could not write {path}: {exc.strerror}") from None
    elif fmt == "pdf":
        from voicemail_coach.reports.pdf import write_pdf

        name = report.name if is_session else report.rep
        write_pdf(session_html(report) if is_session else rep_html(report), path, f"{name} — Voicemail Coach")
    else:
        raise ValueError(f"unknown report format {fmt!r}; use pdf or csv")
    return path
