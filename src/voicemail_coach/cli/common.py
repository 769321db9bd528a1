"""What every command shares: the one-line error, the parser that raises it, the global options and opening
the app's services."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voicemail_coach.cli.types import database_url, folder
from voicemail_coach.core import limits


class CliError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one plain line instead of usage + traceback-like noise
        raise CliError(f"{message} (see 'voicemail-coach {self.prog.split()[-1] if ' ' in self.prog else ''} --help')".replace("  ", " "))


def common_options(defaults: bool) -> argparse.ArgumentParser:
    # Subcommands accept the global options too; their defaults are suppressed
    # so "--data-dir X grade ..." is not reset by the subcommand's own default.
    common = Parser(add_help=False)
    extra = {} if defaults else {"default": argparse.SUPPRESS}
    common.add_argument("--data-dir", type=folder, help="keep every file the app writes under DIR (also VOICEMAIL_COACH_HOME)", **extra)
    common.add_argument("--database", metavar="URL", type=database_url,
                        help="keep the practice history in this PostgreSQL database (postgresql://user@host/db) "
                             "instead of the file in the data folder; recordings stay in the data folder "
                             "(also VOICEMAIL_COACH_DATABASE)", **extra)
    common.add_argument("--json", action="store_true", help="print JSON instead of text", **extra)
    common.add_argument("--engine", choices=["auto", "moonshine", "faster-whisper"],
                        help="speech engine (default auto: Moonshine where it runs, else faster-whisper; "
                             "also VOICEMAIL_COACH_ENGINE)", **extra)
    return common


def open_services(args, need_database: bool = True):
    from voicemail_coach.services import Services

    services = Services(args.data_dir, getattr(args, "model_dir", None), getattr(args, "engine", None),
                        progress=_progress_line if sys.stderr.isatty() else None,
                        database=getattr(args, "database", None))
    if need_database:
        _ = services.repo  # open (or repair) the database first, so its notice comes before the output
    for notice in services.notices:
        print(f"voicemail-coach: {notice}", file=sys.stderr)
    return services


def _progress_line(what: str, done: float) -> None:
    """Progress of a slow one-off step (preparing the speech model) on one terminal line."""
    end = "\n" if done >= 1.0 else ""
    print(f"\r{what}… {done:4.0%}", end=end, file=sys.stderr, flush=True)


def text_input(path: Path | None, text: str | None, what: str) -> str:
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


def find_rep(services, name: str):
    """The rep called ``name`` (any case), or a one-line error."""
    rep = services.repo.rep_by_name(name)
    if rep is None:
        raise CliError(f"no rep named '{name}'")
    return rep
