"""A class under load on one team server: many reps upload attempts at once while a trainer's board follows.

Starts its own PostgreSQL (Debian's binaries, as the tests do), sets up a team, and lets REPS simulated reps
(threads, each on its own login and connection) upload ATTEMPTS attempts each, with real recordings: corpus
voicemails spoken by espeak-ng / flite and compressed to FLAC as the app does. A trainer listens for the
server's notifications and reads the session's board after each (coalesced while one read is under way).
Prints JSON:

- insert_s: one upload (attempt row + FLAC recording, row-level security, triggers, notification) under load
- board_refresh_s: from an upload's commit to the trainer's board holding it; board_query_s: the read alone
- server_bytes_per_attempt: table, index and TOAST bytes on the server, over the attempts stored
- baseline: the same rows inserted one at a time by the database owner into a plain table without policies or
  triggers, against our upload one at a time on the same server: the ratio is what the team rules cost

    python benchmarks/team_load.py [--reps 50] [--attempts 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import _common  # noqa: F401


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 4) if ordered else float("nan")


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": pct(values, 0.5), "p95": pct(values, 0.95), "max": pct(values, 1.0)}


def recordings(n: int) -> list[tuple[bytes, float]]:
    """FLAC bytes, seconds and WAV bytes (16 kHz mono, as the app records) of ``n`` corpus voicemails."""
    import soundfile as sf

    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.team.sync import flac_of

    folder = Path(tempfile.gettempdir()) / "voicemail-coach-corpus-audio"
    out = []
    for i, vm in enumerate(load_corpus()[:n]):
        wav = synthesize(vm.text, folder, voice=i % 4)
        info = sf.info(str(wav))
        if info.samplerate != 16000:  # the app records at 16 kHz: compress what it would store
            wav = _at_16k(wav)
        out.append((flac_of(str(wav)), info.duration))
    return out


def _at_16k(wav: Path) -> Path:
    import soundfile as sf

    from voicemail_coach.audio.files import load_for_speech

    out = wav.with_name(wav.stem + "-16k.wav")
    if not out.exists():
        sf.write(out, load_for_speech(wav), 16000, subtype="PCM_16")
    return out


def attempt(origin: str, n: int, session: str | None = "Load class") -> dict:
    return {"origin": origin, "session": session, "scenario_id": f"scenario-{n % 3}",
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "touch": 1, "status": "complete",
            "score": 40 + (n * 7) % 60, "duration_s": 30.0, "transcript": "Hi Chloe, this is a rep " * 8,
            "words": [{"w": "hi", "s": 0.1, "e": 0.3}] * 60, "items": [{"id": "rep_name", "passed": True}] * 12,
            "metrics": {"duration_s": 30.0, "words_per_minute": 150}, "engine": "moonshine"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--attempts", type=int, default=20)
    ap.add_argument("--baseline", type=int, default=100, help="uploads one at a time, each way")
    args = ap.parse_args()

    import psycopg

    from tests.support import postgres as pg
    from voicemail_coach.team.client import TeamClient
    from voicemail_coach.team.server import init

    blobs = recordings(6)
    server = pg.start_server()
    try:
        db = server.create_database("load")
        base = f"postgresql://{{}}@127.0.0.1:{server.port}/load"
        trainer, trainer_pw = init(db, "Load team", "Trainer", login="load_trainer")
        tara = TeamClient(base.format(trainer), trainer_pw)
        logins = [(f"load_rep_{i}", f"pw-{i}") for i in range(args.reps)]
        for login, pw in logins:
            tara.add_member(login, login.replace("_", " ").title(), "", "rep", pw)
        session_id = tara.create_session("Load class", [login for login, _ in logins])
        tara.add_member("load_solo", "Solo Rep", "", "rep", "pw-solo")  # the baseline's rep, in no session
        member = tara.whoami()

        # --- baseline: one at a time, plain table as the owner vs our upload as a rep
        with psycopg.connect(db, autocommit=True) as owner:
            owner.execute("CREATE TABLE plain_attempts (LIKE attempts INCLUDING DEFAULTS)")
            owner.execute("CREATE TABLE plain_recordings (attempt_id bigint, flac bytea)")
            plain = []
            for n in range(args.baseline):
                a, flac = attempt(f"plain:{n}", n), blobs[n % len(blobs)][0]
                t0 = time.perf_counter()
                with owner.transaction():
                    row = owner.execute(
                        "INSERT INTO plain_attempts(origin, login, team_id, created_at, score, transcript, words, "
                        "items, metrics) VALUES (%s, %s, 1, %s, %s, %s, %s, %s, %s) RETURNING id",
                        (a["origin"], logins[0][0], a["created_at"], a["score"], a["transcript"],
                         json.dumps(a["words"]), json.dumps(a["items"]), json.dumps(a["metrics"]))).fetchone()
                    owner.execute("INSERT INTO plain_recordings VALUES (%s, %s)", (row[0], flac))
                plain.append(time.perf_counter() - t0)
        solo = TeamClient(base.format("load_solo"), "pw-solo")
        ours = []
        for n in range(args.baseline):
            t0 = time.perf_counter()
            solo.upload(attempt(f"solo:{n}", n, session=None), blobs[n % len(blobs)][0])
            ours.append(time.perf_counter() - t0)
        solo.close()

        # --- the class: every rep uploading at once, the trainer's board following
        committed: dict[int, float] = {}
        refresh, queries, stop = [], [], threading.Event()
        pending: list[int] = []
        lock = threading.Lock()

        def heard(note):
            with lock:
                pending.append(note["id"])

        def board_reader():
            while not stop.is_set() or pending:
                with lock:
                    batch = pending[:]
                    pending.clear()
                if not batch:
                    time.sleep(0.002)
                    continue
                t0 = time.perf_counter()
                tara.board(session_id)
                done = time.time()
                queries.append(time.perf_counter() - t0)
                for attempt_id in batch:
                    while attempt_id not in committed and not stop.is_set():
                        time.sleep(0.001)  # the uploader's own clock reading comes a moment after the commit
                    if attempt_id in committed:
                        refresh.append(done - committed[attempt_id])

        listener = threading.Thread(target=tara.listen, args=(member.team_id, heard, stop.is_set, 0.05))
        reader = threading.Thread(target=board_reader)
        listener.start()
        reader.start()
        time.sleep(0.5)
        inserts: list[float] = []
        failures: list[str] = []

        def rep(index: int):
            login, pw = logins[index]
            client = TeamClient(base.format(login), pw)
            try:
                for n in range(args.attempts):
                    flac = blobs[(index + n) % len(blobs)][0]
                    t0 = time.perf_counter()
                    server_id = client.upload(attempt(f"{login}:{n}", n), flac)
                    inserts.append(time.perf_counter() - t0)
                    committed[server_id] = time.time()
            except Exception as exc:
                failures.append(f"{login}: {exc}")
            finally:
                client.close()

        t0 = time.perf_counter()
        reps = [threading.Thread(target=rep, args=(i,)) for i in range(args.reps)]
        for thread in reps:
            thread.start()
        for thread in reps:
            thread.join()
        wall = time.perf_counter() - t0
        time.sleep(1.0)
        stop.set()
        listener.join(10)
        reader.join(30)

        with psycopg.connect(db, autocommit=True) as owner:
            stored = owner.execute("SELECT count(*) FROM attempts WHERE session_id = %s", (session_id,)).fetchone()[0]
            server_bytes = owner.execute(
                "SELECT pg_total_relation_size('attempts') + pg_total_relation_size('recordings')").fetchone()[0]
            all_rows = owner.execute("SELECT count(*) FROM attempts").fetchone()[0]
            flac_bytes = owner.execute("SELECT avg(octet_length(flac)) FROM recordings").fetchone()[0]
        tara.close()
        seconds = statistics.mean(d for _b, d in blobs)
        print(json.dumps({
            "reps": args.reps, "attempts_each": args.attempts, "stored": stored, "failures": failures[:5],
            "wall_s": round(wall, 2), "attempts_per_s": round(stored / wall, 1),
            "insert_s": summary(inserts), "board_refresh_s": summary(refresh), "board_query_s": summary(queries),
            "board_reads": len(queries), "notifications_heard": len(refresh),
            "server_bytes_per_attempt": round(server_bytes / all_rows),
            "flac_bytes_per_attempt": round(float(flac_bytes)), "recording_seconds_mean": round(seconds, 1),
            "wav_bytes_per_attempt": round(seconds * 16000 * 2),
            "baseline": {"plain_insert_s": summary(plain), "our_upload_s": summary(ours),
                         "p50_ratio": round(pct(ours, 0.5) / pct(plain, 0.5), 2),
                         "p95_ratio": round(pct(ours, 0.95) / pct(plain, 0.95), 2)},
        }, indent=2))
    finally:
        pg.remove(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
