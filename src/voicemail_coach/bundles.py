"""Review bundles: an attempt or a whole session as one file (audio, transcript, results, trainer comments)
that opens in the same views on another machine.

A bundle is a zip holding ``manifest.json`` and ``audio/<n>.<ext>``, nothing else. Import trusts none of it:
member names are checked against that shape, sizes are capped while reading, the manifest is validated
field by field, audio must decode, files are written under new names inside the recordings folder, and the
database changes in one transaction, so a bad bundle is refused with a plain message and changes nothing.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from voicemail_coach import __version__
from voicemail_coach.core import limits
from voicemail_coach.core.people import RepProfile
from voicemail_coach.services import Services
from voicemail_coach.storage.db import os_reason
from voicemail_coach.storage.sessions import SessionStore

FORMAT = "voicemail-coach-bundle"
VERSION = 1
SUFFIX = ".vcbundle"
MAX_BUNDLE_BYTES = limits.BUNDLE_BYTES  # the file, and all its audio unpacked
MAX_AUDIO_BYTES = limits.AUDIO_BYTES  # one recording: what the app grades and saves, it also exports and imports
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_ATTEMPTS = 5000
MAX_PACKING = 50  # audio is stored, not compressed: a member unpacking to 50× its packed size is a zip bomb
AUDIO_NAME = re.compile(r"audio/(\d{1,6})\.(wav|flac|ogg|mp3)")
SCENARIO_ID = re.compile(r"[A-Za-z0-9_.-]{1,80}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


class BundleError(ValueError):
    """The bundle cannot be imported (or exported); the message says why."""


@dataclass
class ImportSummary:
    attempts: int = 0
    skipped: int = 0  # already here from an earlier import of the same bundle
    reps_created: list[str] = field(default_factory=list)
    session_id: int | None = None
    session_name: str | None = None
    attempt_ids: list[int] = field(default_factory=list)


# ------------------------------------------------------------------ export
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
        from voicemail_coach.storage.repository import HistoryFilter

        session = SessionStore(repo).get(session_id)
        if session is None:
            raise BundleError(f"there is no session #{session_id}")
        attempt_ids = [r[0] for r in repo.rows(HistoryFilter(session_id=session_id))]
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
        key = row.get("origin") or f"{install}:{aid}"
        keys[aid] = key
        audio_name = None
        source = Path(row["audio_path"]) if row.get("audio_path") else None
        words, transcript, items = row["words"], row["transcript"], row["items"]
        comments = [{k: c[k] for k in ("at_s", "author", "text", "created_at")} for c in repo.comments(aid)]
        email = repo.email_for(aid)
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
            "key": key, "rep": rep_key(row["rep_id"]), "scenario_id": row["scenario_id"],
            "created_at": row["created_at"], "status": row["status"], "score": row["score"],
            "duration_s": row["duration_s"], "transcript": transcript, "words": words,
            "items": items, "metrics": row["metrics"], "touch": row.get("touch") or 1, "clock": row.get("clock"),
            "audio": audio_name,
            "comments": comments,
            "marks": [{k: m[k] for k in ("item_id", "said", "marker", "role", "created_at")} for m in repo.marks(aid)],
            "engine": row.get("engine"),
            "email": email,
        })
    if session is not None:
        manifest["session"] = {
            "name": session.name, "pass_mark": session.pass_mark, "trainer": rep_key(session.trainer_id),
            "reps": [k for k in (rep_key(r) for r in session.rep_ids) if k], "track": session.track,
            "exemplars": {sid: keys[aid] for sid, aid in session.exemplars.items() if aid in keys},
        }
    manifest["reps"] = list(reps.values())
    manifest["attempts"] = attempts
    _check_export(manifest, audio_files)
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


def _check_export(manifest: dict, audio_files: list[tuple[Path, str]]) -> None:
    """Hold the export to the import's rules, so every bundle the app writes it can also read."""
    try:
        _validate_manifest(json.loads(json.dumps(manifest)))
    except BundleError as exc:
        raise BundleError(str(exc).replace("this bundle is not valid", "cannot export", 1)) from None
    total = 0
    for source, _name in audio_files:
        size = source.stat().st_size
        total += size
        if size > MAX_AUDIO_BYTES:
            raise BundleError(f"cannot export: {source.name} is larger than {MAX_AUDIO_BYTES // 2**20} MB")
    if total > MAX_BUNDLE_BYTES:
        raise BundleError(f"cannot export: the recordings add up to {total / 2**30:.1f} GB; a bundle holds at most "
                          f"{MAX_BUNDLE_BYTES // 2**30} GB. Export fewer attempts at a time")


