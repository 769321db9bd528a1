"""History, side by side, progress, sessions and comments in the real window (offscreen, pytest-qt)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.support.corpus import load_corpus
from tests.support.seed import seed_history
from tests.support.synth import synthesize
from tests.test_ui import FakeSD, make_window, services  # noqa: F401  (fixture)
from voicemail_coach.core.people import RepProfile
from voicemail_coach.storage.sessions import SessionStore
from voicemail_coach.ui.state import Phase, Tab


def _select_rows(w, rows):
    sel = w.history.table.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(w.history.model.index(r, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)
    sel.setCurrentIndex(w.history.model.index(rows[-1], 0), QItemSelectionModel.NoUpdate)


def test_history_filters_search_sort_delete_and_undo(qtbot, services):
    seed_history(services, attempts=120, reps=3)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.tabs.setCurrentIndex(Tab.HISTORY)
    h = w.history
    assert h.model.rowCount() == 120 and "120 attempts" in h.count.text()
    rep = services.repo.rep_by_name("Rep 01")
    h.rep_filter.setCurrentIndex(h.rep_filter.findData(rep.id))
    assert 0 < h.model.rowCount() < 120 and all(r.rep == "Rep 01" for r in h.model.rows)
    assert "of 120" in h.count.text()
    h.search.setText("bakery")
    qtbot.waitUntil(lambda: all("bakery" in services.repo.attempt(r.id).transcript.lower() for r in h.model.rows)
                    and h.model.rowCount() < 40, timeout=30_000)
    h.clear_filters()
    assert h.model.rowCount() == 120
    h.table.sortByColumn(4, Qt.AscendingOrder)
    scores = [h.model.rows[r].score for r in range(h.model.rowCount())]
    assert scores == sorted(scores) and scores[0] < scores[-1]
    _select_rows(w, [0, 1])
    doomed = h.selected_ids()
    h.table.setFocus()
    qtbot.keyClick(h.table, Qt.Key_Delete)
    assert h.model.rowCount() == 118 and not set(doomed) & {r.id for r in h.model.rows}
    assert w.undo.button.isVisible()
    qtbot.keyClick(w, Qt.Key_Z, Qt.ControlModifier)
    assert h.model.rowCount() == 120 and set(doomed) <= {r.id for r in h.model.rows}


def test_pick_with_ctrl_numbers_and_compare_side_by_side(qtbot, services):
    seed_history(services, attempts=40, reps=2)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.tabs.setCurrentIndex(Tab.HISTORY)
    h = w.history
    rows = h.model.rows
    # one that passes the callback and one that misses it, so a checklist row differs
    a = next(r.id for r in rows if _passed(services, r.id, "callback_time"))
    b = next(r.id for r in rows if not _passed(services, r.id, "callback_time"))
    for slot, attempt in ((0, a), (1, b)):
        h.table.setCurrentIndex(h.model.index(next(i for i, r in enumerate(rows) if r.id == attempt), 0))
        qtbot.keyClick(w, Qt.Key_1 + slot, Qt.ControlModifier)
    assert h.slots[:2] == [a, b] and "1: #" in h.slots_label.text()
    qtbot.keyClick(w, Qt.Key_C)
    assert w.tabs.currentIndex() == Tab.COMPARE
    cv = w.compare_view
    assert [c.row.id for c in cv.columns] == [a, b]
    marked = [lbl for lbl in cv.scroll.widget().findChildren(type(cv.title)) if "background:#fee2e2" in lbl.styleSheet()]
    assert marked and "Missed here" in marked[0].toolTip()
    sa, sb = services.repo.attempt(a).score, services.repo.attempt(b).score
    headers = [lbl.text() for lbl in cv.scroll.widget().findChildren(type(cv.title)) if "font-size:30px" in lbl.text()]
    assert f">{sb}<" in headers[1] and (sa == sb or f"({sb - sa:+d})" in headers[1])


def _passed(services, attempt_id, item):
    return next(i["passed"] for i in services.repo.attempt(attempt_id).items if i["id"] == item)


def test_progress_shows_the_active_reps_trend_and_weakest_item(qtbot, services):
    seed_history(services, attempts=90, reps=3)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.tabs.setCurrentIndex(Tab.PROGRESS)
    pv = w.progress_view
    mine = [r for r in services.repo.rows() if r.rep == w.state.rep.profile.name]
    assert f"{len(mine)} attempts" in pv.headline.text()
    assert len(pv.scores.scores) == len(mine)
    assert len(pv.rates.rates) >= 10 and pv.focus.isVisible() and "Missed most often" in pv.focus.text()
    best = pv.bests.item(0, 1).data(Qt.DisplayRole)
    assert best == max(r.score for r in mine)
    # a dot names its attempt under the mouse, and a click opens it
    chart = pv.scores
    chart.resize(700, 300)
    oldest = min(mine, key=lambda r: (r.created_at, r.id))
    dot = chart.dot_position(0, chart.scores[0]).toPoint()
    assert chart.dot_at(chart.dot_position(0, chart.scores[0])) == 0 and chart.ids[0] == oldest.id
    qtbot.mouseClick(chart, Qt.LeftButton, pos=dot)
    assert w.tabs.currentIndex() == Tab.PRACTICE and w.state.attempt.id == oldest.id


def test_trainer_session_end_to_end(qtbot, services, audio_cache):
    """Create a session in the dialog, two reps record into it, the trainer records the exemplar, compare."""
    corpus = {v.id: v for v in load_corpus()}
    strong = corpus["strong-01"]
    services.repo.save_rep(RepProfile(**strong.rep.to_dict()))  # the trainer
    w = make_window(qtbot, services, FakeSD(), scenario="bakery-payroll", profile=False)
    w.activateWindow()

    def fill():
        d = QApplication.activeModalWidget()
        d.name.setText("June cohort")
        for name in ("Ana Ruiz", "Ben Ode"):
            d.new_rep.setText(name)
            d.add_button.click()
        for i in range(d.track.count()):
            if d.track.item(i).data(Qt.UserRole) == "bakery-payroll":
                d.track.item(i).setCheckState(Qt.Checked)
        d.create_button.click()

    QTimer.singleShot(100, fill)
    w.sessions.new_session()
    session = SessionStore(services.repo).find("June cohort")
    assert session is not None and w.tabs.currentIndex() == Tab.SESSIONS
    names = {services.repo.rep_by_id(r).profile.name for r in session.rep_ids}
    assert names == {"Ana Ruiz", "Ben Ode"}  # the trainer was not ticked
    assert session.trainer_id == services.repo.rep_by_name(strong.rep.name).id
    wav = synthesize(strong.text, audio_cache, voice=0)
    ana = services.repo.rep_by_name("Ana Ruiz").id
    w.sessions.practise(session.id, ana, "bakery-payroll")
    assert w.tabs.currentIndex() == Tab.PRACTICE and w.state.rep.id == ana and w.page.session_banner.isVisible()
    assert "June cohort" in w.page.session_banner.text()
    w.recording.grade_file(wav)
    qtbot.waitUntil(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, timeout=600_000)
    board = w.sessions_view.board
    assert board.cell(ana, "bakery-payroll").attempts == 1
    w.sessions.record_exemplar(session.id, "bakery-payroll")
    assert w.state.rep.profile.name == strong.rep.name and w.state.session_id is None
    w.recording.grade_file(wav)
    qtbot.waitUntil(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, timeout=600_000)
    session = SessionStore(services.repo).get(session.id)
    assert session.exemplars["bakery-payroll"] == w.state.attempt.id
    assert w.sessions_view.board.cell(ana, "bakery-payroll").attempts == 1  # the exemplar is not Ana's
    w.tabs.setCurrentIndex(Tab.SESSIONS)
    sv = w.sessions_view
    sv.table.setCurrentCell(1 + [r for r, _ in sv.board.reps].index(ana), 0)
    assert sv.compare_button.isEnabled()
    sv.compare_button.click()
    assert w.tabs.currentIndex() == Tab.COMPARE and len(w.compare_view.columns) == 2
    assert [c.row.id for c in w.compare_view.columns] == [session.exemplars["bakery-payroll"],
                                                             sv.board.cell(ana, "bakery-payroll").best_id]
    assert any("· exemplar" in lbl.text() for lbl in w.compare_view.scroll.widget().findChildren(type(w.compare_view.title)))


def test_comments_on_the_scorecard(qtbot, services, monkeypatch):
    seed_history(services, attempts=5, reps=1)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    attempt = services.repo.rows()[0].id
    w.open_attempt(attempt)
    from voicemail_coach.ui.comments import CommentDialog

    def fake_exec(dialog):
        dialog.author.setText("Tess")
        dialog.text.setPlainText("Lead with the result")
        return True

    monkeypatch.setattr(CommentDialog, "exec", fake_exec)
    qtbot.keyClick(w, Qt.Key_C)
    comments = services.repo.comments(attempt)
    assert [(c.text, c.author) for c in comments] == [("Lead with the result", "Tess")]
    assert w.page.comments.list.count() == 1 and "Lead with the result" in w.page.comments.list.item(0).text()
    assert services.repo.setting("reviewer_name") == "Tess"
    w.page.comments.list.setCurrentRow(0)
    w.page.comments.list.setFocus()
    qtbot.keyClick(w.page.comments.list, Qt.Key_Delete)
    assert services.repo.comments(attempt) == []
    qtbot.keyClick(w, Qt.Key_Z, Qt.ControlModifier)
    assert [c.text for c in services.repo.comments(attempt)] == ["Lead with the result"]
    assert "Lead with the result" in w.page.comments.list.item(0).text()


def test_right_click_a_word_or_the_waveform_to_comment_there(qtbot, services, monkeypatch):
    import numpy as np
    from PySide6.QtCore import QPoint

    from voicemail_coach.ui.comments import CommentDialog

    seed_history(services, attempts=2, reps=1)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    attempt = services.repo.rows()[0].id
    w.open_attempt(attempt)
    monkeypatch.setattr(CommentDialog, "exec", lambda d: (d.text.setPlainText("Here"), True)[1])
    w.page.transcript.comment_requested.emit(3.24)
    w.page.waveform.set_audio(np.zeros(16000 * 10, dtype="float32"), 16000)  # a 10 s recording
    qtbot.mouseClick(w.page.waveform, Qt.RightButton, pos=QPoint(w.page.waveform.width() // 2, 10))
    ats = [c.at_s for c in services.repo.comments(attempt)]
    assert ats[0] == 3.2 and abs(ats[1] - 5.0) < 0.2


def test_import_a_review_bundle_in_the_app(qtbot, services, tmp_path):
    from voicemail_coach.bundles import export_bundle
    from voicemail_coach.services import Services

    elsewhere = Services(tmp_path / "elsewhere")
    seed_history(elsewhere, attempts=3, reps=1)
    bundle = export_bundle(elsewhere, tmp_path / "three.vcbundle", attempt_ids=[r.id for r in elsewhere.repo.rows()])
    w = make_window(qtbot, services, FakeSD())
    w.exports.import_bundle(bundle)
    qtbot.waitUntil(lambda: w.tabs.currentIndex() == Tab.HISTORY and w.history.model.rowCount() == 3, timeout=50_000)
    assert "3 attempts imported" in w.statusBar().currentMessage()
    assert services.repo.rep_by_name("Rep 00") is not None


def test_the_board_shows_attempts_saved_by_another_window(qtbot, services, tmp_path):
    """Two app instances on one data dir: what one saves appears on the other's live board."""
    from tests.support.seed import graded_corpus
    from voicemail_coach.services import Services

    rep = services.repo.save_rep(RepProfile("Ana Ruiz", "Acme", "555 201 3344"))
    session = SessionStore(services.repo).create("Live", [rep.id], ["bakery-payroll"])
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.tabs.setCurrentIndex(Tab.SESSIONS)
    assert w.sessions.board_timer.isActive()
    assert w.sessions_view.board.cell(rep.id, "bakery-payroll").attempts == 0
    other = Services(services.dirs.data)  # a second instance: its own connection to the same file
    result, words = graded_corpus(other)[0]
    other.repo.add_attempt(rep.id, "bakery-payroll", result, words, None, session_id=session.id)
    qtbot.waitUntil(lambda: w.sessions_view.board.cell(rep.id, "bakery-payroll").attempts == 1, timeout=30_000)


