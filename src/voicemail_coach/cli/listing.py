"""Scenarios, the rep profile and the history from the command line."""

from __future__ import annotations

import json
import sys

from voicemail_coach.cli.common import CliError, find_rep, open_services


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
    rep_id = find_rep(services, args.rep).id if args.rep else None
    rows = services.repo.history(rep_id, args.limit or None)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2))
        return 0
    if not rows:
        print("No attempts yet.")
    for r in rows:
        dur = f"{r.duration_s:.0f} s" if r.duration_s is not None else "text"
        print(f"#{r.id:<5} {r.created_at}  {r.rep or '-':20} {r.scenario_id or '-':22} {'-' if r.score is None else r.score:>3}  {dur}")
    return 0
