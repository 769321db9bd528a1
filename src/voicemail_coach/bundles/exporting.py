"""Writing a bundle: the chosen attempts (or a session's), their audio, comments, marks and email; masked
when the privacy setting asks for it."""

from __future__ import annotations

import json
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from voicemail_coach import __version__
from voicemail_coach.bundles.manifest import FORMAT, VERSION, BundleError, check_export
from voicemail_coach.core.records import HistoryFilter
from voicemail_coach.services import Services


def _install_id(services: Services) -> str:
    value = services.repo.setting("install_id")
    if not value:
        value = uuid.uuid4().hex
        services.repo.set_setting("install_id", value)
    return value


def _silenced(source: Path, spans: list[tuple[float, float]], folder: Path) -> Path:
    """A copy of the recording with ``spans`` (seconds) silenced, padded a little either side."""
    import numpy as np
    import soundfile

    data, rate = soundfile.read(str(source), always_2d=True, dtype="float32")
    for start, end in spans:
        a, b = max(0, int((start - 0.15) * rate)), min(len(data), int((end + 0.15) * rate))
        data[a:b] = 0.0
    target = folder / f"{uuid.uuid4().hex}.wav"
    soundfile.write(str(target), np.ascontiguousarray(data), rate, subtype="PCM_16")
    return target


def export_bundle(services: Services, path: Path, attempt_ids: list[int] | None = None,
                  session_id: int | None = None, mask: bool = False) -> Path:
    """Write the attempts (or the session with all its attempts and exemplars) to one file at ``path``.
    With ``mask``, phone numbers and email addresses are replaced by ••• in every text and silenced in
    the recordings (a recording without word times, where nothing can be located, is left out)."""
    import shutil

    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=services.dirs.data))  # masked copies stay in the data dir
    try:
        return _export(services, Path(path), attempt_ids, session_id, mask, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _export(services: Services, path: Path, attempt_ids: list[int] | None, session_id: int | None, mask: bool,
            scratch: Path) -> Path:
    from voicemail_coach.core.redact import MASK, mask_item, mask_text, mask_timed_words

    repo = services.repo
    manifest: dict = {"format": FORMAT, "version": VERSION, "app_version": __version__,
                      "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                      "kind": "session" if session_id is not None else "attempt", "masked": mask}
    session = None
    if session_id is not None:
        session = services.sessions.get(session_id)
        if session is None:
            raise BundleError(f"there is no session #{session_id}")
        attempt_ids = [r.id for r in repo.rows(HistoryFilter(session_id=session_id))]
        attempt_ids += [a for a in session.exemplars.values() if a not in attempt_ids]
    if not attempt_ids:
        raise BundleError("nothing to export: no attempts were chosen")
    install = _install_id(services)
    reps: dict[int, dict] = {}
    attempts, audio_files = [], []

    def rep_key(rep_id: int | None) -> str | None:
        if rep_id is None:
            return None
        if rep_id not in reps:
            rep = repo.rep_by_id(rep_id)
            if rep is None:
                return None
            p = rep.profile
            reps[rep_id] = {"key": f"r{len(reps) + 1}", "name": p.name, "company": p.company,
                            "phone": MASK if mask and p.phone else p.phone, "email": MASK if mask and p.email else p.email}
        return reps[rep_id]["key"]

    keys: dict[int, str] = {}
    for aid in attempt_ids:
        row = repo.attempt(aid)
        if row is None:
            raise BundleError(f"there is no attempt #{aid}")
        key = row.origin or f"{install}:{aid}"
        keys[aid] = key
        audio_name = None
        source = Path(row.audio_path) if row.audio_path else None
        words, transcript, items = row.words, row.transcript, row.items
        comments = [c.to_json() for c in repo.comments(aid)]
        email = repo.email_for(aid)
        email = email.to_json() if email else None
        if mask:
            words, spans = mask_timed_words(words)
            transcript, items = mask_text(transcript), [mask_item(i) for i in items]
            comments = [{**c, "text": mask_text(c["text"])} for c in comments]
            if email:
                email = {**email, "text": mask_text(email["text"])}
            timed = bool(words) and all(isinstance(w.get("start"), (int, float)) for w in words)
            if source is not None and source.is_file():
                source = _silenced(source, spans, scratch) if timed else None
        if source is not None and source.is_file():
            audio_name = f"audio/{len(audio_files) + 1}{source.suffix.lower() or '.wav'}"
            audio_files.append((source, audio_name))
        attempts.append({
            "key": key, "rep": rep_key(row.rep_id), "scenario_id": row.scenario_id,
            "created_at": row.created_at, "status": row.status, "score": row.score,
            "duration_s": row.duration_s, "transcript": transcript, "words": words,
            "items": items, "metrics": row.metrics, "touch": row.touch or 1, "clock": row.clock,
            "audio": audio_name,
            "comments": comments,
            "marks": [m.to_json() for m in repo.marks(aid)],
            "engine": row.engine,
            "email": email,
        })
    if session is not None:
        manifest["session"] = {
            "name": session.name, "pass_mark": session.pass_mark, "trainer": rep_key(session.trainer_id),
            "reps": [k for k in (rep_key(r) for r in session.rep_ids) if k], "track": session.track,
            "exemplars": {sid: keys[aid] for sid, aid in session.exemplars.items() if aid in keys},
        }
        rules = services.dirs.playbooks / session.playbook if session.playbook else None
        if rules is not None and rules.is_file():  # the session's own checklist travels with it
            manifest["session"]["playbook"] = {"name": rules.stem, "toml": rules.read_text(encoding="utf-8")}
    manifest["reps"] = list(reps.values())
    manifest["attempts"] = attempts
    check_export(manifest, audio_files)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            for source, name in audio_files:
                zf.write(source, name, compress_type=zipfile.ZIP_STORED)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"could not write {path}: {exc.strerror}") from None
    return path
