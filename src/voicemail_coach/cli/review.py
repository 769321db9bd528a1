"""Command line for review and onboarding: sessions, reports, review bundles and trainer comments."""

from __future__ import annotations

import json
from pathlib import Path

from voicemail_coach.cli.common import CliError, find_rep, open_services
from voicemail_coach.cli.types import attempt_id, seconds
from voicemail_coach.core import limits
from voicemail_coach.privacy import mask_exports


def add_parsers(sub, common) -> None:
    x = sub.add_parser("export", parents=[common], help="a session or rep report as PDF or CSV")
    who = x.add_mutually_exclusive_group(required=True)
    who.add_argument("--session", help="session name or id")
    who.add_argument("--rep", help="rep name")
    x.add_argument("--format", choices=("pdf", "csv"), help="pdf or csv (default: from the output's extension)")
    x.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    x.add_argument("--mask", action="store_true", help="replace phone numbers and emails by •••")

    pv = sub.add_parser("privacy", parents=[common],
                        help="how long recordings are kept, masked exports, deleting a rep (without options: show)")
    pv.add_argument("--keep-days", type=int, help="delete recordings older than this many days (0: keep for ever); "
                                                  "scores and transcripts stay")
    pv.add_argument("--mask-exports", choices=("on", "off"), help="mask phone numbers and emails in every export")
    pv.add_argument("--delete-rep", metavar="NAME", help="delete a rep and all their attempts, recordings and comments")
    pv.add_argument("--yes", action="store_true", help="confirm --delete-rep (it cannot be undone)")

    s = sub.add_parser("session", parents=[common], help="onboarding sessions: create, list, show, exemplar")
    ssub = s.add_subparsers(dest="action", required=True)
    c = ssub.add_parser("create", parents=[common], help="create a session")
    c.add_argument("--name", required=True)
    c.add_argument("--rep", action="append", required=True, help="a rep's name (repeat; new names are created)")
    c.add_argument("--scenario", action="append", required=True, help="a scenario id on the track (repeat, in order)")
    c.add_argument("--pass-mark", type=int, default=80)
    c.add_argument("--trainer", help="the trainer's rep profile name")
    c.add_argument("--playbook", help="grade the session with this saved playbook (its name; default: the one in use)")
    ssub.add_parser("list", parents=[common], help="every session")
    sh = ssub.add_parser("show", parents=[common], help="a session's board")
    sh.add_argument("session", help="name or id")
    ex = ssub.add_parser("exemplar", parents=[common], help="make an attempt the exemplar of a track scenario")
    ex.add_argument("session", help="name or id")
    ex.add_argument("--attempt", type=attempt_id, required=True)

    b = sub.add_parser("bundle", parents=[common], help="review bundles: one file to take attempts to another machine")
    bsub = b.add_subparsers(dest="action", required=True)
    be = bsub.add_parser("export", parents=[common], help="write attempts or a session to a bundle")
    what = be.add_mutually_exclusive_group(required=True)
    what.add_argument("--attempt", type=attempt_id, action="append", help="an attempt id (repeat for more)")
    what.add_argument("--session", help="session name or id")
    be.add_argument("-o", "--output", type=Path, required=True)
    be.add_argument("--mask", action="store_true", help="replace phone numbers and emails by ••• (and silence them)")
    bi = bsub.add_parser("import", parents=[common], help="bring a bundle's attempts into this history")
    bi.add_argument("bundle", type=Path)

    k = sub.add_parser("comment", parents=[common], help="add a trainer comment to an attempt, or list them")
    k.add_argument("--attempt", type=attempt_id, required=True)
    k.add_argument("--at", type=seconds, help="seconds into the recording")
    k.add_argument("--text", help="the comment (without it, the comments are listed)")
    k.add_argument("--author", default="")

    m = sub.add_parser("mark", parents=[common], help="say whether an item was said (\"I said it\" / \"I didn't\"), or list marks")
    m.add_argument("--attempt", type=attempt_id, required=True)
    m.add_argument("--item", help="checklist item id, e.g. number_twice")
    said = m.add_mutually_exclusive_group()
    said.add_argument("--said", action="store_true", help="it was said")
    said.add_argument("--not-said", action="store_true", help="it was not said")
    m.add_argument("--by", help="who marks it (default: the active profile)")
    m.add_argument("--role", choices=("rep", "trainer"),
                   help="default: rep when the marker is the attempt's rep, trainer otherwise")

    lab = sub.add_parser("labels", parents=[common], help="marked attempts as labelled corpus entries")
    lsub = lab.add_subparsers(dest="action", required=True)
    le = lsub.add_parser("export", parents=[common], help="write the marked attempts as corpus TOML")
    le.add_argument("-o", "--output", type=Path, required=True)
    le.add_argument("--rep", help="only this rep's attempts")


