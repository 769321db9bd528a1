"""Grading from the command line: a recording, a transcript or text, and the follow-up email. The same use
cases as the app (Practice), printed as a scorecard or JSON."""

from __future__ import annotations

import json
import sys
import time

from voicemail_coach.cli.common import CliError, open_services, text_input


def _profile_from(args, services):
    from voicemail_coach.core.people import RepProfile
    from voicemail_coach.storage import StorageError

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


def cmd_grade(args) -> int:
    from voicemail_coach.core.people import Prospect
    from voicemail_coach.core.transcript import Transcript
    from voicemail_coach.practice import Practice

    services = open_services(args, need_database=args.save)
    practice = Practice(services)
    scenario = None
    if args.scenario:
        scenario = services.scenarios.get(args.scenario)
        if scenario is None:
            raise CliError(f"unknown scenario '{args.scenario}' (run 'voicemail-coach scenarios' to list them)")
    rep_id, rep = _profile_from(args, services)
    base = scenario.prospect if scenario else Prospect()
    prospect = Prospect(args.prospect_name or base.name, args.prospect_company or base.company, base.title)
    session_id = None
    if args.session:
        from voicemail_coach.cli.review import find_session

        if not args.save:
            raise CliError("--session needs --save")
        session_id = find_session(services, args.session).id
    timings: dict = {"transcribe_s": 0.0}
    engine = None
    if args.audio is not None:
        t0 = time.perf_counter()
        told = len(services.notices)
        transcript = practice.transcribe_file(args.audio, rep, prospect, session_id)
        for notice in services.notices[told:]:  # the engine fell back
            print(f"voicemail-coach: {notice}", file=sys.stderr)
        timings["transcribe_s"] = round(time.perf_counter() - t0, 3)
        timings["model_load_s"] = round(services.transcriber.load_seconds or 0.0, 3)
        engine = services.transcriber.label
    else:
        transcript = Transcript.from_text(text_input(args.transcript, args.text, "voicemail"))
    t0 = time.perf_counter()
    result = practice.grade_transcript(transcript, rep, scenario, prospect, audio=args.audio, session_id=session_id)
    timings["grade_s"] = round(time.perf_counter() - t0, 4)
    if args.phone_line:
        if args.audio is None:
            raise CliError("--phone-line needs a recording")
        from voicemail_coach.audio.files import read_samples

        t0 = time.perf_counter()
        result = practice.phone_checked(result, *read_samples(args.audio), rep.phone, session_id)
        timings["phone_line_s"] = round(time.perf_counter() - t0, 3)
    out = result.to_dict()
    out["timings"] = timings
    if engine:
        out["engine"] = engine
    if args.save:
        if rep.name and (problems := rep.problems()):
            raise CliError(f"not saved: {problems[0][1]} (fix it with --rep-{problems[0][0]} or 'voicemail-coach profile')")
        repo = services.repo
        stored = repo.save_rep(rep, make_active=rep_id is None and repo.active_rep() is None) if rep.name else None
        copy = repo.files.new_path(args.audio) if args.audio is not None else None
        out["attempt_id"] = practice.save(stored.id if stored else rep_id, scenario, result, transcript, copy,
                                          session_id=session_id, copy_from=args.audio)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(format_scorecard(out))
    if args.save:
        _upload_now(services)
    return 0


def _upload_now(services) -> None:
    """On a team's machine, send the attempt at once; if the server cannot be reached it waits in the outbox.
    Said on stderr, so the JSON on stdout stays as it is."""
    from voicemail_coach.team import TeamError
    from voicemail_coach.team.link import client_for, joined
    from voicemail_coach.team.sync import upload_waiting

    if not joined(services.repo):
        return
    try:
        client = client_for(services.repo)
        try:
            result = upload_waiting(services.repo, services.sessions, client)
        finally:
            client.close()
    except TeamError as exc:
        print(f"Not uploaded yet ({exc}); 'voicemail-coach team sync' sends it later.", file=sys.stderr)
        return
    if result.error:
        print(f"Saved here, not uploaded yet ({result.waiting} waiting): {result.error}", file=sys.stderr)
    else:
        print("Uploaded to the team server.", file=sys.stderr)


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
        result = practice.grade_email(args.attempt, text_input(args.file, args.text, "email"), save=args.save)
    except LookupError as exc:
        raise CliError(str(exc)) from None
    out = result.to_dict()
    out["attempt_id"] = args.attempt
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(format_scorecard(out))
    return 0
