"""The app's look: one light theme, set once on the QApplication, and its three signal colours."""

# One green, one amber, one red for every score, mark, meter and chart. The amber is the darker one so that
# amber text ("?", a 62 in History) keeps a 4.5:1 contrast on white.
PASS_COLOR = "#16a34a"
AMBER = "#b45309"
FAIL_COLOR = "#dc2626"


def score_color(score: float) -> str:
    return PASS_COLOR if score >= 80 else (AMBER if score >= 50 else FAIL_COLOR)


STYLE = """
QWidget { font-size: 14px; color: #111827; }
QMainWindow, QDialog { background: #f3f4f6; }
#card { background: white; border: 1px solid #e5e7eb; border-radius: 10px; }
#scenarioTitle { font-size: 19px; font-weight: 600; }
#prospect { font-size: 15px; color: #1f2937; }
#section { font-size: 12px; font-weight: 600; color: #6b7280; text-transform: uppercase; letter-spacing: 1px; margin-top: 8px; }
#muted { color: #6b7280; }
#greeting { color: #374151; font-style: italic; }
#badge { background: #e0e7ff; color: #3730a3; border-radius: 8px; padding: 2px 8px; font-size: 12px; }
#error { color: #dc2626; }
#banner { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 8px; padding: 8px; }
#sessionBanner { background: #e0e7ff; border: 1px solid #6366f1; border-radius: 8px; padding: 8px; color: #1e1b4b; }
#bigTimer { font-size: 44px; font-weight: 300; font-family: "DejaVu Sans Mono", monospace; }
#bigScore { font-size: 56px; font-weight: 700; min-width: 110px; }
#metrics { color: #374151; padding: 4px 0 8px 0; }
#itemRow { background: white; border: 1px solid #e5e7eb; border-radius: 8px; }
#itemLabel { font-weight: 600; }
#evidence { color: #166534; }
#tip { color: #92400e; }
#markPass { color: #16a34a; font-size: 18px; font-weight: 700; }
#markFail { color: #dc2626; font-size: 18px; font-weight: 700; }
#anatomyNote { color: #92400e; font-size: 12px; }
#markUnsure { color: #b45309; font-size: 18px; font-weight: 700; }
#unsureTip { color: #92400e; }
#markNote { color: #4b5563; font-size: 12px; font-style: italic; }
QPushButton#markSaid, QPushButton#markNotSaid { padding: 2px 10px; font-size: 12px; }
QPushButton { background: white; border: 1px solid #d1d5db; border-radius: 8px; padding: 6px 14px; }
QPushButton:hover { background: #f9fafb; border-color: #9ca3af; }
QPushButton:focus { border: 2px solid #2563eb; }
QPushButton#primary { background: #2563eb; color: white; border: none; font-weight: 600; padding: 10px 22px; }
QPushButton#primary:hover { background: #1d4ed8; }
QPushButton#primary:disabled { background: #93c5fd; }
QPushButton:disabled { color: #9ca3af; }
QPushButton:checked { background: #e0e7ff; border-color: #6366f1; color: #3730a3; }
QPushButton#record { background: #dc2626; color: white; border: none; border-radius: 36px; font-size: 17px; font-weight: 600; min-height: 72px; min-width: 240px; }
QPushButton#record:hover { background: #b91c1c; }
QPushButton#record[recording="true"] { background: #111827; }
QPushButton#record:disabled { background: #9ca3af; }
QPushButton#jump { padding: 2px 8px; font-size: 12px; color: #2563eb; }
QTabWidget::pane { border: none; }
QTabBar::tab { padding: 8px 18px; font-weight: 600; color: #6b7280; }
QTabBar::tab:selected { color: #111827; border-bottom: 2px solid #2563eb; }
QTextBrowser { background: white; border: 1px solid #e5e7eb; border-radius: 8px; padding: 6px; }
QTableView { selection-background-color: #bfdbfe; selection-color: #111827; background: white; border: 1px solid #e5e7eb; border-radius: 8px; gridline-color: #f3f4f6; }
QHeaderView::section { background: #f9fafb; border: none; border-bottom: 1px solid #e5e7eb; padding: 6px; font-weight: 600; }
QStatusBar { color: #4b5563; }
"""
