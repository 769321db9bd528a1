"""The PySide6 desktop app. Widgets only: grading, storage and audio live in the core packages."""
