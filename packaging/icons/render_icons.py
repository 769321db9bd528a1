"""Render the SVG icon to the PNG sizes desktops ask for (run once after editing the SVG)."""

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).parent
app = QGuiApplication(sys.argv[:1])
renderer = QSvgRenderer(str(HERE / "voicemail-coach.svg"))
for size in (16, 32, 48, 64, 128, 256, 512):
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.save(str(HERE / f"voicemail-coach-{size}.png"))
