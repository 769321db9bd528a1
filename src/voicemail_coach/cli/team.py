"""Command line for the team server: set one up, add people, join it, upload, and read the board."""

from __future__ import annotations

import getpass
import json
import os
import sys

from voicemail_coach.cli.common import CliError, find_rep, open_services


def add_parsers(sub, common) -> None:
    t = sub.add_parser("team", parents=[common], help="a team server on PostgreSQL: set up, join, upload, board")
    tsub = t.add_subparsers(dest="action", required=True)

    i = tsub.add_parser("init", parents=[common], help="set up a server's database: schema, roles, team, first trainer")
    i.add_argument("url", help="postgresql://OWNER@HOST/DATABASE — a user that owns the database and may create roles")
    i.add_argument("--team", required=True, help="the team's name")
    i.add_argument("--trainer", required=True, help="the first trainer's name")
    i.add_argument("--email", default="")
    i.add_argument("--login", help="the trainer's server login (default: from the name)")

    for role in ("rep", "trainer"):
        a = tsub.add_parser(f"add-{role}", parents=[common], help=f"as a trainer: create a {role}'s login")
        a.add_argument("name")
        a.add_argument("--email", default="")
        a.add_argument("--login", help="the server login (default: from the name)")

    j = tsub.add_parser("join", parents=[common], help="use a team server from this machine")
    j.add_argument("url", help="postgresql://LOGIN@HOST/DATABASE (the password is asked, then kept in the keyring)")
    tsub.add_parser("leave", parents=[common], help="stop using the team server on this machine")
    tsub.add_parser("status", parents=[common], help="which server, which login and role, attempts waiting")
    tsub.add_parser("sync", parents=[common], help="upload the attempts waiting in the outbox now")
    u = tsub.add_parser("upload-history", parents=[common],
                        help="send this machine's past attempts to the server (safe to repeat)")
    u.add_argument("--rep", help="only this rep's attempts (default: the active rep)")

    s = tsub.add_parser("session", parents=[common], help="as a trainer: create a session on the server")
    s.add_argument("name")
    s.add_argument("--rep", action="append", default=[], help="a rep's login (repeat)")
    s.add_argument("--pass-mark", type=int, default=80)

    b = tsub.add_parser("board", parents=[common], help="a session's board, from the server")
    b.add_argument("session", help="the session's name")


def _password(prompt: str) -> str | None:
    from voicemail_coach.team.link import PASSWORD_ENV

    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return None


def _client(services):
    """The joined server's client; at a terminal, the password is asked when none is kept."""
    from voicemail_coach.team.link import client_for, joined, stored_password

    address = joined(services.repo)
    password = _password(f"Password for {address}: ") if address and stored_password(address) is None else None
    return client_for(services.repo, password)


def cmd_team(args) -> int:
    from voicemail_coach.team import TeamError

    try:
        return ACTIONS[args.action](args)
    except TeamError as exc:
        raise CliError(str(exc)) from None


def _init(args) -> int:
    from voicemail_coach.team.server import init, password_in

    url = args.url
    if password_in(url) is None and (pw := _password("Password of the database owner: ")):
        from voicemail_coach.team.server import with_password

        url = with_password(url, pw)
    login, password = init(url, args.team, args.trainer, args.email, args.login)
    _show_login(args, login, password, "trainer", f"Team “{args.team}” is ready on the server.")
    return 0


def _show_login(args, login: str, password: str, role: str, headline: str) -> None:
    if args.json:
        print(json.dumps({"login": login, "password": password, "role": role}))
        return
    print(headline)
    print(f"  {role} login: {login}")
    print(f"  password:   {password}   (shown once: hand it over in person; it can join with 'team join')")


def _add(role: str):
    def add(args) -> int:
        from voicemail_coach.team.server import login_for, new_password

        services = open_services(args)
        client = _client(services)
        login, password = args.login or login_for(args.name), new_password()
        try:
            client.add_member(login, args.name, args.email, role, password)
        finally:
            client.close()
        _show_login(args, login, password, role, f"{args.name} can now join the team.")
        return 0

    return add


