"""Bringing a bundle in: audio staged under new names, rows stored in one transaction, a session re-created
under a free name; importing the same bundle twice stores each attempt once."""

from __future__ import annotations

import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from voicemail_coach.bundles.manifest import MAX_AUDIO_BYTES, BundleError, need, read_bundle
from voicemail_coach.core import limits
from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.records import Session
from voicemail_coach.services import Services
from voicemail_coach.storage import os_reason


@dataclass
class ImportSummary:
    attempts: int = 0
    skipped: int = 0  # already here from an earlier import of the same bundle
    reps_created: list[str] = field(default_factory=list)
    session_id: int | None = None
    session_name: str | None = None
    attempt_ids: list[int] = field(default_factory=list)


def _unpack_audio(zf: zipfile.ZipFile, name: str, target: Path) -> None:
    """Stream one recording to ``target`` (a staged name), capped while writing, then check that it decodes."""
    import soundfile

    written = 0
    try:
        with zf.open(name) as src, open(target, "wb") as out:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                need(written <= MAX_AUDIO_BYTES, f"{name} is larger than {MAX_AUDIO_BYTES // 2**20} MB")
                out.write(chunk)
    except OSError as exc:
        raise BundleError(f"could not write the recordings to {target.parent}: {os_reason(exc)}") from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise BundleError(f"the bundle is damaged: {name} cannot be unpacked ({exc})") from None
    try:
        info = soundfile.info(str(target))
    except Exception:
        raise BundleError(f"this bundle is not valid: {name} is not readable audio") from None
    need(0 < info.frames and info.duration <= limits.RECORDING_SECONDS,
          f"{name} is empty or longer than {limits.RECORDING_SECONDS // 60} minutes")


def _room_for(folder: Path, needed: int) -> None:
    import shutil

    free = shutil.disk_usage(folder).free
    if free < needed + 64 * 1024 * 1024:
        raise BundleError(f"the disk holding {folder} has {free / 2**20:,.0f} MB free; this bundle needs "
                          f"{needed / 2**20:,.0f} MB. Free some space and import again")


def import_bundle(services: Services, path: Path) -> ImportSummary:
    """Bring a bundle's reps, attempts (audio copied in), comments and session into this data dir.

    Audio is unpacked to staged names first and renamed only inside the database transaction, just before
    it commits; anything left over from a crash is swept at the next start."""
    manifest = read_bundle(path)
    repo = services.repo
    recordings = services.dirs.recordings
    recordings.mkdir(mode=0o700, parents=True, exist_ok=True)
    new = [a for a in manifest["attempts"] if repo.attempt_by_origin(a["key"]) is None]
    staged: dict[str, tuple[Path, Path]] = {}  # audio name -> (staged file, final file)
    try:
        with zipfile.ZipFile(path) as zf:
            _room_for(recordings, sum(zf.getinfo(a["audio"]).file_size for a in new if a.get("audio")))
            for a in new:
                if a.get("audio"):
                    final = recordings / f"{uuid.uuid4().hex}{Path(a['audio']).suffix}"
                    staged[a["audio"]] = (repo.files.stage(final), final)
                    _unpack_audio(zf, a["audio"], staged[a["audio"]][0])
        with repo.transaction():
            used: set[str] = set()
            summary = _store(services, manifest, {k: v[1] for k, v in staged.items()}, used)
            for name, (part, final) in staged.items():
                if name in used:
                    part.replace(final)
                else:  # imported by another window meanwhile
                    part.unlink()
    except BaseException:
        for part, final in staged.values():
            part.unlink(missing_ok=True)
            if not repo.in_transaction:
                final.unlink(missing_ok=True)
        raise
    return summary


def _store(services: Services, manifest: dict, audio: dict[str, Path], used: set[str]) -> ImportSummary:
    """The database half of an import, inside the caller's transaction."""
    repo = services.repo
    summary = ImportSummary()
    rep_ids: dict[str, int] = {}
    for r in manifest["reps"]:
        existing = repo.rep_by_name(r["name"].strip())
        if existing is None:
            profile = RepProfile(r["name"].strip(), r.get("company", ""), r.get("phone", ""), r.get("email", ""))
            existing = repo.save_rep(profile, make_active=False)
            summary.reps_created.append(profile.name)
        rep_ids[r["key"]] = existing.id
    attempt_ids: dict[str, int] = {}
    for a in manifest["attempts"]:
        known = repo.attempt_by_origin(a["key"])
        if known is not None:
            attempt_ids[a["key"]] = known
            summary.skipped += 1
            continue
        result = {"score": a["score"], "items": a["items"], "metrics": a["metrics"], "transcript": a["transcript"]}
        used.add(a.get("audio") or "")
        new_id = repo.add_attempt(rep_ids.get(a.get("rep")), a.get("scenario_id"), result, a["words"],
                                  audio.get(a.get("audio") or ""), status=a["status"], touch=a.get("touch", 1),
                                  clock=a.get("clock"), created_at=a["created_at"], origin=a["key"],
                                  engine=a.get("engine"))
        attempt_ids[a["key"]] = new_id
        summary.attempt_ids.append(new_id)
        summary.attempts += 1
        for c in a.get("comments", []):
            repo.add_comment(new_id, c["text"], c.get("at_s"), c.get("author", ""), c.get("created_at"))
        for m in a.get("marks", []):
            repo.add_mark(new_id, m["item_id"], m["said"], m.get("marker", ""), m["role"], m.get("created_at"))
        if a.get("email"):
            repo.save_email(new_id, a["email"]["text"], {"score": a["email"].get("score"),
                                                         "items": a["email"].get("items", [])})
    s = manifest.get("session")
    if s is not None:
        summary.session_id, summary.session_name = _import_session(services, s, rep_ids, attempt_ids)
    return summary


def _import_session(services: Services, s: dict, rep_ids: dict[str, int], attempt_ids: dict[str, int]):
    store = services.sessions
    exemplars = {sid: attempt_ids[key] for sid, key in s.get("exemplars", {}).items() if key in attempt_ids}
    rules = _keep_playbook(services, s["playbook"]) if s.get("playbook") else None
    session = Session(None, store.free_name(s["name"].strip()), int(s["pass_mark"]), rep_ids.get(s.get("trainer")),
                      None, [rep_ids[r] for r in s["reps"]], list(s["track"]), exemplars, rules)
    counted = [aid for aid in attempt_ids.values() if aid not in exemplars.values()]
    return store.add(session, counted), session.name


def _keep_playbook(services: Services, p: dict) -> str:
    """The session's playbook saved among this machine's (the same file reused when it is already there,
    never one of the same name overwritten); its file name."""
    from voicemail_coach.core.rubric import RubricError
    from voicemail_coach.playbook import file_name

    folder = services.dirs.playbooks
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        base = file_name(p["name"]).removesuffix(".toml")
    except RubricError:  # a name with nothing a file name can hold
        base = "imported-playbook"
    for n in range(1, 1000):
        name = f"{base}.toml" if n == 1 else f"{base}-{n}.toml"
        path = folder / name
        if not path.exists():
            path.write_text(p["toml"], encoding="utf-8")
            return name
        if path.read_text(encoding="utf-8") == p["toml"]:
            return name
    raise BundleError("too many playbooks of that name in this data folder")
