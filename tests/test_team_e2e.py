"""A class on one team server, end to end: a trainer and three reps as four app processes with their own data
folders and logins. The reps record through the virtual microphone; the trainer's board fills in as they do;
the server is stopped in the middle and started again, and every attempt ends up on it exactly once."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize
from voicemail_coach.team.client import TeamClient
from voicemail_coach.team.link import PASSWORD_ENV
from voicemail_coach.team.server import init

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.audio, pytest.mark.model]
REPS = [("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "strong-05"),
        ("Priya Raman", "Ledgerly", "555-867-1200", "mixed-01"),
        ("Marcus Reed", "Northwind Freight", "555-302-7781", "email-sent-01")]


class App:
    """One app process; its JSON lines arrive on a queue."""

    def __init__(self, args: list[str], env: dict):
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.support.e2e_team", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.events: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.events.put(json.loads(line))

    def wait_for(self, event: str, timeout: float = 900) -> dict:
        for seen in self.seen:
            if seen["event"] == event:
                return seen
        end = time.time() + timeout
        while time.time() < end:
            try:
                got = self.events.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise AssertionError(f"the app ended early: {self.proc.stderr.read()[-3000:]}") from None
                continue
            self.seen.append(got)
            if got["event"] == event:
                return got
        raise AssertionError(f"no {event} from the app in {timeout} s")

    def drain(self) -> list[dict]:
        while not self.events.empty():
            self.seen.append(self.events.get())
        return self.seen


def cli(*args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "voicemail_coach", *args], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_class_of_four_laptops_on_one_server_survives_a_server_restart(virtual_mic, postgres, team_db,
                                                                          audio_cache, tmp_path):
    database = team_db.rsplit("/", 1)[1]
    url = lambda login: f"postgresql://{login}@127.0.0.1:{postgres.port}/{database}"  # noqa: E731
    trainer, trainer_pw = init(team_db, "Spring cohort", "Tom Becker", login="tom_e2e")
    tom = TeamClient(url(trainer), trainer_pw)
    logins = {}
    for n, (name, *_rest) in enumerate(REPS):
        logins[name] = (f"rep{n}_e2e", f"rep{n}-secret")
        tom.add_member(*logins[name][:1], name, "", "rep", logins[name][1])
    tom.create_session("Week 1", [login for login, _ in logins.values()])
    tom.close()

    corpus = {v.id: v for v in load_corpus()}
    base = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    stop = tmp_path / "stop"
    apps: dict[str, App] = {}
    try:
        trainer_dir = str(tmp_path / "trainer")
        trainer_env = {**base, PASSWORD_ENV: trainer_pw}
        cli("team", "join", url(trainer), "--data-dir", trainer_dir, env=trainer_env)
        apps["trainer"] = App(["trainer", trainer_dir, str(tmp_path / "board.png"), str(stop)], trainer_env)
        for n, (name, company, phone, vid) in enumerate(REPS):
            data, env = str(tmp_path / f"rep{n}"), {**base, PASSWORD_ENV: logins[name][1]}
            text = corpus[vid].text.replace("Tom Becker", name).replace("Summit Payroll", company) \
                .replace("555-736-2044", phone)
            wav = synthesize(text, audio_cache, voice=n)
            cli("profile", "--name", name, "--company", company, "--phone", phone, "--data-dir", data, env=env)
            cli("session", "create", "--name", "Week 1", "--rep", name, "--scenario", "hotel-uniforms",
                "--data-dir", data, env=env)
            cli("team", "join", url(logins[name][0]), "--data-dir", data, env=env)
            apps[name] = App(["rep", data, "Week 1", str(wav), str(tmp_path / f"go{n}"), str(stop)], env)
        for name, *_ in REPS:
            apps[name].wait_for("ready")
        apps["trainer"].wait_for("board")

        first, second, third = (r[0] for r in REPS)
        (tmp_path / "go0").touch()
        saved = {first: apps[first].wait_for("saved")}
        apps[first].wait_for("uploaded", 120)

        postgres.stop()  # the server goes away in the middle of the class
        try:
            (tmp_path / "go1").touch()
            saved[second] = apps[second].wait_for("saved")
            waiting = apps[second].wait_for("waiting", 120)
            assert "1 waiting" in waiting["label"]
        finally:
            postgres.start()
        (tmp_path / "go2").touch()
        saved[third] = apps[third].wait_for("saved")
        for name in (second, third):
            apps[name].wait_for("uploaded", 180)

        board = apps["trainer"]
        deadline = time.time() + 60
        while time.time() < deadline and len(board.drain()[-1]["rows"]) < 3:
            time.sleep(0.2)
        final = board.seen[-1]["rows"]
        assert sorted(login for login, _n, _best in final) == sorted(login for login, _ in logins.values())
        assert all(n == 1 for _login, n, _best in final)

        # seconds from "saved" in a rep's window to the row on the trainer's board
        delays = {}
        for name in (first, third):
            login = logins[name][0]
            shown = next(e for e in board.seen if any(r[0] == login for r in e["rows"]))
            delays[name] = round(shown["updated_at"] - saved[name]["t"], 3)
        report = {"board_delay_s": delays, "server_restart": "attempt saved while the server was stopped uploaded "
                                                             "after it came back"}
        (ROOT / "artifacts").mkdir(exist_ok=True)
        (ROOT / "artifacts" / "team_e2e.json").write_text(json.dumps(report, indent=2))
        print(json.dumps(report))
    finally:
        stop.touch()
        for app in apps.values():
            try:
                app.proc.wait(60)
            except subprocess.TimeoutExpired:
                app.proc.kill()

    with psycopg.connect(team_db, autocommit=True) as admin:
        per_origin = admin.execute("SELECT origin, count(*) FROM attempts GROUP BY origin").fetchall()
        assert len(per_origin) == 3 and all(n == 1 for _o, n in per_origin)  # every attempt, exactly once
        assert admin.execute("SELECT count(*) FROM recordings").fetchone()[0] == 3
    first_login, first_pw = logins[REPS[0][0]]
    with psycopg.connect(url(first_login).replace("@", f":{first_pw}@", 1), autocommit=True) as dave:
        assert [r[0] for r in dave.execute("SELECT login FROM attempts")] == [first_login]
    assert (tmp_path / "board.png").stat().st_size > 10_000
