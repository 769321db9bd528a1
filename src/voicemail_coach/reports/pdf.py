"""HTML to PDF with Qt's own text engine (QtGui only: no browser, no service)."""

from __future__ import annotations

import os
from pathlib import Path

from voicemail_coach.reports.errors import ReportError


def _gui_app():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:  # the command line: fonts and layout need an application, not a screen
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # a widgets application, so a window opened later in the same process still works
        app = QApplication(["voicemail-coach"])
    return app


def write_pdf(html: str, path: Path, title: str = "Voicemail Coach report") -> int:
    """Print ``html`` to an A4 PDF at ``path``; returns the page count."""
    _gui_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setTitle(title)
    writer.setCreator("Voicemail Coach")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait, QMarginsF(15, 15, 15, 15),
                                     QPageLayout.Millimeter))
    writer.setResolution(300)
    doc = QTextDocument()
    doc.setHtml(html)
    # lay the text out on the page's printable width in points; print_ scales that to the writer's resolution
    doc.setPageSize(writer.pageLayout().paintRect(QPageLayout.Point).size())
    doc.print_(writer)
    pages = doc.pageCount()
    del writer  # finishes the file
    if not tmp.is_file() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"could not write the PDF to {path}; check the folder exists and has space")
    tmp.replace(path)
    return pages
