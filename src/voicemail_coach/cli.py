"""Command line: the desktop app by default, subcommands for grading and history."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from voicemail_coach import __version__
from voicemail_coach.cli_types import attempt_id, folder, seconds
from voicemail_coach.core import limits


class CliError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one plain line instead of usage + traceback-like noise
        raise CliError(f"{message} (see 'voicemail-coach {self.prog.split()[-1] if ' ' in self.prog else ''} --help')".replace("  ", " "))


def _common_options(defaults: bool) -> argparse.ArgumentParser:
    # Subcommands accept the global options too; their defaults are suppressed
    # so "--data-dir X grade ..." is not reset by the subcommand's own default.
    common = _Parser(add_help=False)
    extra = {} if defaults else {"default": argparse.SUPPRESS}
    common.add_argument("--data-dir", type=folder, help="keep every file the app writes under DIR (also VOICEMAIL_COACH_HOME)", **extra)
    common.add_argument("--json", action="store_true", help="print JSON instead of text", **extra)
    common.add_argument("--engine", choices=["auto", "moonshine", "faster-whisper"],
                        help="speech engine (default auto: Moonshine where it runs, else faster-whisper; "
                             "also VOICEMAIL_COACH_ENGINE)", **extra)
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(defaults=False)

    parser = _Parser(
        prog="voicemail-coach",
        description="Rehearse the prospecting voicemail until it is good. With no command, opens the desktop app.",
        parents=[_common_options(defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"voicemail-coach {__version__}")
    parser.add_argument("--scenario", help="open the app on this scenario")
    parser.add_argument("--model-dir", type=Path, help="a local CTranslate2 Whisper model folder to use instead of tiny.en")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    g = sub.add_parser("grade", parents=[common], help="grade a voicemail (audio file, text or transcript file)")
    src = g.add_mutually_exclusive_group(required=True)
    src.add_argument("audio", nargs="?", type=Path, help="a recording (WAV, FLAC, OGG or MP3)")
    src.add_argument("--text", help="the voicemail as text")
    src.add_argument("--transcript", type=Path, help="a text file holding the voicemail")
    g.add_argument("--scenario", help="scenario id (prospect and target length)")
    for flag in ("rep-name", "rep-company", "rep-phone", "rep-email", "prospect-name", "prospect-company"):
        g.add_argument(f"--{flag}")
    g.add_argument("--save", action="store_true", help="store the attempt in the history")
    g.add_argument("--session", help="with --save: count the attempt in this onboarding session (name or id)")
    g.add_argument("--model-dir", type=Path, help="a local CTranslate2 Whisper model folder")

    e = sub.add_parser("grade-email", parents=[common], help="grade the follow-up email of a saved attempt")
    e.add_argument("--attempt", type=attempt_id, required=True, help="the attempt id (see 'voicemail-coach history')")
    body = e.add_mutually_exclusive_group(required=True)
    body.add_argument("--text", help="the email as text")
    body.add_argument("--file", type=Path, help="a text file holding the email")
    body.add_argument("--draft", action="store_true", help="print a draft built from the voicemail instead")
    e.add_argument("--save", action="store_true", help="keep the email with the attempt")

    sub.add_parser("scenarios", parents=[common], help="list the scenarios")

    p = sub.add_parser("profile", parents=[common], help="create or update the active rep profile")
    p.add_argument("--name")
    p.add_argument("--company")
    p.add_argument("--phone")
    p.add_argument("--email")

    h = sub.add_parser("history", parents=[common], help="past attempts, newest first")
    h.add_argument("--rep", help="only this rep's attempts")
    h.add_argument("--limit", type=int, default=0)

    from voicemail_coach.cli_review import add_parsers

    add_parsers(sub, common)
    return parser


# --------------------------------------------------------------------- commands
def open_services(args, need_database: bool = True):
    from voicemail_coach.services import Services

    services = Services(args.data_dir, getattr(args, "model_dir", None), getattr(args, "engine", None),
                        progress=_progress_line if sys.stderr.isatty() else None)
    if need_database:
        _ = services.repo  # open (or repair) the database first, so its notice comes before the output
    for notice in services.notices:
        print(f"voicemail-coach: {notice}", file=sys.stderr)
    return services


def _progress_line(what: str, done: float) -> None:
    """Progress of a slow one-off step (preparing the speech model) on one terminal line."""
    end = "\n" if done >= 1.0 else ""
    print(f"\r{what}… {done:4.0%}", end=end, file=sys.stderr, flush=True)


def _profile_from(args, services):
    from voicemail_coach.core.people import RepProfile
    from voicemail_coach.storage.db import StorageError

    rep_id = None
    base = RepProfile()
    wanted = args.rep_name
    try:
        existing = services.repo.rep_by_name(wanted) if wanted else services.repo.active_rep()
    except StorageError as exc:
        if getattr(args, "save", False):
            raise
        # grading text or a file needs no database: go on with the details given here
        print(f"voicemail-coach: {exc}; grading with the details on the command line only", file=sys.stderr)
        existing = None
    if existing:
        rep_id, base = existing.id, existing.profile
    profile = RepProfile(
        name=args.rep_name or base.name,
        company=args.rep_company if args.rep_company is not None else base.company,
        phone=args.rep_phone if args.rep_phone is not None else base.phone,
        email=args.rep_email if args.rep_email is not None else base.email,
    )
    return rep_id, profile


def _text_input(path: Path | None, text: str | None, what: str) -> str:
    """The text given with --text, or read from a file; a plain error when neither is usable."""
    if path is not None:
        try:
            if not path.is_file():  # a device or a FIFO would be read forever
                raise CliError(f"{path}: no such file" if not path.exists() else f"{path}: is not a regular file")
            with path.open("rb") as f:
                data = f.read(limits.TRANSCRIPT_CHARS + 1)
            if len(data) > limits.TRANSCRIPT_CHARS:
                raise CliError(f"{path}: is larger than {limits.TRANSCRIPT_CHARS // 1000} KB; a {what} is a few hundred words")
            text = data.decode("utf-8")
        except PermissionError:
            raise CliError(f"{path}: you do not have permission to read it") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"{path}: cannot be read as text ({exc.__class__.__name__})") from None
    if not text or not text.strip():
        raise CliError(f"the {what} text is empty")
    if message := limits.too_long(f"{what} text", text, limits.TRANSCRIPT_CHARS):
        raise CliError(message)
    return text


def cmd_grade(args) -> int:
    from voicemail_coach.core.grader import grade
    from voicemail_coach.core.people import Prospect
    from voicemail_coach.core.transcript import Transcript

    services = open_services(args, need_database=args.save)
    scenario = None
    if args.scenario:
        scenario = services.scenarios.get(args.scenario)
        if scenario is None:
            raise CliError(f"unknown scenario '{args.scenario}' (run 'voicemail-coach scenarios' to list them)")
    rep_id, rep = _profile_from(args, services)
    base = scenario.prospect if scenario else Prospect()
    prospect = Prospect(
        args.prospect_name or base.name, args.prospect_company or base.company, base.title
    )
    timings: dict = {"transcribe_s": 0.0}
    words_json: list[dict] = []
    engine = None
    if args.audio is not None:
        from voicemail_coach.audio.files import load_for_speech

        t0 = time.perf_counter()
        audio = load_for_speech(args.audio)
        told = len(services.notices)
        transcriber = services.load_transcriber()
        for notice in services.notices[told:]:  # the engine fell back
            print(f"voicemail-coach: {notice}", file=sys.stderr)
        transcript = transcriber.transcribe_audio(audio, [rep.name, rep.company, prospect.name, prospect.company])
        timings["transcribe_s"] = round(time.perf_counter() - t0, 3)
        timings["model_load_s"] = round(transcriber.load_seconds or 0.0, 3)
        engine = transcriber.label
        from voicemail_coach.practice import words_json as timed_words

        words_json = timed_words(transcript)
    else:
        transcript = Transcript.from_text(_text_input(args.transcript, args.text, "voicemail"))
    t0 = time.perf_counter()
    result = grade(transcript, rep, prospect, services.rubric, scenario.target_s if scenario else None)
    timings["grade_s"] = round(time.perf_counter() - t0, 4)
    out = result.to_dict()
    out["timings"] = timings
    if engine:
        out["engine"] = engine
    session_id = None
    if args.session:
        from voicemail_coach.cli_review import find_session

        if not args.save:
            raise CliError("--session needs --save")
        session_id = find_session(services, args.session).id
    if args.save:
        if rep.name and (problems := rep.problems()):
            raise CliError(f"not saved: {problems[0][1]} (fix it with --rep-{problems[0][0]} or 'voicemail-coach profile')")
        stored_rep = services.repo.save_rep(rep, make_active=rep_id is None and services.repo.active_rep() is None) if rep.name else None
        audio_copy = services.repo.new_recording_path(args.audio) if args.audio is not None else None
        out["attempt_id"] = services.repo.add_attempt(
            stored_rep.id if stored_rep else rep_id, scenario.id if scenario else None, out, words_json, audio_copy,
            session_id=session_id, engine=engine, copy_from=args.audio,
        )
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(format_scorecard(out))
    return 0


def format_scorecard(out: dict) -> str:
    unsure = out.get("unconfirmed", 0)
    note = f" ({unsure} item{'s' if unsure != 1 else ''} not confirmed: listen, and mark whether you said it)" if unsure else ""
    lines = [f"Score: {out['score']}/100{note}", ""]
    for item in out["items"]:
        mark = {"passed": "PASS", "unsure": "NOT SURE"}.get(item.get("status"), "MISS")
        where = f" at {item['start']:.1f}s" if item.get("start") is not None and item["passed"] else ""
        detail = f'"{item["evidence"]}"{where}' if item["passed"] and item["evidence"] else item["tip"]
        lines.append(f"  [{mark}] {item['label']}: {detail}")
    m = out["metrics"]
    lines.append("")
    facts = [f"{m['word_count']} words"] if "duration_s" not in m and "word_count" in m else []
    if m.get("duration_s") is not None:
        facts.append(f"{m['duration_s']:.1f} s")
    if m.get("words_per_minute") is not None:
        facts.append(f"{m['words_per_minute']:.0f} words/min")
    facts.append(f"{m.get('filler_words', 0)} filler words")
    lines.append("  " + ", ".join(facts))
    lines.append("")
    lines.append("Transcript: " + out["transcript"])
    return "\n".join(lines)


def cmd_grade_email(args) -> int:
    from voicemail_coach.practice import Practice

    practice = Practice(open_services(args))
    try:
        if args.draft:
            draft = practice.draft_email(args.attempt)
            print(json.dumps({"subject": draft.subject, "body": draft.body}, indent=2) if args.json else draft.text)
            return 0
        result = practice.grade_email(args.attempt, _text_input(args.file, args.text, "email"), save=args.save)
    except LookupError as exc:
        raise CliError(str(exc)) from None
    out = result.to_dict()
    out["attempt_id"] = args.attempt
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(format_scorecard(out))
    return 0


def cmd_scenarios(args) -> int:
    services = open_services(args)
    found = services.scenarios
    if args.json:
        print(json.dumps({"scenarios": [s.to_dict() for s in found.scenarios], "problems": [str(p) for p in found.problems]}, indent=2))
        return 0
    for s in found.scenarios:
        mark = "" if s.source == "built-in" else "  (yours)"
        print(f"{s.id:24} {s.prospect.name}, {s.prospect.title or 'prospect'} at {s.prospect.company} — {s.title}{mark}")
    for problem in found.problems:
        print(f"skipped {problem}", file=sys.stderr)
    return 0


def cmd_profile(args) -> int:
    from voicemail_coach.core.people import RepProfile

    services = open_services(args)
    current = services.repo.active_rep()
    if not any((args.name, args.company, args.phone, args.email)):
        if current is None:
            raise CliError("no profile yet: create one with --name, --company and --phone")
        data = current.profile.to_dict()
    else:
        base = current.profile if current and (not args.name or args.name.lower() == current.profile.name.lower()) else RepProfile()
        profile = RepProfile(
            args.name or base.name, args.company if args.company is not None else base.company,
            args.phone if args.phone is not None else base.phone, args.email if args.email is not None else base.email,
        )
        if problems := profile.problems():
            raise CliError(problems[0][1] + (" (--name)" if problems[0][0] == "name" else ""))
        services.repo.save_rep(profile, make_active=True)
        data = profile.to_dict()
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(f"{k:8} {v}" for k, v in data.items()))
    return 0


def cmd_history(args) -> int:
    services = open_services(args)
    rep_id = None
    if args.rep:
        rep = services.repo.rep_by_name(args.rep)
        if rep is None:
            raise CliError(f"no rep named '{args.rep}'")
        rep_id = rep.id
    rows = services.repo.history(rep_id, args.limit or None)
    if args.json:
        keys = ("id", "created_at", "rep", "scenario_id", "score", "duration_s", "transcript", "items")
        print(json.dumps([{k: r[k] for k in keys} for r in rows], indent=2))
        return 0
    if not rows:
        print("No attempts yet.")
    for r in rows:
        dur = f"{r['duration_s']:.0f} s" if r["duration_s"] is not None else "text"
        print(f"#{r['id']:<5} {r['created_at']}  {r['rep'] or '-':20} {r['scenario_id'] or '-':22} {'-' if r['score'] is None else r['score']:>3}  {dur}")
    return 0


def _no_display() -> bool:
    """On Linux/BSD the window needs an X11 or Wayland display (or a Qt platform chosen by hand)."""
    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_app(args) -> int:
    if _no_display():
        raise CliError("no display found, so the window cannot open; the command line works without one: "
                       "'voicemail-coach grade FILE.wav' (see 'voicemail-coach --help')")
    try:
        from voicemail_coach.ui.app import run
    except ImportError as exc:
        if "voicemail_coach.ui.app" not in str(exc):
            raise CliError(f"the desktop app cannot start: {exc}") from None
        build_parser().print_help()
        return 0
    return run(data_dir=args.data_dir, scenario_id=args.scenario, model_dir=args.model_dir, engine=args.engine)


COMMANDS = {"grade": cmd_grade, "grade-email": cmd_grade_email, "scenarios": cmd_scenarios, "profile": cmd_profile, "history": cmd_history}


def main(argv: list[str] | None = None) -> int:
    if os.name == "posix":
        os.umask(0o077)  # recordings, transcripts and the database are the rep's own: folders 0700, files 0600
    from voicemail_coach.audio.files import AudioFileError
    from voicemail_coach.bundles import BundleError
    from voicemail_coach.core.rubric import RubricError
    from voicemail_coach.speech.model import ModelError
    from voicemail_coach.speech.transcriber import NoSpeechError
    from voicemail_coach.storage.db import StorageError

    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return open_app(args)
        from voicemail_coach.cli_review import COMMANDS as REVIEW

        return {**COMMANDS, **REVIEW}[args.command](args)
    except CliError as exc:
        print(f"voicemail-coach: {exc}", file=sys.stderr)
        return 2
    except (AudioFileError, NoSpeechError, ModelError, StorageError, RubricError, BundleError) as exc:
        print(f"voicemail-coach: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and cut short
        sys.stderr.close()
        return 0
