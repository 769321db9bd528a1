"""A real PostgreSQL server for the tests, started from Debian's binaries in a throw-away folder.

PostgreSQL refuses to run as root, so under root (as CI runs) the server runs as the ``postgres`` system
user that Debian's package creates. It listens on 127.0.0.1 at a free port with password (SCRAM) logins, as a
team's server would; the superuser is ``vc_admin``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ADMIN = "vc_admin"
ADMIN_PASSWORD = "admin-secret"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def available() -> bool:
    return _bin_dir() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin_dir: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, user: str = ADMIN, password: str = ADMIN_PASSWORD, database: str = "postgres") -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, cwd=self.folder)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                         "-o", options, "start", check=False)
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def create_database(self, name: str) -> str:
        """A new database owned by the superuser; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(database=name)


def start_server() -> PostgresServer:
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server binaries are not installed (Debian package 'postgresql')")
    folder = Path(tempfile.mkdtemp(prefix="vc-postgres-", dir="/tmp"))
    (folder / "pw").write_text(ADMIN_PASSWORD + "\n")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        os.chown(folder / "pw", user.pw_uid, user.pw_gid)
    server = PostgresServer(folder, _free_port(), bin_dir)
    server._run("initdb", "-D", str(server.data), "-U", ADMIN, f"--pwfile={folder / 'pw'}", "-E", "UTF8",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-instructions")
    server.start()
    deadline = time.monotonic() + 30
    while server._run("pg_isready", "-h", "127.0.0.1", "-p", str(server.port), check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError("PostgreSQL started but does not accept connections")
        time.sleep(0.1)
    return server


def remove(server: PostgresServer) -> None:
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