def _join(args) -> int:
    from voicemail_coach.team.link import join
    from voicemail_coach.team.server import password_in, without_password

    services = open_services(args)
    password = password_in(args.url) or _password(f"Password for {without_password(args.url)}: ")
    member, kept = join(services.repo, args.url, password)
    if args.json:
        print(json.dumps({"server": without_password(args.url), "login": member.login, "role": member.role,
                          "team": member.team, "password_kept": kept}))
        return 0
    print(f"Joined team “{member.team}” as {member.name} ({member.role}, login {member.login}).")
    if not kept:
        print("No system keyring took the password: set VOICEMAIL_COACH_TEAM_PASSWORD, or you will be asked again.")
    print("New attempts upload as they are saved; 'voicemail-coach team upload-history' sends earlier ones.")
    return 0


def _leave(args) -> int:
    from voicemail_coach.team.link import leave

    services = open_services(args)
    address = leave(services.repo)
    print(f"This machine no longer uses {address}." if address else "This machine had not joined a team.")
    return 0


def _status(args) -> int:
    from voicemail_coach.team import TeamError
    from voicemail_coach.team.link import joined

    services = open_services(args)
    address = joined(services.repo)
    status = {"server": address, "waiting": len(services.repo.waiting_uploads()),
              "refused": services.repo.upload_problems()}
    if address:
        try:
            client = _client(services)
            try:
                member = client.whoami()
            finally:
                client.close()
            status.update(login=member.login, name=member.name, role=member.role, team=member.team, reachable=True)
        except TeamError as exc:
            status.update(reachable=False, problem=str(exc))
    if args.json:
        print(json.dumps(status))
        return 0
    if not address:
        print("Not joined to a team server (see 'voicemail-coach team join').")
        return 0
    print(f"Server:  {address}")
    if status["reachable"]:
        print(f"Login:   {status['login']} ({status['name']}), {status['role']} in team “{status['team']}”")
    else:
        print(f"Server not reachable now: {status['problem']}")
    print(f"Waiting to upload: {status['waiting']}")
    for attempt_id, reason in status["refused"].items():
        print(f"  attempt #{attempt_id} refused by the server: {reason}")
    return 0


def _sync(args) -> int:
    from voicemail_coach.team.sync import upload_waiting

    services = open_services(args)
    client = _client(services)
    try:
        result = upload_waiting(services.repo, services.sessions, client)
    finally:
        client.close()
    if args.json:
        print(json.dumps(result.__dict__))
    else:
        print(f"Uploaded {result.sent} attempt(s)" + (f", {result.already} were already there" if result.already
                                                      else "") + f"; {result.waiting} waiting.")
        if result.error:
            print(f"Stopped: {result.error}")
    return 0 if not result.error else 1


def _upload_history(args) -> int:
    from voicemail_coach.core.records import HistoryFilter

    from voicemail_coach.team.link import joined

    services = open_services(args)
    if not joined(services.repo):  # said plainly before anything is queued
        raise CliError("this machine has not joined a team: run 'voicemail-coach team join postgresql://…'")
    rep = find_rep(services, args.rep) if args.rep else services.repo.active_rep()
    if rep is None:
        raise CliError("no rep profile on this machine yet")
    ids = [r.id for r in services.repo.rows(HistoryFilter(rep_id=rep.id))]
    queued = services.repo.queue_uploads(ids)
    if not args.json:
        print(f"{len(ids)} attempt(s) of {rep.profile.name} on this machine, {queued} newly queued.")
    return _sync(args)


def _session(args) -> int:
    services = open_services(args)
    client = _client(services)
    try:
        session_id = client.create_session(args.name, args.rep, args.pass_mark)
    finally:
        client.close()
    print(json.dumps({"session": session_id}) if args.json else f"Session “{args.name}” created on the server.")
    return 0


def _board(args) -> int:
    services = open_services(args)
    client = _client(services)
    try:
        session_id = client.session_id(args.session)
        if session_id is None:
            raise CliError(f"no session called “{args.session}” that you can see on the server")
        rows = client.board(session_id)
    finally:
        client.close()
    if args.json:
        print(json.dumps([r.__dict__ for r in rows]))
        return 0
    if not rows:
        print("No attempts in this session yet.")
    for r in rows:
        print(f"{r.name:24} {r.scenario_id or '':22} attempts {r.attempts:3}  best {r.best if r.best is not None else '–':>3}"
              f"  latest {r.latest if r.latest is not None else '–':>3}")
    return 0


ACTIONS = {"init": _init, "add-rep": _add("rep"), "add-trainer": _add("trainer"), "join": _join, "leave": _leave,
           "status": _status, "sync": _sync, "upload-history": _upload_history, "session": _session,
           "board": _board}
COMMANDS = {"team": cmd_team}