def test_delete_a_session_and_undo(qtbot, services):
    rep = services.repo.save_rep(RepProfile("Ana Ruiz", "Acme", "555 201 3344"))
    SessionStore(services.repo).create("Doomed", [rep.id], ["bakery-payroll"])
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.tabs.setCurrentIndex(Tab.SESSIONS)
    w.sessions_view.delete_button.click()
    assert SessionStore(services.repo).all() == [] and w.sessions_view.empty.isVisible()
    qtbot.keyClick(w, Qt.Key_Z, Qt.ControlModifier)
    assert [s.name for s in SessionStore(services.repo).all()] == ["Doomed"]
    assert w.sessions_view.picker.currentText().startswith("Doomed") and w.sessions_view.table.isVisible()


def test_names_that_look_like_html_show_as_typed(qtbot, services):
    """A rep or session name holding markup is shown as text on every label that holds it, never rendered."""
    from PySide6.QtWidgets import QLabel

    from tests.test_ui import DAVE, saved_text_attempt

    name = "Ann <b>Bold</b><img src=x>"
    ids = [saved_text_attempt(services), saved_text_attempt(services)]
    services.repo.conn.execute("UPDATE reps SET name = ? WHERE name = ?", (name, DAVE.name))
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.review.show_attempt(ids[0])
    w.tabs.setCurrentIndex(Tab.PROGRESS)
    w.tabs.setCurrentIndex(Tab.HISTORY)
    h = w.history
    for slot, attempt in enumerate(ids):
        h.table.setCurrentIndex(h.model.index(next(i for i, r in enumerate(h.model.rows) if r.id == attempt), 0))
        qtbot.keyClick(w, Qt.Key_1 + slot, Qt.ControlModifier)
    qtbot.keyClick(w, Qt.Key_C)
    assert w.tabs.currentIndex() == Tab.COMPARE
    holding = [lbl for lbl in w.findChildren(QLabel) if "<img src=x>" in lbl.text() or "&lt;img src=x&gt;" in lbl.text()]
    assert holding, "the name should be on screen somewhere"
    for label in holding:
        raw = "<img src=x>" in label.text()
        assert not raw or label.textFormat() == Qt.PlainText, (label.objectName(), label.text())
    assert any(name in lbl.text() for lbl in holding if lbl.textFormat() == Qt.PlainText)
