"""Reaching a team server and setting one up: connections, migrations, the first trainer, new members."""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path

from voicemail_coach.team import TeamError, TeamLoginRefused, TeamUnreachable

MIGRATIONS = Path(__file__).with_name("migrations")
CONNECT_TIMEOUT_S = 5


def engine_for(url: str, password: str | None = None):
    """An SQLAlchemy engine on the psycopg driver. TLS is used whenever the server offers it (libpq's
    ``sslmode=prefer``); ``?sslmode=verify-full&sslrootcert=…`` in the address asks for more."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        address = make_url(url)
    except ArgumentError:
        raise TeamError(f"“{url}” is not a server address; it looks like postgresql://user@host/database") from None
    if address.get_backend_name() != "postgresql":
        raise TeamError("a team server is a PostgreSQL server: its address starts with postgresql://")
    address = address.set(drivername="postgresql+psycopg")
    if password is not None:
        address = address.set(password=password)
    return create_engine(address, pool_pre_ping=True, pool_size=2, max_overflow=2,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "voicemail-coach"})


def without_password(url: str) -> str:
    """The address as it may be stored and shown: never with a password in it."""
    from sqlalchemy.engine import URL, make_url

    u = make_url(url)  # URL.set() cannot clear a field, so the address is built again without it
    return URL.create(u.drivername, u.username, None, u.host, u.port, u.database, u.query).render_as_string(
        hide_password=False)


def with_password(url: str, password: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def password_in(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    return make_url(url).password


UNREACHABLE = ("connection refused", "could not connect", "timeout", "timed out", "server closed the connection",
               "terminating connection", "connection is closed", "the database system is shutting down",
               "the database system is starting up", "no route to host", "name or service not known")


LOGIN_REFUSED = ("password authentication failed", "no password supplied", "fe_sendauth")


def error_for(exc: Exception) -> TeamError:
    """A driver's error as a TeamError; TeamUnreachable when trying again later may work."""
    message = explain(exc)
    text = str(getattr(exc, "orig", None) or exc).lower()
    if any(u in text for u in UNREACHABLE):
        return TeamUnreachable(message)
    if any(r in text for r in LOGIN_REFUSED):
        return TeamLoginRefused(message)
    return TeamError(message)


def explain(exc: Exception) -> str:
    """A database driver's error in words a trainer can act on."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    low = text.lower()
    if "no password supplied" in low or "fe_sendauth" in low:  # LOGIN_REFUSED, with no password at all
        return ("the server asks for a password and none is kept on this computer (no keyring): join again, or set "
                "VOICEMAIL_COACH_TEAM_PASSWORD")
    if "password authentication failed" in low:
        return "the server refused the login: check the user name and password"
    if any(u in low for u in UNREACHABLE):
        return "the team server cannot be reached; check the address and the network (attempts wait and upload later)"
    if "does not exist" in low and "database" in low:
        return f"the server has no such database ({text})"
    if "permission denied" in low or "row-level security" in low:
        return f"the server does not allow this for your login ({text})"
    return text


def migrate(conn) -> None:
    """Bring the team schema up to date with Alembic, on ``conn`` (inside its transaction)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def schema_version(conn) -> str | None:
    from sqlalchemy import text

    if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def login_for(name: str) -> str:
    """A server login from a person's name: "Dave Kowalski" → dave_kowalski."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    login = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if not login or not login[0].isalpha():
        login = "rep_" + login
    return login[:63]


def new_password() -> str:
    return secrets.token_urlsafe(12)


def init(admin_url: str, team: str, trainer_name: str, trainer_email: str = "", login: str | None = None,
         password: str | None = None) -> tuple[str, str]:
    """Create (or update) the schema and roles, the team and its first trainer. Run with an address whose user
    owns the database and may create roles. Returns the trainer's login and password."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    login = login or login_for(trainer_name)
    password = password or new_password()
    engine = engine_for(admin_url)
    try:
        with engine.begin() as conn:
            migrate(conn)
            conn.execute(text("INSERT INTO teams(name) VALUES (:t) ON CONFLICT (name) DO NOTHING"), {"t": team})
            team_id = conn.execute(text("SELECT id FROM teams WHERE name = :t"), {"t": team}).scalar_one()
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}).first():
                raise TeamError(f"the server already has a login called {login}; choose another with --login")
            # the server quotes the login and password; the statement then runs as it is, with no parameters
            create = conn.execute(text("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE vc_trainer', CAST(:l AS text), CAST(:p AS text))"),
                                  {"l": login, "p": password}).scalar_one()
            conn.connection.driver_connection.execute(create)
            conn.execute(text("INSERT INTO members(login, team_id, name, email, role) "
                              "VALUES (:l, :t, :n, :e, 'trainer')"),
                         {"l": login, "t": team_id, "n": trainer_name, "e": trainer_email})
    except SQLAlchemyError as exc:
        raise error_for(exc) from None
    finally:
        engine.dispose()
    return login, password
