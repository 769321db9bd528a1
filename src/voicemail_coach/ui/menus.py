"""The menu bar and the keyboard shortcuts, each bound to a controller's action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from voicemail_coach.ui.state import Tab

KEYS_HELP = ("Space — start / stop recording\nEsc — discard the recording\nR — replay / pause\n"
             "E — follow-up email · T — next touch · C — comment at this moment · P — as heard on the phone\n"
             "D — drill the first part the attempt missed (or the opener)\n"
             "N — next scenario\nCtrl+O — grade a recording\nCtrl+I — import a scenario\n"
             "Ctrl+Shift+O — import a review bundle\n\n"
             "History: Ctrl+F search · Enter open · Del delete · Ctrl+Z undo\n"
             "Ctrl+click or Ctrl+1..4 — pick attempts · C — compare side by side\n"
             "Sessions: Enter — the rep records the cell's scenario · X — compare with the exemplar · "
             "B — back to the board · Ctrl+Shift+B — the team board\n\n"
             "Alt+1 practice · Ctrl+H history · Alt+3 side by side · Alt+4 progress · Alt+5 sessions")

TABS = (("&Practice", "Alt+1"), ("&History", "Ctrl+H"), ("&Side by side", "Alt+3"), ("P&rogress", "Alt+4"),
        ("&Sessions", "Alt+5"))


def _action(w, menu, text: str, slot, key=None) -> QAction:
    action = QAction(text, w)
    if key is not None:
        action.setShortcut(QKeySequence(key))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def install_menus(w) -> None:
    """``w``: the MainWindow, with its controllers built."""
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    _action(w, file_menu, "&Grade a recording…", w.recording.import_recording, "Ctrl+O")
    _action(w, file_menu, "Import a &scenario…", w.scenarios.import_file, "Ctrl+I")
    _action(w, file_menu, "Import a review &bundle…", w.exports.import_bundle, "Ctrl+Shift+O")
    file_menu.addSeparator()
    _action(w, file_menu, "Show &logs", w.show_logs)
    file_menu.addSeparator()
    _action(w, file_menu, "&Quit", w.close, QKeySequence.Quit)

    edit_menu = bar.addMenu("&Edit")
    undo = _action(w, edit_menu, "&Undo delete", w.undo.undo, QKeySequence.Undo)
    undo.setEnabled(False)
    w.undo.available.connect(undo.setEnabled)

    rep_menu = bar.addMenu("&Rep")
    _action(w, rep_menu, "&Edit profile…", w.reps.edit)
    _action(w, rep_menu, "&New rep…", lambda: w.reps.edit(new=True))

    view_menu = bar.addMenu("&View")
    for index, (name, key) in enumerate(TABS):
        _action(w, view_menu, name, lambda i=index: w.tabs.setCurrentIndex(i), key)

    session_menu = bar.addMenu("&Sessions")
    _action(w, session_menu, "&New session…", w.sessions.new_session, "Ctrl+Shift+N")
    _action(w, session_menu, "&Leave the session (practise on my own)", lambda: w.state.set_session(None))
    session_menu.addSeparator()
    _action(w, session_menu, "&Team board (live, from the team server)…", w.team.open_board, "Ctrl+Shift+B")

    settings_menu = bar.addMenu("Se&ttings")
    _action(w, settings_menu, "&Privacy…", w.open_privacy)
    _action(w, settings_menu, "&Team server…", w.team.open_settings)
    _action(w, settings_menu, "&History location…", w.open_history_location)
    _action(w, settings_menu, "Play&book…", w.open_playbook)

    help_menu = bar.addMenu("&Help")
    _action(w, help_menu, "&Keyboard shortcuts", lambda: QMessageBox.information(w, "Keyboard shortcuts", KEYS_HELP))


def install_shortcuts(w) -> None:
    keys = {
        Qt.Key_Space: w.recording.toggle,
        Qt.Key_Escape: w.recording.cancel,
        "R": w.review.toggle_replay,
        "N": w.scenarios.next,
        "E": w.review.open_email,
        "T": w.review.next_touch,
        "P": w.review.toggle_phone,
        "D": lambda: w.recording.drill(),
        "C": lambda: _c_pressed(w),
        "B": lambda: w.tabs.setCurrentIndex(Tab.SESSIONS) if w.state.session_id else None,
    }
    for key, slot in keys.items():
        QShortcut(QKeySequence(key), w, slot)
    for n in range(4):
        QShortcut(QKeySequence(f"Ctrl+{n + 1}"), w,
                  lambda slot=n: w.history_tab.pick_for_compare(slot, w.page.on_scorecard))


def _c_pressed(w) -> None:
    """C compares in History and comments on the scorecard."""
    tab = w.tabs.currentIndex()
    if tab == Tab.HISTORY:
        w.history.compare_selected()
    elif tab == Tab.PRACTICE and w.page.on_scorecard:
        w.review.add_comment()
