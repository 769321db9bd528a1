"""What a bundle may hold, checked field by field: the limits, the manifest's shape, the zip's members."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from voicemail_coach.core import limits

FORMAT = "voicemail-coach-bundle"
VERSION = 1
SUFFIX = ".vcbundle"
MAX_BUNDLE_BYTES = limits.BUNDLE_BYTES  # the file, and all its audio unpacked
MAX_AUDIO_BYTES = limits.AUDIO_BYTES  # one recording: what the app grades and saves, it also exports and imports
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_ATTEMPTS = 5000
MAX_PLAYBOOK_CHARS = 1_000_000  # the default playbook is under 20 kB
MAX_PACKING = 50  # audio is stored, not compressed: a member unpacking to 50× its packed size is a zip bomb
AUDIO_NAME = re.compile(r"audio/(\d{1,6})\.(wav|flac|ogg|mp3)")
SCENARIO_ID = re.compile(r"[A-Za-z0-9_.-]{1,80}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


class BundleError(ValueError):
    """The bundle cannot be imported (or exported); the message says why."""


def check_export(manifest: dict, audio_files: list[tuple[Path, str]]) -> None:
    """Hold the export to the import's rules, so every bundle the app writes it can also read."""
    try:
        validate_manifest(json.loads(json.dumps(manifest)))
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
def need(cond: bool, what: str) -> None:
    if not cond:
        raise BundleError(f"this bundle is not valid: {what}")


