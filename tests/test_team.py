"""The team server on a real PostgreSQL: roles enforced by the server itself, uploads that happen exactly once
after the server comes back, the live board, and the command line a trainer and reps use."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import psycopg
import pytest
import soundfile as sf

from voicemail_coach.core.people import RepProfile
from voicemail_coach.storage.db import MIGRATIONS, connect
from voicemail_coach.storage.repository import TEAM_URL, Repository
from voicemail_coach.storage.sessions import SessionStore
from voicemail_coach.team import TeamError, TeamUnreachable
from voicemail_coach.team.client import TeamClient
from voicemail_coach.team.link import PASSWORD_ENV, join, leave
from voicemail_coach.team.server import init
from voicemail_coach.team.sync import upload_waiting

_tags = itertools.count(1)
RESULT = {"score": 80, "transcript": "Hi Chloe, this is Amy.", "items": [{"id": "rep_name", "passed": True}],
          "metrics": {"duration_s": 1.0}}


def login_url(postgres, database_url: str, login: str, password: str | None = None) -> str:
    who = f"{login}:{password}" if password else login
    return f"postgresql://{who}@127.0.0.1:{postgres.port}/{database_url.rsplit('/', 1)[1]}"


@pytest.fixture
def team(postgres, team_db):
    """A team with a trainer and two reps in one session; every login unique to this test (logins are the
    whole server's)."""
    tag = next(_tags)
    trainer, trainer_pw = init(team_db, "Acme West", "Tara Trainer", login=f"tara_{tag}")
    tara = TeamClient(login_url(postgres, team_db, trainer), trainer_pw)
    logins = {"tara": (trainer, trainer_pw)}
    for name in ("amy", "bob", "cid"):
        login, pw = f"{name}_{tag}", f"{name}-secret-{tag}"
        tara.add_member(login, name.title() + " Rep", f"{name}@example.com", "rep", pw)
        logins[name] = (login, pw)
    session_id = tara.create_session("March class", [logins["amy"][0], logins["bob"][0]])
    clients = {name: TeamClient(login_url(postgres, team_db, login), pw) for name, (login, pw) in logins.items()}
    yield {"db": team_db, "clients": clients, "logins": logins, "session": session_id, "tag": tag}
    for client in clients.values():
        client.close()
    tara.close()


def attempt(origin: str, score: int = 80, session: str | None = "March class") -> dict:
    return {"origin": origin, "session": session, "scenario_id": "hotel-uniforms", "created_at": "2026-11-27T10:00:00Z",
            "touch": 1, "status": "complete", "score": score, "duration_s": 20.0, "transcript": "Hi Chloe …",
            "words": [], "items": [{"id": "rep_name", "passed": True}], "metrics": {}, "engine": "moonshine"}


def sql_as(postgres, team, who: str):
    """A plain psycopg connection as one member: what the server allows, with no app code in between."""
    login, pw = team["logins"][who]
    return psycopg.connect(host="127.0.0.1", port=postgres.port, dbname=team["db"].rsplit("/", 1)[1], user=login,
                           password=pw, autocommit=True)


def test_each_login_reads_and_writes_only_what_the_server_allows(postgres, team):
    c = team["clients"]
    amy_id = c["amy"].upload(attempt("a:1", 70), b"amy's flac")
    bob_id = c["bob"].upload(attempt("b:1", 90), b"bob's flac")
    amy_login, bob_login = team["logins"]["amy"][0], team["logins"]["bob"][0]

    with sql_as(postgres, team, "bob") as bob:
        assert [r[0] for r in bob.execute("SELECT id FROM attempts")] == [bob_id]
        assert bob.execute("SELECT * FROM attempts WHERE id = %s", (amy_id,)).fetchall() == []
        assert bob.execute("SELECT * FROM recordings WHERE attempt_id = %s", (amy_id,)).fetchall() == []
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # posing as Amy: refused by her row policy
            bob.execute("INSERT INTO attempts(origin, login, team_id, created_at) VALUES ('x', %s, 1, 'now')",
                        (amy_login,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("UPDATE attempts SET score = 0")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("INSERT INTO comments(attempt_id, text) VALUES (%s, 'nice')", (bob_id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("SELECT vc_add_member('eve', 'Eve', '', 'trainer', 'pw')")
        # his session's board: everyone's scores, nobody else's words or recordings
        board = bob.execute("SELECT login, best FROM vc_board(%s)", (team["session"],)).fetchall()
        assert sorted(board) == sorted([(amy_login, 70), (bob_login, 90)])

    with sql_as(postgres, team, "cid") as cid:  # in the team, not in the session
        assert cid.execute("SELECT * FROM vc_board(%s)", (team["session"],)).fetchall() == []
        assert cid.execute("SELECT * FROM sessions").fetchall() == []
        assert cid.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0

    with sql_as(postgres, team, "tara") as tara:
        assert sorted(r[0] for r in tara.execute("SELECT id FROM attempts")) == sorted([amy_id, bob_id])
        assert tara.execute("SELECT flac FROM recordings WHERE attempt_id = %s", (amy_id,)).fetchone()[0] == b"amy's flac"
        tara.execute("INSERT INTO comments(attempt_id, at_s, text) VALUES (%s, 3.5, 'slow down')", (amy_id,))
    assert c["amy"].comments(amy_id) == [(3.5, team["logins"]["tara"][0], "slow down")]
    assert c["bob"].comments(amy_id) == []

    # another team on the same server sees none of it
    other, other_pw = init(team["db"], "Other Co", "Oscar Other", login=f"oscar_{team['tag']}")
    with psycopg.connect(login_url(postgres, team["db"], other, other_pw), autocommit=True) as oscar:
        assert oscar.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
        assert oscar.execute("SELECT count(*) FROM recordings").fetchone()[0] == 0
        assert [r[0] for r in oscar.execute("SELECT login FROM members")] == [other]
        assert oscar.execute("SELECT * FROM vc_board(%s)", (team["session"],)).fetchall() == []


def test_a_login_of_one_team_database_reads_nothing_in_another(postgres, team):
    other_db = postgres.create_database(f"other_{team['tag']}")
    init(other_db, "Elsewhere Inc", "Eli Else", login=f"eli_{team['tag']}")
    with sql_as(postgres, team, "amy") as amy:
        amy.execute("SELECT 1")
    login, pw = team["logins"]["amy"]
    with psycopg.connect(login_url(postgres, other_db, login, pw), autocommit=True) as stranger:
        for table in ("attempts", "recordings", "members", "sessions", "comments", "marks"):
            assert stranger.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def _local_history(tmp_path) -> tuple[Repository, SessionStore]:
    db = tmp_path / "local.sqlite3"
    repo = Repository(connect(db), tmp_path / "recordings")
    return repo, SessionStore(repo)


def _recording(tmp_path, seconds: float = 1.0):
    rate = 16000
    t = np.arange(int(rate * seconds)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)
    path = tmp_path / f"take-{time.monotonic_ns()}.wav"
    sf.write(path, samples, rate, subtype="PCM_16")
    return path, samples


def _save(repo, tmp_path, rep_id):
    wav, samples = _recording(tmp_path)
    return repo.add_attempt(rep_id, "hotel-uniforms", RESULT, [], repo.files.new_path(wav), copy_from=wav), samples


def test_attempts_wait_while_the_server_is_down_and_upload_exactly_once(postgres, team, tmp_path):
    repo, sessions = _local_history(tmp_path)
    rep = repo.save_rep(RepProfile("Amy Rep", "Acme", "555-214-3390", ""))
    login, pw = team["logins"]["amy"]
    member, _ = join(repo, login_url(postgres, team["db"], login), pw)
    assert member.login == login and member.role == "rep"
    client = TeamClient(repo.setting(TEAM_URL), pw)
    first, samples = _save(repo, tmp_path, rep.id)
    second, _ = _save(repo, tmp_path, rep.id)
    assert repo.waiting_uploads() == [first, second]

    postgres.stop()
    try:
        result = upload_waiting(repo, sessions, client)
        assert result.sent == 0 and result.waiting == 2 and result.error
        third, _ = _save(repo, tmp_path, rep.id)  # practice goes on while the server is away
        with pytest.raises(TeamUnreachable):
            client.whoami()
        assert repo.waiting_uploads() == [first, second, third]
    finally:
        postgres.start()

    result = upload_waiting(repo, sessions, client)
    assert (result.sent, result.already, result.waiting, result.error) == (3, 0, 0, None)
    origins = [f"{repo.install_id()}:{i}" for i in (first, second, third)]
    assert client.count_origins(origins) == 3

    # the answer to an upload was lost and the machine sends them all again: the server keeps one of each
    repo.queue_uploads([first, second, third])
    result = upload_waiting(repo, sessions, client)
    assert (result.sent, result.already, result.waiting) == (0, 3, 0)
    on_server = client.attempts()
    assert len(on_server) == 3 and all(a.has_recording for a in on_server)
    first_on_server = next(a for a in on_server if a.origin == origins[0])
    played, rate = sf.read(io.BytesIO(client.recording(first_on_server.id)), dtype="int16")
    assert rate == 16000 and np.array_equal(played, samples)  # FLAC: every sample as recorded
    client.close()


def test_a_trainers_comment_comes_down_to_the_reps_history_once(postgres, team, tmp_path):
    from voicemail_coach.team.sync import pull_comments

    repo, sessions = _local_history(tmp_path)
    rep = repo.save_rep(RepProfile("Amy Rep", "Acme", "555-214-3390", ""))
    login, pw = team["logins"]["amy"]
    join(repo, login_url(postgres, team["db"], login), pw)
    local_id, _ = _save(repo, tmp_path, rep.id)
    amy = TeamClient(repo.setting(TEAM_URL), pw)
    upload_waiting(repo, sessions, amy)
    server_id = amy.attempts()[0].id
    team["clients"]["tara"].add_comment(server_id, "Pause after the area code.", 4.5)
    for expected in (1, 0):  # a second look brings nothing twice
        assert pull_comments(repo, amy) == expected
    [comment] = repo.comments(local_id)
    assert (comment.text, comment.at_s, comment.author) == ("Pause after the area code.", 4.5, "Tara Trainer")
    amy.close()


def test_an_imported_attempt_is_not_uploaded_as_this_machines_own(postgres, team, tmp_path):
    repo, _ = _local_history(tmp_path)
    login, pw = team["logins"]["amy"]
    join(repo, login_url(postgres, team["db"], login), pw)
    repo.add_attempt(None, "hotel-uniforms", RESULT, [], None, origin="bundle:someone-else:7")
    assert repo.waiting_uploads() == []


def test_the_trainers_board_hears_an_attempt_as_it_is_saved(postgres, team):
    tara, amy = team["clients"]["tara"], team["clients"]["amy"]
    heard, stop, listening = [], threading.Event(), threading.Event()
    member = tara.whoami()

    def on_attempt(note):
        heard.append(note)
        stop.set()

    def listen():
        listening.set()
        tara.listen(member.team_id, on_attempt, stop.is_set, idle_s=0.1)

    thread = threading.Thread(target=listen)
    thread.start()
    listening.wait(10)
    time.sleep(0.5)  # LISTEN registered before the upload
    sent_at = time.time()
    server_id = amy.upload(attempt("live:1"), None)
    thread.join(30)
    stop.set()
    assert heard and heard[0]["id"] == server_id and heard[0]["login"] == team["logins"]["amy"][0]
    assert heard[0]["session"] == team["session"]
    print(f"board notified {heard[0]['received'] - sent_at:.3f} s after the upload call")


def test_a_wrong_password_or_address_is_said_plainly(postgres, team, tmp_path):
    repo, _ = _local_history(tmp_path)
    login, _ = team["logins"]["amy"]
    with pytest.raises(TeamError, match="refused the login"):
        join(repo, login_url(postgres, team["db"], login), "wrong")
    with pytest.raises(TeamUnreachable, match="cannot be reached"):
        join(repo, f"postgresql://{login}@127.0.0.1:1/nothing", "pw")
    with pytest.raises(TeamError, match="PostgreSQL"):
        join(repo, "mysql://x@y/z", "pw")
    assert repo.setting(TEAM_URL) is None


def test_the_password_goes_to_the_keyring_never_to_a_file(postgres, team, tmp_path):
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):  # the test machine has no desktop keyring service
        priority = 1
        store: dict = {}

        def get_password(self, service, user):
            return self.store.get((service, user))

        def set_password(self, service, user, password):
            self.store[(service, user)] = password

        def delete_password(self, service, user):
            self.store.pop((service, user), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        repo, _ = _local_history(tmp_path)
        login, pw = team["logins"]["amy"]
        _, kept = join(repo, login_url(postgres, team["db"], login, pw), None)
        assert kept and repo.setting(TEAM_URL) == login_url(postgres, team["db"], login)
        assert list(Memory.store.values()) == [pw]
        repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert pw.encode() not in path.read_bytes(), path
        leave(repo)
        assert Memory.store == {} and repo.setting(TEAM_URL) is None
    finally:
        keyring.set_keyring(previous)


def test_an_older_history_gains_the_outbox_without_losing_a_row(tmp_path):
    import sqlite3

    db = tmp_path / "old.sqlite3"
    old = sqlite3.connect(db)
    for script in MIGRATIONS[:5]:
        old.executescript(script)
    old.execute("PRAGMA user_version = 5")
    old.execute("INSERT INTO reps(name) VALUES ('Amy')")
    old.execute("INSERT INTO attempts(rep_id, score, transcript) VALUES (1, 77, 'hello')")
    old.commit()
    old.close()
    repo = Repository(connect(db), tmp_path / "rec")
    assert repo.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert [(h.rep, h.score) for h in repo.history()] == [("Amy", 77)]
    assert repo.queue_uploads([1]) == 1 and repo.waiting_uploads() == [1]


def cli(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "voicemail_coach", *args], capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_a_class_set_up_and_run_from_the_command_line(postgres, team_db, tmp_path):
    tag = next(_tags)
    owner_url = team_db  # the database's owner, with its password
    made = json.loads(cli("team", "init", owner_url, "--team", "Spring cohort", "--trainer", "Tess Trainer",
                          "--login", f"tess_{tag}", "--json").stdout)
    trainer_dir, rep_dir = str(tmp_path / "trainer"), str(tmp_path / "rep")
    as_trainer = {PASSWORD_ENV: made["password"]}
    joined = json.loads(cli("team", "join", login_url(postgres, team_db, made["login"]), "--json",
                            "--data-dir", trainer_dir, env=as_trainer).stdout)
    assert joined["role"] == "trainer" and joined["team"] == "Spring cohort"
    rep = json.loads(cli("team", "add-rep", "Rita Rep", "--email", "rita@example.com", "--login", f"rita_{tag}",
                         "--json", "--data-dir", trainer_dir, env=as_trainer).stdout)
    as_rep = {PASSWORD_ENV: rep["password"]}
    cli("profile", "--name", "Rita Rep", "--company", "Brightline Uniforms", "--phone", "555-214-3390",
        "--data-dir", rep_dir)
    cli("grade", "--text", "Hi Chloe, this is Rita from Brightline Uniforms. Call me at 555-214-3390.",
        "--scenario", "hotel-uniforms", "--save", "--data-dir", rep_dir)  # practised alone, before the class
    time.sleep(1.1)  # stored times have whole seconds: the class starts strictly later
    cli("team", "session", "Week 1", "--rep", rep["login"], "--data-dir", trainer_dir, env=as_trainer)

    cli("team", "join", login_url(postgres, team_db, rep["login"]), "--data-dir", rep_dir, env=as_rep)
    # practised in no local session: it counts in the class the rep is in, and goes up as it is saved
    graded = cli("grade", "--text", "Hi Chloe, this is Rita. Again, 555-214-3390.", "--scenario", "hotel-uniforms",
                 "--save", "--json", "--data-dir", rep_dir, env=as_rep)
    assert "Uploaded to the team server." in graded.stderr and json.loads(graded.stdout)["attempt_id"] == 2
    status = json.loads(cli("team", "status", "--json", "--data-dir", rep_dir, env=as_rep).stdout)
    assert status["waiting"] == 0 and status["role"] == "rep" and status["reachable"]
    synced = json.loads(cli("team", "sync", "--json", "--data-dir", rep_dir, env=as_rep).stdout)
    assert synced["sent"] == 0 and synced["waiting"] == 0
    for _ in range(2):  # the earlier attempt joins the history (not the class); a second run sends nothing new
        cli("team", "upload-history", "--data-dir", rep_dir, env=as_rep)
    board = json.loads(cli("team", "board", "Week 1", "--json", "--data-dir", trainer_dir, env=as_trainer).stdout)
    assert [(b["login"], b["attempts"]) for b in board] == [(rep["login"], 1)]
    trainer = TeamClient(login_url(postgres, team_db, made["login"]), made["password"])
    assert len(trainer.attempts(rep["login"])) == 2  # the session's attempt and the earlier one, once each
    trainer.close()