def find_session(services, key: str):

    found = services.sessions.find(key)
    if found is None:
        raise CliError(f"no session named '{key}' (see 'voicemail-coach session list')")
    return found


def cmd_export(args) -> int:
    from voicemail_coach.reports import write_report
    from voicemail_coach.reports.build import rep_report, session_report

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "csv"):
        raise CliError("say --format pdf or --format csv (or name the output .pdf or .csv)")
    if not args.output.parent.is_dir():
        raise CliError(f"the folder {args.output.parent} does not exist")
    services = open_services(args)
    if args.session:
        report = session_report(services, find_session(services, args.session), args.mask or mask_exports(services.repo))
    else:
        rep = find_rep(services, args.rep)
        report = rep_report(services, rep, args.mask or mask_exports(services.repo))
    write_report(report, fmt, args.output)
    print(json.dumps({"output": str(args.output), "format": fmt}) if args.json else f"Wrote {args.output}")
    return 0


def cmd_privacy(args) -> int:
    from voicemail_coach import privacy

    services = open_services(args)
    repo = services.repo
    done: dict = {}
    if args.keep_days is not None:
        try:
            done["recordings_deleted"] = privacy.set_keep_days(repo, args.keep_days)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    if args.mask_exports is not None:
        privacy.set_mask_exports(repo, args.mask_exports == "on")
    if args.delete_rep:
        rep = find_rep(services, args.delete_rep)
        footprint = repo.rep_footprint(rep.id)
        if not args.yes:
            raise CliError(f"this deletes {rep.profile.name}, {footprint['attempts']} attempt(s), "
                           f"{footprint['recordings']} recording(s) and {footprint['comments']} comment(s) for good; "
                           "add --yes to go ahead")
        done["deleted"] = {"rep": rep.profile.name, **repo.delete_rep(rep.id)}
    state = {"keep_recordings_days": privacy.keep_days(repo), "mask_exports": privacy.mask_exports(repo), **done}
    if args.json:
        print(json.dumps(state))
    else:
        days = state["keep_recordings_days"]
        print(f"Recordings kept: {'for ever' if not days else f'{days} days'} (scores and transcripts always stay)")
        print(f"Exports mask phone numbers and emails: {'yes' if state['mask_exports'] else 'no'}")
        if done.get("recordings_deleted"):
            print(f"Deleted {done['recordings_deleted']} older recording(s).")
        if "deleted" in done:
            d = done["deleted"]
            print(f"Deleted {d['rep']}: {d['attempts']} attempt(s), {d['recordings']} recording(s), "
                  f"{d['comments']} comment(s).")
    return 0


