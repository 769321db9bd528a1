"""Command line: the desktop app by default, subcommands for grading, history, sessions, reports and bundles.

Each module holds one group of commands and its parsers; this one builds the parser and runs a command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from voicemail_coach import __version__
from voicemail_coach.cli import grading, listing, review, team
from voicemail_coach.cli.common import CliError, Parser, common_options, open_services
from voicemail_coach.cli.types import attempt_id

__all__ = ["CliError", "build_parser", "main", "open_services"]

COMMANDS = {"grade": grading.cmd_grade, "grade-email": grading.cmd_grade_email, "scenarios": listing.cmd_scenarios,
            "profile": listing.cmd_profile, "history": listing.cmd_history, **review.COMMANDS, **team.COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    common = common_options(defaults=False)

    parser = Parser(
        prog="voicemail-coach",
        description="Rehearse the prospecting voicemail until it is good. With no command, opens the desktop app.",
        parents=[common_options(defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"voicemail-coach {__version__}")
    parser.add_argument("--scenario", help="open the app on this scenario")
    parser.add_argument("--model-dir", type=Path, help="a local CTranslate2 Whisper model folder to use instead of tiny.en")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

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
    g.add_argument("--phone-line", action="store_true",
                   help="with a recording: also hear each reading of the number through a phone line "
                        "(the 'Number survives the phone line' item; about half a second more per reading)")

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

    review.add_parsers(sub, common)
    team.add_parsers(sub, common)
    return parser


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
    return run(data_dir=args.data_dir, scenario_id=args.scenario, model_dir=args.model_dir, engine=args.engine,
               database=args.database)


def main(argv: list[str] | None = None) -> int:
    if os.name == "posix":
        os.umask(0o077)  # recordings, transcripts and the database are the rep's own: folders 0700, files 0600
    from voicemail_coach.audio.files import AudioFileError
    from voicemail_coach.bundles import BundleError
    from voicemail_coach.core.rubric import RubricError
    from voicemail_coach.reports import ReportError
    from voicemail_coach.speech.model import ModelError
    from voicemail_coach.speech.transcriber import NoSpeechError
    from voicemail_coach.storage import StorageError

    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return open_app(args)
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"voicemail-coach: {exc}", file=sys.stderr)
        return 2
    except (AudioFileError, NoSpeechError, ModelError, StorageError, RubricError, BundleError, ReportError) as exc:
        print(f"voicemail-coach: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and cut short
        sys.stderr.close()
        return 0