def _text(value, name: str, limit: int = limits.FIELD_CHARS, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    need(isinstance(value, str), f"the {name} must be text")
    message = limits.too_long(name, value, limit)
    need(message is None, message or "")
    return value


def _no_constants(name: str):
    raise ValueError(f"{name} is not a number a bundle may hold")


def _number(value, name: str, lo: float, hi: float, optional: bool = True):
    if value is None and optional:
        return None
    need(isinstance(value, (int, float)) and not isinstance(value, bool) and lo <= value <= hi,
          f"{name} must be a number from {lo} to {hi}")
    return value


def _known(value, keys: set[str]) -> bool:
    return isinstance(value, str) and value in keys


def validate_manifest(m) -> None:
    need(isinstance(m, dict) and m.get("format") == FORMAT, "it is not a Voicemail Coach bundle")
    need(m.get("version") == VERSION, f"it was written by another version of the format ({m.get('version')!r})")
    need(m.get("kind") in ("attempt", "session"), "unknown kind")
    reps, attempts = m.get("reps"), m.get("attempts")
    need(isinstance(reps, list) and len(reps) <= 1000, "reps must be a list")
    rep_keys = set()
    for r in reps:
        need(isinstance(r, dict), "a rep must be an object")
        need(_text(r.get("key"), "rep key", 20) not in rep_keys, "two reps share a key")
        need(bool(_text(r.get("name"), "rep name", limits.NAME_CHARS).strip()), "a rep has no name")
        for f in ("company", "phone", "email"):
            _text(r.get(f, ""), f"rep {f}", limits.FIELD_CHARS)
        rep_keys.add(r["key"])
    need(isinstance(attempts, list) and 0 < len(attempts) <= MAX_ATTEMPTS, "attempts must be a non-empty list")
    keys = set()
    for a in attempts:
        need(isinstance(a, dict), "an attempt must be an object")
        key = _text(a.get("key"), "attempt key", 200)
        need(key not in keys, "two attempts share a key")
        keys.add(key)
        need(a.get("rep") is None or _known(a.get("rep"), rep_keys), "an attempt names a rep the bundle does not hold")
        sid = _text(a.get("scenario_id"), "scenario id", 80, optional=True)
        need(sid is None or bool(SCENARIO_ID.fullmatch(sid)), "a scenario id has odd characters")
        need(isinstance(a.get("created_at"), str) and bool(TIMESTAMP.fullmatch(a["created_at"])), "bad created_at")
        need(a.get("status") in ("complete", "recovered"), "bad attempt status")
        _number(a.get("score"), "score", 0, 100)
        _number(a.get("duration_s"), "duration", 0, 3600)
        _number(a.get("touch", 1), "touch", 1, 100, optional=False)
        _text(a.get("clock"), "clock", 40, optional=True)
        _text(a.get("transcript"), "transcript", limits.TRANSCRIPT_CHARS)
        need(isinstance(a.get("words"), list) and len(a["words"]) <= limits.WORDS, f"words must be a list of at most {limits.WORDS:,}")
        for w in a["words"]:
            need(isinstance(w, dict), "a word must be an object")
            _text(w.get("text"), "word", 200)
            _number(w.get("start"), "word start", 0, 3600)
            _number(w.get("end"), "word end", 0, 3600)
        need(isinstance(a.get("items"), list) and len(a["items"]) <= 100, "items must be a list")
        for it in a["items"]:
            need(isinstance(it, dict), "an item must be an object")
            _text(it.get("id"), "item id", 80)
            _text(it.get("label"), "item label", 500)
            need(isinstance(it.get("passed"), bool), "an item has no pass/fail")
            for f in ("evidence", "tip", "flagged", "heard"):
                _text(it.get(f), f"item {f}", limits.TRANSCRIPT_CHARS, optional=True)
            for f in ("start", "end", "flagged_start", "flagged_end", "heard_start", "heard_end"):
                _number(it.get(f), f"item {f}", 0, 3600)
            need(it.get("status") in (None, "passed", "failed", "unsure"), "bad item status")
        need(isinstance(a.get("metrics"), dict) and len(json.dumps(a["metrics"])) <= 10000, "metrics must be an object")
        for key, value in a["metrics"].items():
            _text(key, "metric name", 80)
            _number(value, f"metric {key}", 0, 100_000)
        audio = a.get("audio")
        need(audio is None or (isinstance(audio, str) and bool(AUDIO_NAME.fullmatch(audio))), "bad audio name")
        need(a.get("engine") is None or (isinstance(a["engine"], str) and len(a["engine"]) <= 100), "bad engine")
        need(isinstance(a.get("marks", []), list) and len(a.get("marks", [])) <= 1000, "marks must be a list")
        for mark in a.get("marks", []):
            need(isinstance(mark, dict), "a mark must be an object")
            _text(mark.get("item_id"), "mark item", 80)
            need(isinstance(mark.get("said"), bool), "a mark has no said/not said")
            _text(mark.get("marker", ""), "mark author", limits.NAME_CHARS)
            need(mark.get("role") in ("rep", "trainer"), "a mark's role must be rep or trainer")
            need(mark.get("created_at") is None or bool(TIMESTAMP.fullmatch(str(mark["created_at"]))), "bad mark time")
        need(isinstance(a.get("comments", []), list) and len(a.get("comments", [])) <= limits.COMMENTS_PER_ATTEMPT, "comments must be a list")
        for c in a.get("comments", []):
            need(isinstance(c, dict), "a comment must be an object")
            _number(c.get("at_s"), "comment time", 0, 3600)
            _text(c.get("author", ""), "comment author", limits.NAME_CHARS)
            _text(c.get("text"), "comment", limits.COMMENT_CHARS)
            need(c.get("created_at") is None or bool(TIMESTAMP.fullmatch(str(c["created_at"]))), "bad comment time")
        email = a.get("email")
        if email is not None:
            need(isinstance(email, dict), "email must be an object")
            _text(email.get("text"), "email text", limits.TRANSCRIPT_CHARS)
            _number(email.get("score"), "email score", 0, 100)
            need(isinstance(email.get("items", []), list), "email items must be a list")
    s = m.get("session")
    need((s is not None) == (m["kind"] == "session"), "a session bundle must hold a session")
    if s is not None:
        need(isinstance(s, dict), "session must be an object")
        need(bool(_text(s.get("name"), "session name", limits.NAME_CHARS).strip()), "the session has no name")
        _number(s.get("pass_mark"), "pass mark", 0, 100, optional=False)
        need(s.get("trainer") is None or _known(s["trainer"], rep_keys), "the trainer is not in the bundle")
        need(isinstance(s.get("reps"), list) and all(_known(r, rep_keys) for r in s["reps"]), "session reps unknown")
        need(isinstance(s.get("track"), list) and s["track"] and
              all(isinstance(t, str) and SCENARIO_ID.fullmatch(t) for t in s["track"]), "bad scenario track")
        need(isinstance(s.get("exemplars", {}), dict) and
              all(k in s["track"] and _known(v, keys) for k, v in s.get("exemplars", {}).items()), "bad exemplars")
        if s.get("playbook") is not None:
            _playbook(s["playbook"])


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read a member, stopping as soon as it grows past ``limit`` (headers can lie about sizes)."""
    need(info.file_size <= limit, f"{info.filename} is larger than {limit // 2**20} MB")
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            need(len(out) <= limit, f"{info.filename} is larger than {limit // 2**20} MB")
    return bytes(out)


def _check_members(path: Path, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    need(len(infos) <= MAX_ATTEMPTS + 1, "it holds too many files")
    names = [i.filename for i in infos]
    need(len(set(names)) == len(names), "it holds the same name twice")
    for info in infos:
        need(info.filename == "manifest.json" or bool(AUDIO_NAME.fullmatch(info.filename)),
              f"unexpected file {info.filename!r} (a bundle holds only manifest.json and audio/)")
        need(not info.flag_bits & 0x1, "it is encrypted")
        need((info.external_attr >> 16) & 0o170000 in (0, 0o100000), f"{info.filename} is not a plain file")
        if info.filename != "manifest.json":
            need(info.file_size <= MAX_AUDIO_BYTES,
                  f"{info.filename} is larger than {MAX_AUDIO_BYTES // 2**20} MB, the most a recording may be")
            need(info.file_size <= MAX_PACKING * max(info.compress_size, 1 << 16),
                  f"{info.filename} unpacks to far more than it holds")
    need("manifest.json" in names, "manifest.json is missing")
    total = sum(i.file_size for i in infos)
    need(total <= MAX_BUNDLE_BYTES, f"it unpacks to {total / 2**30:.1f} GB; a bundle holds at most "
                                     f"{MAX_BUNDLE_BYTES // 2**30} GB")


def read_bundle(path: Path) -> dict:
    """The validated manifest, after checking every member's name and size; raises BundleError for anything off.
    Audio is not read here: import streams it to disk."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"there is no file {path}")
    need(path.stat().st_size <= MAX_BUNDLE_BYTES, "the file is larger than any bundle this app writes")
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
            validate_manifest(manifest)
            names = set(zf.namelist())
            wanted = [a["audio"] for a in manifest["attempts"] if a.get("audio")]
            need(set(wanted) <= names, "an attempt's audio file is missing")
            need(len(set(wanted)) == len(wanted), "two attempts share audio")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BundleError(f"{path.name} is damaged: {exc}") from None
    return manifest


def _playbook(p) -> None:
    """A session's playbook: a name and TOML that grades (checked as the playbook editor checks it)."""
    import tomllib

    from voicemail_coach.core.rubric import RubricError
    from voicemail_coach.playbook import check

    need(isinstance(p, dict), "the session's playbook must be an object")
    need(bool(_text(p.get("name"), "playbook name", limits.NAME_CHARS).strip()), "the session's playbook has no name")
    text = _text(p.get("toml"), "playbook", MAX_PLAYBOOK_CHARS)
    try:
        check(tomllib.loads(text), named=False)
    except (tomllib.TOMLDecodeError, RubricError) as exc:
        need(False, f"the session's playbook cannot grade ({exc})")
