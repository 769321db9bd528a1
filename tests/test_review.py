"""History queries, delete with undo, comments, sessions and their board, progress, reports (CSV, PDF)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from tests.support.seed import graded_corpus, seed_history
from voicemail_coach.core.board import build_board
from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.progress import best_per_scenario, progress
from voicemail_coach.core.records import HistoryFilter, ItemOutcome
from voicemail_coach.reports import ReportError, write_report
from voicemail_coach.reports.build import board_for, rep_report, session_report
from voicemail_coach.reports.render import session_csv
from voicemail_coach.services import Services
from voicemail_coach.storage.db import StorageError
from voicemail_coach.storage.sessions import SessionStore


@pytest.fixture
def services(tmp_path):
    return Services(tmp_path / "data")


def _add(services, rep_id, scenario, result, words, created, session_id=None, audio=None):
    return services.repo.add_attempt(rep_id, scenario, result, words, audio, created_at=created, session_id=session_id)


@pytest.fixture
def cohort(services):
    """Three reps and a trainer; a session over two scenarios; graded corpus voicemails as their attempts."""
    repo = services.repo
    ana, ben, cleo, tess = (repo.save_rep(RepProfile(n, "Acme", "555 201 3344"), make_active=False).id
                            for n in ("Ana", "Ben", "Cleo", "Tess"))
    session = SessionStore(repo).create("March cohort", [ana, ben, cleo], ["bakery-payroll", "clinic-no-shows"], 80, tess)
    graded = graded_corpus(services)
    strong = [g for g in graded if g[0]["score"] >= 90]
    weak = [g for g in graded if g[0]["score"] < 60]
    ids = {}
    ids["ana1"] = _add(services, ana, "bakery-payroll", *weak[0], "2026-03-01T10:00:00Z", session.id)
    ids["ana2"] = _add(services, ana, "bakery-payroll", *strong[0], "2026-03-01T10:05:00Z", session.id)
    ids["ana3"] = _add(services, ana, "clinic-no-shows", *strong[1], "2026-03-01T10:10:00Z", session.id)
    ids["ben1"] = _add(services, ben, "bakery-payroll", *weak[1], "2026-03-01T11:00:00Z", session.id)
    ids["ana_solo"] = _add(services, ana, "clinic-no-shows", *weak[2], "2026-03-02T09:00:00Z")  # outside the session
    ids["exemplar"] = _add(services, tess, "bakery-payroll", *strong[2], "2026-02-28T09:00:00Z")
    SessionStore(repo).set_exemplar(session.id, "bakery-payroll", ids["exemplar"])
    return {"session": SessionStore(repo).get(session.id), "reps": (ana, ben, cleo, tess), "ids": ids,
            "strong": strong, "weak": weak}


# ------------------------------------------------------------------ history
def test_history_filters_by_rep_scenario_dates_and_words(services, cohort):
    repo = services.repo
    ana, ben, _cleo, _tess = cohort["reps"]
    assert len(repo.rows()) == 6
    assert {r.id for r in repo.rows(HistoryFilter(rep_id=ana))} == {cohort["ids"][k] for k in ("ana1", "ana2", "ana3", "ana_solo")}
    assert {r.scenario_id for r in repo.rows(HistoryFilter(scenario_id="clinic-no-shows"))} == {"clinic-no-shows"}
    march_2 = repo.rows(HistoryFilter(since="2026-03-02", until="2026-03-02"))
    assert [r.id for r in march_2] == [cohort["ids"]["ana_solo"]]
    assert repo.rows(HistoryFilter(until="2026-02-28"))[0].id == cohort["ids"]["exemplar"]
    # words: every word must appear, case-insensitively; wildcards are literal
    word = cohort["strong"][0][0]["transcript"].split()[3].strip(".,")
    found = repo.rows(HistoryFilter(text=word.upper()))
    assert cohort["ids"]["ana2"] in [r.id for r in found]
    assert all(word.lower() in repo.attempt(r.id).transcript.lower() for r in found)
    assert repo.rows(HistoryFilter(text="%")) == []
    assert repo.rows(HistoryFilter(text=f"{word} zzzqqq")) == []
    # newest first
    created = [r.created_at for r in repo.rows()]
    assert created == sorted(created, reverse=True)


def test_delete_hides_undo_restores_and_purge_removes_only_our_recordings(services, tmp_path):
    repo = services.repo
    rep = repo.save_rep(RepProfile("Ana"))
    result, words = graded_corpus(services)[0]
    wav = tmp_path / "take.wav"
    soundfile.write(wav, np.zeros(16000, dtype="float32"), 16000)
    inside = repo.files.new_path(wav)
    a = repo.add_attempt(rep.id, "bakery-payroll", result, words, inside, copy_from=wav)
    b = repo.add_attempt(rep.id, "bakery-payroll", result, words, wav)  # a file outside the recordings folder
    repo.add_comment(a, "Slow down on the number", 12.0, "Tess")
    repo.delete_attempts([a, b])
    assert repo.rows() == [] and repo.history() == [] and repo.count() == 0
    repo.restore_attempts([a])
    assert [r.id for r in repo.rows()] == [a]
    assert repo.comments(a)[0].text == "Slow down on the number"
    repo.delete_attempts([a])
    assert repo.purge_deleted() == 2
    assert repo.attempt(a) is None and repo.attempt(b) is None
    assert not inside.exists()
    assert wav.exists()  # never delete what the app did not make


def test_comments_are_ordered_by_time_and_can_be_removed(services):
    repo = services.repo
    rep = repo.save_rep(RepProfile("Ana"))
    a = repo.add_attempt(rep.id, None, *graded_corpus(services)[0], None)
    late = repo.add_comment(a, "Good close", 30.5, "Tess")
    repo.add_comment(a, "Say your name slower", 1.2, "Tess")
    repo.add_comment(a, "Overall: shorter", None, "Tess")
    assert [c.text for c in repo.comments(a)] == ["Say your name slower", "Good close", "Overall: shorter"]
    assert repo.delete_comment(late).text == "Good close"
    assert len(repo.comments(a)) == 2


# ----------------------------------------------------------------- sessions
def test_session_validation(services):
    store = SessionStore(services.repo)
    rep = services.repo.save_rep(RepProfile("Ana"))
    with pytest.raises(StorageError, match="name"):
        store.create("  ", [rep.id], ["bakery-payroll"])
    with pytest.raises(StorageError, match="rep"):
        store.create("X", [], ["bakery-payroll"])
    with pytest.raises(StorageError, match="pass mark"):
        store.create("X", [rep.id], ["bakery-payroll"], pass_mark=120)
    store.create("X", [rep.id], ["bakery-payroll"])
    with pytest.raises(StorageError, match="already"):
        store.create("x", [rep.id], ["bakery-payroll"])
    with pytest.raises(StorageError, match="track"):
        store.set_exemplar(store.find("X").id, "clinic-no-shows", None)


def test_board_counts_only_the_sessions_attempts(services, cohort):
    session = cohort["session"]
    ana, ben, cleo, _ = cohort["reps"]
    board = board_for(services, session)
    assert [name for _, name in board.reps] == ["Ana", "Ben", "Cleo"]
    a = board.cell(ana, "bakery-payroll")
    assert a.attempts == 2 and a.best_id == cohort["ids"]["ana2"] and a.passed
    assert board.cell(ana, "clinic-no-shows").attempts == 1  # the solo attempt is not counted
    assert board.cell(ben, "bakery-payroll").attempts == 1 and not board.cell(ben, "bakery-payroll").passed
    assert board.cell(cleo, "bakery-payroll").attempts == 0 and board.cell(cleo, "bakery-payroll").best is None
    assert board.passed(ana) == 2 and board.passed(ben) == 0


def _outcome(**fields) -> ItemOutcome:
    return ItemOutcome(**{"created_at": "", "rep_id": None, "session_id": None, **fields})


def test_board_pass_mark_and_ties():
    outcomes = [_outcome(id=1, rep_id=1, scenario_id="s", score=79), _outcome(id=2, rep_id=1, scenario_id="s", score=80),
                _outcome(id=3, rep_id=1, scenario_id="s", score=80),
                _outcome(id=4, rep_id=2, scenario_id="other", score=100)]
    board = build_board(80, [(1, "A"), (2, "B")], ["s"], outcomes)
    cell = board.cell(1, "s")
    assert (cell.best, cell.best_id, cell.attempts, cell.passed) == (80, 2, 3, True)  # the first to reach it
    assert board.cell(2, "s").attempts == 0  # off-track attempts are ignored
    assert not build_board(81, [(1, "A")], ["s"], outcomes).cell(1, "s").passed


def test_progress_rates_bests_and_most_missed(services):
    rubric = services.rubric
    outcomes = [
        _outcome(id=1, created_at="1", scenario_id="a", score=50, items={"rep_name": True, "callback_time": False}),
        _outcome(id=2, created_at="2", scenario_id="a", score=90, items={"rep_name": True, "callback_time": False}),
        _outcome(id=3, created_at="3", scenario_id="b", score=70, items={"rep_name": False, "callback_time": True}),
        _outcome(id=4, created_at="4", scenario_id="a", score=90, items={"rep_name": True, "callback_time": False}),
    ]
    p = progress(outcomes, rubric)
    assert [s for _, s in p.points] == [50, 90, 70, 90]
    rates = {r.id: (r.passed, r.total) for r in p.rates}
    assert rates == {"rep_name": (3, 4), "callback_time": (1, 4)}
    assert [r.id for r in p.rates] == ["rep_name", "callback_time"]  # the playbook's order
    assert p.most_missed.id == "callback_time" and p.most_missed.tip == rubric.items["callback_time"].tip
    assert [(b.scenario_id, b.score, b.attempt_id, b.attempts) for b in best_per_scenario(outcomes)] == [
        ("a", 90, 2, 3), ("b", 70, 3, 1)]
    assert progress([], rubric).most_missed is None


# ------------------------------------------------------------------ reports
def test_session_csv_has_a_row_per_rep_and_scenario_and_the_cohort_rates(services, cohort):
    report = session_report(services, cohort["session"])
    rows = list(csv.DictReader(io.StringIO(session_csv(report))))
    assert [(r["rep"], r["scenario_id"]) for r in rows[:-1]] == [
        (rep, sid) for rep in ("Ana", "Ben", "Cleo") for sid in ("bakery-payroll", "clinic-no-shows")]
    ana_bakery = rows[0]
    assert ana_bakery["attempts"] == "2" and ana_bakery["passed"] == "yes"
    assert ana_bakery["best_attempt_id"] == str(cohort["ids"]["ana2"])
    best_items = {i["id"]: i["passed"] for i in services.repo.attempt(cohort["ids"]["ana2"]).items}
    assert all(ana_bakery[k] == str(int(v)) for k, v in best_items.items())
    assert rows[2]["passed"] == "no" and rows[4]["attempts"] == "0" and rows[4]["best_score"] == ""
    cohort_row = rows[-1]
    assert cohort_row["rep"] == "cohort pass rate"
    # three best attempts (Ana ×2, Ben ×1): the rate per item is over those
    bests = [services.repo.attempt(cohort["ids"][k]) for k in ("ana2", "ana3", "ben1")]
    for item in ("rep_name", "callback_time", "value"):
        passed = sum(next(i["passed"] for i in b.items if i["id"] == item) for b in bests)
        assert cohort_row[item] == f"{round(100 * passed / 3)}%"
    assert set(report.exemplars) == {"bakery-payroll"}


def test_session_and_rep_reports_as_pdf(services, cohort, tmp_path):
    services.repo.add_comment(cohort["ids"]["ana2"], "Great value line", 4.0, "Tess")
    pdf = write_report(session_report(services, cohort["session"]), "pdf", tmp_path / "cohort.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("March cohort", "pass mark 80", "Ana", "Ben", "Cleo", "Cohort pass rate per checklist item",
                     "Exemplars", "Great value line", "Says who you are"):
        assert expected in text, expected
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(l.split()[-1] for l in pages.splitlines() if l.startswith("Pages:"))) >= 3
    ana = services.repo.rep_by_name("Ana")
    rep_pdf = write_report(rep_report(services, ana), "pdf", tmp_path / "ana.pdf")
    rep_text = subprocess.run(["pdftotext", str(rep_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ana" in rep_text and "Personal best per scenario" in rep_text and "Missed most often" in rep_text
    rep_rows = list(csv.DictReader(io.StringIO(write_report(rep_report(services, ana), "csv", tmp_path / "ana.csv")
                                               .read_text())))
    assert [int(r["attempt_id"]) for r in rep_rows] == [cohort["ids"][k] for k in ("ana1", "ana2", "ana3", "ana_solo")]


def test_report_to_a_missing_folder_is_a_plain_error(services, cohort, tmp_path):
    with pytest.raises(ReportError, match="could not write"):
        write_report(session_report(services, cohort["session"]), "csv", tmp_path / "nope" / "r.csv")


def test_seeded_history_is_realistic(services):
    rep_ids = seed_history(services, attempts=300, reps=5)
    rows = services.repo.rows()
    assert len(rows) == 300 and {r.rep for r in rows} == {f"Rep {n:02d}" for n in range(5)} and len(rep_ids) == 5
    assert len({r.scenario_id for r in rows}) > 5 and len({r.score for r in rows}) > 5


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_cli_sessions_export_and_comments(tmp_path, capsys):
    import json

    from voicemail_coach.cli import main

    d = ["--data-dir", str(tmp_path / "cli")]
    assert main(d + ["session", "create", "--name", "April", "--rep", "Ana", "--rep", "Ben",
                     "--scenario", "bakery-payroll", "--trainer", "Tess"]) == 0
    text = ("Hi Laura, this is Ana with Acme. We help bakeries cut payroll time in half. Call me at 555 201 3344, "
            "that's 555 201 3344. I'll try you again Thursday at 10 and I'll send you an email too.")
    assert main(d + ["grade", "--text", text, "--scenario", "bakery-payroll", "--rep-name", "Ana",
                     "--rep-company", "Acme", "--rep-phone", "555 201 3344", "--save", "--session", "April", "--json"]) == 0
    attempt = json.loads(capsys.readouterr().out.split("\n", 1)[1])["attempt_id"]
    assert main(d + ["comment", "--attempt", str(attempt), "--at", "2", "--text", "Nice opener", "--author", "Tess"]) == 0
    assert main(d + ["--json", "session", "show", "April"]) == 0
    board = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert board["cells"]["Ana|bakery-payroll"] == {"best": 100, "attempts": 1, "passed": True}
    assert board["cells"]["Ben|bakery-payroll"]["attempts"] == 0
    assert main(d + ["export", "--session", "April", "-o", str(tmp_path / "april.csv")]) == 0
    assert "Ana,bakery-payroll" in (tmp_path / "april.csv").read_text()
    assert main(d + ["export", "--rep", "Ana", "--format", "pdf", "-o", str(tmp_path / "ana.pdf")]) == 0
    assert b"%PDF" in (tmp_path / "ana.pdf").read_bytes()[:8]
    capsys.readouterr()
    assert main(d + ["export", "--session", "Nope", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no session named 'Nope'" in capsys.readouterr().err
    assert main(d + ["export", "--rep", "Ana", "-o", str(tmp_path / "x.txt")]) == 2
    assert main(d + ["grade", "--text", text, "--session", "April"]) == 2


def test_deleting_a_session_keeps_its_attempts_and_restore_brings_it_back(services, cohort):
    store = SessionStore(services.repo)
    session = cohort["session"]
    before = board_for(services, session)
    snapshot = store.delete(session.id)
    assert store.get(session.id) is None and store.all() == []
    assert len(services.repo.rows()) == 6  # every attempt is still in the history
    assert services.repo.rows(HistoryFilter(session_id=session.id)) == []
    store.restore(snapshot)
    again = store.get(session.id)
    assert (again.name, again.rep_ids, again.track, again.exemplars) == (
        session.name, session.rep_ids, session.track, session.exemplars)
    after = board_for(services, again)
    assert after.cells == before.cells