# ------------------------------------------------------------------ import
def _need(cond: bool, what: str) -> None:
    if not cond:
        raise BundleError(f"this bundle is not valid: {what}")


def _text(value, name: str, limit: int = limits.FIELD_CHARS, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    _need(isinstance(value, str), f"the {name} must be text")
    message = limits.too_long(name, value, limit)
    _need(message is None, message or "")
    return value


def _no_constants(name: str):
    raise ValueError(f"{name} is not a number a bundle may hold")


def _number(value, name: str, lo: float, hi: float, optional: bool = True):
    if value is None and optional:
        return None
    _need(isinstance(value, (int, float)) and not isinstance(value, bool) and lo <= value <= hi,
          f"{name} must be a number from {lo} to {hi}")
    return value


def _known(value, keys: set[str]) -> bool:
    return isinstance(value, str) and value in keys


def _validate_manifest(m) -> None:
    _need(isinstance(m, dict) and m.get("format") == FORMAT, "it is not a Voicemail Coach bundle")
    _need(m.get("version") == VERSION, f"it was written by another version of the format ({m.get('version')!r})")
    _need(m.get("kind") in ("attempt", "session"), "unknown kind")
    reps, attempts = m.get("reps"), m.get("attempts")
    _need(isinstance(reps, list) and len(reps) <= 1000, "reps must be a list")
    rep_keys = set()
    for r in reps:
        _need(isinstance(r, dict), "a rep must be an object")
        _need(_text(r.get("key"), "rep key", 20) not in rep_keys, "two reps share a key")
        _need(bool(_text(r.get("name"), "rep name", limits.NAME_CHARS).strip()), "a rep has no name")
        for f in ("company", "phone", "email"):
            _text(r.get(f, ""), f"rep {f}", limits.FIELD_CHARS)
        rep_keys.add(r["key"])
    _need(isinstance(attempts, list) and 0 < len(attempts) <= MAX_ATTEMPTS, "attempts must be a non-empty list")
    keys = set()
    for a in attempts:
        _need(isinstance(a, dict), "an attempt must be an object")
        key = _text(a.get("key"), "attempt key", 200)
        _need(key not in keys, "two attempts share a key")
        keys.add(key)
        _need(a.get("rep") is None or _known(a.get("rep"), rep_keys), "an attempt names a rep the bundle does not hold")
        sid = _text(a.get("scenario_id"), "scenario id", 80, optional=True)
        _need(sid is None or bool(SCENARIO_ID.fullmatch(sid)), "a scenario id has odd characters")
        _need(isinstance(a.get("created_at"), str) and bool(TIMESTAMP.fullmatch(a["created_at"])), "bad created_at")
        _need(a.get("status") in ("complete", "recovered"), "bad attempt status")
        _number(a.get("score"), "score", 0, 100)
        _number(a.get("duration_s"), "duration", 0, 3600)
        _number(a.get("touch", 1), "touch", 1, 100, optional=False)
        _text(a.get("clock"), "clock", 40, optional=True)
        _text(a.get("transcript"), "transcript", limits.TRANSCRIPT_CHARS)
        _need(isinstance(a.get("words"), list) and len(a["words"]) <= limits.WORDS, f"words must be a list of at most {limits.WORDS:,}")
        for w in a["words"]:
            _need(isinstance(w, dict), "a word must be an object")
            _text(w.get("text"), "word", 200)
            _number(w.get("start"), "word start", 0, 3600)
            _number(w.get("end"), "word end", 0, 3600)
        _need(isinstance(a.get("items"), list) and len(a["items"]) <= 100, "items must be a list")
        for it in a["items"]:
            _need(isinstance(it, dict), "an item must be an object")
            _text(it.get("id"), "item id", 80)
            _text(it.get("label"), "item label", 500)
            _need(isinstance(it.get("passed"), bool), "an item has no pass/fail")
            for f in ("evidence", "tip", "flagged", "heard"):
                _text(it.get(f), f"item {f}", limits.TRANSCRIPT_CHARS, optional=True)
            for f in ("start", "end", "flagged_start", "flagged_end", "heard_start", "heard_end"):
                _number(it.get(f), f"item {f}", 0, 3600)
            _need(it.get("status") in (None, "passed", "failed", "unsure"), "bad item status")
        _need(isinstance(a.get("metrics"), dict) and len(json.dumps(a["metrics"])) <= 10000, "metrics must be an object")
        for key, value in a["metrics"].items():
            _text(key, "metric name", 80)
            _number(value, f"metric {key}", 0, 100_000)
        audio = a.get("audio")
        _need(audio is None or (isinstance(audio, str) and bool(AUDIO_NAME.fullmatch(audio))), "bad audio name")
        _need(a.get("engine") is None or (isinstance(a["engine"], str) and len(a["engine"]) <= 100), "bad engine")
        _need(isinstance(a.get("marks", []), list) and len(a.get("marks", [])) <= 1000, "marks must be a list")
        for mark in a.get("marks", []):
            _need(isinstance(mark, dict), "a mark must be an object")
            _text(mark.get("item_id"), "mark item", 80)
            _need(isinstance(mark.get("said"), bool), "a mark has no said/not said")
            _text(mark.get("marker", ""), "mark author", limits.NAME_CHARS)
            _need(mark.get("role") in ("rep", "trainer"), "a mark's role must be rep or trainer")
            _need(mark.get("created_at") is None or bool(TIMESTAMP.fullmatch(str(mark["created_at"]))), "bad mark time")
        _need(isinstance(a.get("comments", []), list) and len(a.get("comments", [])) <= limits.COMMENTS_PER_ATTEMPT, "comments must be a list")
        for c in a.get("comments", []):
            _need(isinstance(c, dict), "a comment must be an object")
            _number(c.get("at_s"), "comment time", 0, 3600)
            _text(c.get("author", ""), "comment author", limits.NAME_CHARS)
            _text(c.get("text"), "comment", limits.COMMENT_CHARS)
            _need(c.get("created_at") is None or bool(TIMESTAMP.fullmatch(str(c["created_at"]))), "bad comment time")
        email = a.get("email")
        if email is not None:
            _need(isinstance(email, dict), "email must be an object")
            _text(email.get("text"), "email text", limits.TRANSCRIPT_CHARS)
            _number(email.get("score"), "email score", 0, 100)
            _need(isinstance(email.get("items", []), list), "email items must be a list")
    s = m.get("session")
    _need((s is not None) == (m["kind"] == "session"), "a session bundle must hold a session")
    if s is not None:
        _need(isinstance(s, dict), "session must be an object")
        _need(bool(_text(s.get("name"), "session name", limits.NAME_CHARS).strip()), "the session has no name")
        _number(s.get("pass_mark"), "pass mark", 0, 100, optional=False)
        _need(s.get("trainer") is None or _known(s["trainer"], rep_keys), "the trainer is not in the bundle")
        _need(isinstance(s.get("reps"), list) and all(_known(r, rep_keys) for r in s["reps"]), "session reps unknown")
        _need(isinstance(s.get("track"), list) and s["track"] and
              all(isinstance(t, str) and SCENARIO_ID.fullmatch(t) for t in s["track"]), "bad scenario track")
        _need(isinstance(s.get("exemplars", {}), dict) and
              all(k in s["track"] and _known(v, keys) for k, v in s.get("exemplars", {}).items()), "bad exemplars")


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read a member, stopping as soon as it grows past ``limit`` (headers can lie about sizes)."""
    _need(info.file_size <= limit, f"{info.filename} is larger than {limit // 2**20} MB")
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            _need(len(out) <= limit, f"{info.filename} is larger than {limit // 2**20} MB")
    return bytes(out)


def _check_members(path: Path, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    _need(len(infos) <= MAX_ATTEMPTS + 1, "it holds too many files")
    names = [i.filename for i in infos]
    _need(len(set(names)) == len(names), "it holds the same name twice")
    for info in infos:
        _need(info.filename == "manifest.json" or bool(AUDIO_NAME.fullmatch(info.filename)),
              f"unexpected file {info.filename!r} (a bundle holds only manifest.json and audio/)")
        _need(not info.flag_bits & 0x1, "it is encrypted")
        _need((info.external_attr >> 16) & 0o170000 in (0, 0o100000), f"{info.filename} is not a plain file")
        if info.filename != "manifest.json":
            _need(info.file_size <= MAX_AUDIO_BYTES,
                  f"{info.filename} is larger than {MAX_AUDIO_BYTES // 2**20} MB, the most a recording may be")
            _need(info.file_size <= MAX_PACKING * max(info.compress_size, 1 << 16),
                  f"{info.filename} unpacks to far more than it holds")
    _need("manifest.json" in names, "manifest.json is missing")
    total = sum(i.file_size for i in infos)
    _need(total <= MAX_BUNDLE_BYTES, f"it unpacks to {total / 2**30:.1f} GB; a bundle holds at most "
                                     f"{MAX_BUNDLE_BYTES // 2**30} GB")


def read_bundle(path: Path) -> dict:
    """The validated manifest, after checking every member's name and size; raises BundleError for anything off.
    Audio is not read here: import streams it to disk."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"there is no file {path}")
    _need(path.stat().st_size <= MAX_BUNDLE_BYTES, "the file is larger than any bundle this app writes")
    if not zipfile.is_zipfile(path):
        raise BundleError(f"{path.name} is not a Voicemail Coach bundle (not a zip file)")
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(path, zf)
            try:
                manifest = json.loads(_read_capped(zf, zf.getinfo("manifest.json"), MAX_MANIFEST_BYTES),
                                      parse_constant=_no_constants)
            except (UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
                raise BundleError("this bundle is not valid: manifest.json is not plain JSON "
                                  "(it is damaged, nested too deeply, or holds a number JSON cannot)") from None
            _validate_manifest(manifest)
            names = set(zf.namelist())
            wanted = [a["audio"] for a in manifest["attempts"] if a.get("audio")]
            _need(set(wanted) <= names, "an attempt's audio file is missing")
            _need(len(set(wanted)) == len(wanted), "two attempts share audio")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BundleError(f"{path.name} is damaged: {exc}") from None
    return manifest


def _unpack_audio(zf: zipfile.ZipFile, name: str, target: Path) -> None:
    """Stream one recording to ``target`` (a staged name), capped while writing, then check that it decodes."""
    import soundfile

    written = 0
    try:
        with zf.open(name) as src, open(target, "wb") as out:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                _need(written <= MAX_AUDIO_BYTES, f"{name} is larger than {MAX_AUDIO_BYTES // 2**20} MB")
                out.write(chunk)
    except OSError as exc:
        raise BundleError(f"could not write the recordings to {target.parent}: {os_reason(exc)}") from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise BundleError(f"the bundle is damaged: {name} cannot be unpacked ({exc})") from None
    try:
        info = soundfile.info(str(target))
    except Exception:
        raise BundleError(f"this bundle is not valid: {name} is not readable audio") from None
    _need(0 < info.frames and info.duration <= limits.RECORDING_SECONDS,
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
                    staged[a["audio"]] = (repo.stage(final), final)
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
            if not repo.conn.in_transaction:
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
    store = SessionStore(services.repo)
    name = s["name"].strip()
    base, n = name, 1
    while store.find(name) is not None:
        n += 1
        name = f"{base} (imported{'' if n == 2 else f' {n - 1}'})"
    conn = services.repo.conn
    session_id = conn.execute("INSERT INTO sessions(name, trainer_id, pass_mark) VALUES (?,?,?)",
                              (name, rep_ids.get(s.get("trainer")), int(s["pass_mark"]))).lastrowid
    conn.executemany("INSERT OR IGNORE INTO session_reps(session_id, rep_id) VALUES (?,?)",
                     [(session_id, rep_ids[r]) for r in s["reps"]])
    exemplars = s.get("exemplars", {})
    conn.executemany("INSERT OR IGNORE INTO session_track(session_id, position, scenario_id, exemplar_id) VALUES (?,?,?,?)",
                     [(session_id, i, sid, attempt_ids.get(exemplars.get(sid))) for i, sid in enumerate(s["track"])])
    exemplar_ids = {attempt_ids.get(k) for k in exemplars.values()}
    conn.executemany("UPDATE attempts SET session_id = ? WHERE id = ?",
                     [(session_id, aid) for aid in attempt_ids.values() if aid not in exemplar_ids])
    return session_id, name
