"""This machine's membership of a team: the server's address in the local settings, the password in the
system keyring (never in a file), and the client built from them."""

from __future__ import annotations

import os

from voicemail_coach import keychain
from voicemail_coach.storage.repository import TEAM_URL
from voicemail_coach.team import TeamError
from voicemail_coach.team.client import Member, TeamClient
from voicemail_coach.team.server import password_in, without_password

KEYRING_SERVICE = "voicemail-coach team server"
PASSWORD_ENV = "VOICEMAIL_COACH_TEAM_PASSWORD"  # for scripts and machines without a keyring



def joined(repo) -> str | None:
    """The joined server's address (without password), or None."""
    return repo.setting(TEAM_URL) or None


_this_run: dict[str, str] = {}  # passwords typed since the app started, where no keyring keeps them


def stored_password(url: str) -> str | None:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if url in _this_run:
        return _this_run[url]
    return keychain.kept_password(KEYRING_SERVICE, url)


def join(repo, url: str, password: str | None = None) -> tuple[Member, bool]:
    """Check the login against the server, then remember the address (and the password in the keyring).
    Returns who this is on the server and whether the keyring kept the password."""
    address = without_password(url)
    password = password or password_in(url) or stored_password(address)
    client = TeamClient(address, password)
    try:
        member = client.whoami()
    finally:
        client.close()
    kept = bool(password) and keychain.keep_password(KEYRING_SERVICE, address, password)
    if password:
        _this_run[address] = password
    repo.set_setting(TEAM_URL, address)
    return member, kept


def leave(repo) -> str | None:
    """Forget the team server (attempts waiting to upload stay queued in case the machine joins again)."""
    address = joined(repo)
    if address:
        keychain.forget_password(KEYRING_SERVICE, address)
        _this_run.pop(address, None)
        repo.clear_setting(TEAM_URL)
    return address


def client_for(repo, password: str | None = None) -> TeamClient:
    """A client for the joined server, with ``password`` or the one kept for it."""
    address = joined(repo)
    if not address:
        raise TeamError("this machine has not joined a team: run 'voicemail-coach team join postgresql://…'")
    return TeamClient(address, password or stored_password(address))


def recordings_cache(cache_root, address: str):
    """Where recordings fetched from this server are kept on this machine (one folder per server)."""
    import hashlib

    return cache_root / "team-recordings" / hashlib.sha256(address.encode()).hexdigest()[:16]