def cmd_session(args) -> int:
    from voicemail_coach.core.people import RepProfile
    from voicemail_coach.reports.build import board_for

    services = open_services(args)
    repo, store = services.repo, services.sessions
    if args.action == "create":
        for sid in args.scenario:
            if services.scenarios.get(sid) is None:
                raise CliError(f"unknown scenario '{sid}' (see 'voicemail-coach scenarios')")
        for n in args.rep + ([args.trainer] if args.trainer else []):
            if problems := RepProfile(n.strip()).problems():
                raise CliError(f"{problems[0][1]} ('{n[:40]}')")
        rep_ids = [(repo.rep_by_name(n) or repo.save_rep(RepProfile(n), make_active=False)).id for n in args.rep]
        trainer = None
        if args.trainer:
            trainer = repo.rep_by_name(args.trainer) or repo.save_rep(RepProfile(args.trainer), make_active=False)
        playbook_file = None
        if args.playbook:
            from voicemail_coach.playbook import saved

            found = {p.stem.lower(): p.name for p in saved(services.dirs)}
            playbook_file = found.get(args.playbook.lower().removesuffix(".toml"))
            if playbook_file is None:
                raise CliError(f"there is no saved playbook '{args.playbook}' (saved: {', '.join(found) or 'none'})")
        session = store.create(args.name, rep_ids, args.scenario, args.pass_mark, trainer.id if trainer else None,
                               playbook_file)
        print(json.dumps({"id": session.id, "name": session.name}) if args.json
              else f"Created session #{session.id} “{session.name}”.")
        return 0
    if args.action == "list":
        sessions = store.all()
        if args.json:
            print(json.dumps([{"id": s.id, "name": s.name, "pass_mark": s.pass_mark, "reps": len(s.rep_ids),
                               "track": s.track, "created_at": s.created_at} for s in sessions], indent=2))
        for s in [] if args.json else sessions:
            print(f"#{s.id:<4} {s.name:30} {len(s.rep_ids)} reps · {len(s.track)} scenarios · pass mark {s.pass_mark}")
        if not sessions and not args.json:
            print("No sessions yet.")
        return 0
    session = find_session(services, args.session)
    if args.action == "exemplar":
        row = repo.attempt(args.attempt)
        if row is None:
            raise CliError(f"there is no attempt #{args.attempt}")
        store.set_exemplar(session.id, row.scenario_id or "", args.attempt)
        print(f"Attempt #{args.attempt} is the exemplar for {row.scenario_id}.")
        return 0
    board = board_for(services, session)
    cells = {f"{rep}|{sid}": board.cell(rid, sid) for rid, rep in board.reps for sid in board.track}
    if args.json:
        print(json.dumps({"id": session.id, "name": session.name, "pass_mark": session.pass_mark,
                          "track": session.track, "reps": [n for _, n in board.reps],
                          "cells": {k: {"best": c.best, "attempts": c.attempts, "passed": c.passed}
                                    for k, c in cells.items()}}, indent=2))
        return 0
    print(f"{session.name} — pass mark {session.pass_mark}")
    print(f"{'':20}" + "".join(f"{sid[:18]:>20}" for sid in board.track))
    for rid, rep in board.reps:
        line = "".join(f"{('-' if c.best is None else f'{c.best}{chr(10003) if c.passed else chr(10007)} ({c.attempts})'):>20}"
                       for c in (board.cell(rid, s) for s in board.track))
        print(f"{rep[:20]:20}{line}")
    return 0


def cmd_bundle(args) -> int:
    from voicemail_coach.bundles import export_bundle, import_bundle

    services = open_services(args)
    if args.action == "export":
        session_id = find_session(services, args.session).id if args.session else None
        export_bundle(services, args.output, attempt_ids=args.attempt, session_id=session_id,
                      mask=args.mask or mask_exports(services.repo))
        print(json.dumps({"output": str(args.output)}) if args.json else f"Wrote {args.output}")
        return 0
    summary = import_bundle(services, args.bundle)
    if args.json:
        print(json.dumps({"attempts": summary.attempts, "skipped": summary.skipped, "attempt_ids": summary.attempt_ids,
                          "reps_created": summary.reps_created, "session_id": summary.session_id,
                          "session": summary.session_name}))
    else:
        print(f"Imported {summary.attempts} attempt(s)"
              + (f", {summary.skipped} already here" if summary.skipped else "")
              + (f"; session “{summary.session_name}”" if summary.session_name else "") + ".")
    return 0


