"""Uploading the outbox: each queued attempt goes to the team server once, with its recording as FLAC.

An attempt leaves the outbox only after the server has it. The server keys attempts by origin (this history's
id and the attempt's local id), so an upload repeated after a lost answer stores nothing twice."""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from voicemail_coach.core.records import SavedAttempt
from voicemail_coach.team import TeamError, TeamLoginRefused, TeamUnreachable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    sent: int = 0  # new on the server
    already: int = 0  # the server had them (an earlier upload whose answer was lost)
    refused: int = 0  # the server said no; they stay queued with its reason
    waiting: int = 0  # still queued afterwards
    error: str | None = None  # why the upload stopped early (the server cannot be reached …)
    signed_out: bool = False  # stopped because the server did not take the login: sign in again
    comments: int = 0  # trainers' comments newly brought into the local history


def flac_of(path: str | None) -> bytes | None:
    """The recording compressed losslessly, or None when it is gone."""
    if not path or not Path(path).is_file():
        return None
    import soundfile as sf

    try:
        data, rate = sf.read(path, dtype="int16", always_2d=False)
    except (RuntimeError, OSError) as exc:  # soundfile reports unreadable files as RuntimeError
        log.warning("recording %s not uploaded: %s", path, exc)
        return None
    out = io.BytesIO()
    sf.write(out, data, rate, format="FLAC", subtype="PCM_16")
    return out.getvalue()


def origin_of(repo, attempt: SavedAttempt) -> str:
    return attempt.origin or f"{repo.install_id()}:{attempt.id}"


def payload(repo, sessions, attempt: SavedAttempt) -> dict:
    session = sessions.get(attempt.session_id) if attempt.session_id is not None else None
    return {
        "origin": origin_of(repo, attempt), "session": session.name if session else None,
        "scenario_id": attempt.scenario_id, "created_at": attempt.created_at, "touch": attempt.touch,
        "status": attempt.status, "score": attempt.score, "duration_s": attempt.duration_s,
        "transcript": attempt.transcript, "words": attempt.words, "items": attempt.items,
        "metrics": attempt.metrics, "engine": attempt.engine,
    }


def upload_waiting(repo, sessions, client) -> SyncResult:
    """Send every queued attempt, oldest first; stop at the first sign that the server cannot be reached."""
    sent = already = refused = 0
    error, signed_out = None, False
    for attempt_id in repo.waiting_uploads():
        attempt = repo.attempt(attempt_id)
        if attempt is None:
            repo.uploaded(attempt_id)
            continue
        try:
            server_id = client.upload(payload(repo, sessions, attempt), flac_of(attempt.audio_path))
        except (TeamUnreachable, TeamLoginRefused) as exc:
            error, signed_out = str(exc), isinstance(exc, TeamLoginRefused)
            break
        except TeamError as exc:
            repo.upload_failed(attempt_id, str(exc))
            refused += 1
            continue
        repo.uploaded(attempt_id)
        if server_id is None:
            already += 1
        else:
            sent += 1
    return SyncResult(sent, already, refused, len(repo.waiting_uploads()), error, signed_out)


RETRY_S = (2.0, 4.0, 8.0, 15.0, 30.0)  # soon after a short drop, then no more than twice a minute
LOOK_AGAIN_S = 60.0  # with nothing to send: how often to look for a trainer's new comments


def pull_comments(repo, client) -> int:
    """Bring the trainers' comments on this machine's attempts into the local history, once each;
    returns how many are new here."""
    prefix = f"{repo.install_id()}:"
    added = 0
    for origin, at_s, author, text, created_at in client.comments_on_mine():
        local = repo.attempt_by_origin(origin)
        if local is None and origin.startswith(prefix) and origin[len(prefix):].isdigit():
            local = int(origin[len(prefix):])
        if local is None or repo.attempt(local) is None:
            continue
        if any(c.author == author and c.text == text and c.at_s == at_s for c in repo.comments(local)):
            continue
        repo.add_comment(local, text, at_s, author, created_at)
        added += 1
    return added


class Uploader:
    """Keeps the outbox flowing in the background while the app runs: uploads when kicked (an attempt was
    saved) and, while attempts wait, tries again after ``RETRY_S``. ``on_result`` is called from its thread."""

    def __init__(self, repo, sessions, make_client, on_result=None):
        self.repo, self.sessions, self.make_client = repo, sessions, make_client
        self.on_result = on_result or (lambda result: None)
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="team-uploader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def kick(self) -> None:
        self._kick.set()

    def stop(self, wait_s: float = 5.0) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread.is_alive():
            self._thread.join(wait_s)

    def _run(self) -> None:
        client, failures = None, 0
        while not self._stop.is_set():
            try:
                client = client or self.make_client()
                result = upload_waiting(self.repo, self.sessions, client)
                if not result.error:
                    result = replace(result, comments=pull_comments(self.repo, client))
            except TeamError as exc:
                result = SyncResult(waiting=len(self.repo.waiting_uploads()), error=str(exc),
                                    signed_out=isinstance(exc, TeamLoginRefused))
            except Exception as exc:  # a storage error must not end the thread: say it and try again later
                log.warning("upload stopped: %s", exc)
                result = SyncResult(error=str(exc))
            self.on_result(result)
            if result.signed_out:
                break  # the same password would be refused again: wait for the rep to sign in
            failures = failures + 1 if result.waiting or result.error else 0
            self._kick.wait(RETRY_S[min(failures, len(RETRY_S)) - 1] if failures else LOOK_AGAIN_S)
            self._kick.clear()
        if client is not None:
            client.close()
