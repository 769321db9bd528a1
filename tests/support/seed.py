"""A large, realistic history: the labelled corpus graded for real, spread over many reps, scenarios and days."""

from __future__ import annotations

import json
import random
import time

from tests.support.corpus import load_corpus
from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.transcript import Transcript


def graded_corpus(services) -> list[tuple[dict, list[dict]]]:
    """Every corpus voicemail graded by the real grader: (result dict, words)."""
    out = []
    for vm in load_corpus():
        transcript = Transcript.from_text(vm.text)
        result = grade(transcript, vm.rep, vm.prospect, services.rubric).to_dict()
        out.append((result, [{"text": w.text, "start": None, "end": None} for w in transcript.words]))
    return out


def seed_history(services, attempts: int = 10_000, reps: int = 30, seed: int = 7) -> list[int]:
    """Insert ``attempts`` attempts for ``reps`` reps over the last year in one transaction; returns rep ids."""
    rng = random.Random(seed)
    rep_ids = [services.repo.save_rep(RepProfile(f"Rep {n:02d}", "Acme", f"555 010 {n:04d}"), make_active=n == 0).id
               for n in range(reps)]
    scenario_ids = [s.id for s in services.scenarios.scenarios]
    graded = graded_corpus(services)
    now = time.time()
    rows = []
    for n in range(attempts):
        result, words = graded[n % len(graded)]
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - rng.uniform(0, 365 * 86400)))
        rows.append((rng.choice(rep_ids), rng.choice(scenario_ids), result["score"], rng.uniform(18, 55),
                     result["transcript"], json.dumps(words), json.dumps(result["items"]),
                     json.dumps(result["metrics"]), created))
    conn = services.repo.conn
    with services.repo.lock:
        conn.execute("BEGIN")
        conn.executemany(
            """INSERT INTO attempts(rep_id, scenario_id, score, duration_s, transcript, words_json, items_json,
                                    metrics_json, created_at) VALUES (?,?,?,?,?,?,?,?,?)""", rows)
        conn.execute("COMMIT")
    return rep_ids