def cmd_comment(args) -> int:
    from voicemail_coach.core.transcript import mmss

    services = open_services(args)
    if services.repo.attempt(args.attempt) is None:
        raise CliError(f"there is no attempt #{args.attempt}")
    if args.text is not None:
        if not args.text.strip():
            raise CliError("the comment is empty")
        for what, text, limit in (("comment", args.text.strip(), limits.COMMENT_CHARS),
                                  ("author name", args.author, limits.NAME_CHARS)):
            if message := limits.too_long(what, text, limit):
                raise CliError(message)
        services.repo.add_comment(args.attempt, args.text.strip(), args.at, args.author)
    comments = services.repo.comments(args.attempt)
    if args.json:
        print(json.dumps([{"id": c.id, **c.to_json()} for c in comments], indent=2))
    else:
        for c in comments:
            print(f"{mmss(c.at_s, '--:--')}  {c.author or 'Trainer'}: {c.text}")
    return 0


def cmd_mark(args) -> int:
    from voicemail_coach.core.rubric import CONTENT_ITEMS

    services = open_services(args)
    repo = services.repo
    row = repo.attempt(args.attempt)
    if row is None:
        raise CliError(f"there is no attempt #{args.attempt}")
    if args.item is None:
        marks = repo.marks(args.attempt)
        if args.json:
            print(json.dumps([{"id": mk.id, **mk.to_json()} for mk in marks], indent=2))
            return 0
        for mk in marks:
            print(f"{mk.created_at}  {mk.item_id:16} {'said' if mk.said else 'not said':9} by {mk.marker or '?'} ({mk.role})")
        if not marks:
            print("No marks on this attempt.")
        return 0
    if args.item not in CONTENT_ITEMS:
        raise CliError(f"unknown item '{args.item}'; marks are for {', '.join(CONTENT_ITEMS)}")
    if not (args.said or args.not_said):
        raise CliError("say --said or --not-said")
    active = repo.active_rep()
    marker = (args.by or (active.profile.name if active else "")).strip()[:200]
    attempt_rep = repo.rep_by_id(row.rep_id)
    role = args.role or ("rep" if attempt_rep and attempt_rep.profile.name.lower() == marker.lower() else "trainer")
    repo.add_mark(args.attempt, args.item, args.said, marker, role)
    print(f"Marked {args.item} on attempt #{args.attempt} as {'said' if args.said else 'not said'} "
          f"(by {marker or 'someone'}, {role}).")
    return 0


def cmd_labels(args) -> int:
    from voicemail_coach.core.labels import attempt_labels, corpus_entry

    services = open_services(args)
    repo = services.repo
    rep_id = find_rep(services, args.rep).id if args.rep else None
    entries = []
    for marked in repo.marked_attempt_ids(rep_id):
        row = repo.attempt(marked)
        marks = repo.labels(marked)
        labels, unlabelled = attempt_labels(row.items, marks)
        rep = repo.rep_by_id(row.rep_id)
        scenario = services.scenarios.get(row.scenario_id or "")
        prospect = {"name": scenario.prospect.name, "company": scenario.prospect.company} if scenario else {}
        profile = rep.profile if rep else None
        rep_fields = {"name": profile.name, "company": profile.company, "phone": profile.phone,
                      "email": profile.email} if profile else {}
        who = [f"{m.marker or '?'} ({m.role}) {m.item_id}={'said' if m.said else 'not said'} {m.created_at}"
               for m in marks.values()]
        entries.append(corpus_entry(marked, row.audio_path, row.transcript, rep_fields, prospect,
                                    labels, unlabelled, who))
    header = "# Labelled voicemails from marked attempts (voicemail-coach labels export).\n\n"
    try:
        args.output.write_text(header + "\n".join(entries), encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror}") from None
    print(f"Wrote {len(entries)} labelled attempt{'s' if len(entries) != 1 else ''} to {args.output}")
    return 0


COMMANDS = {"export": cmd_export, "privacy": cmd_privacy, "session": cmd_session, "bundle": cmd_bundle, "comment": cmd_comment,
            "mark": cmd_mark, "labels": cmd_labels}
