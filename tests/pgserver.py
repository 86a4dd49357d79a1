"""A throw-away PostgreSQL cluster for the tests: Debian's server binaries, run as a non-root user
(PostgreSQL refuses root: the ``postgres`` system user the package creates), listening on a Unix
socket in a temporary folder only (no TCP port to collide with another test run), removed at the end.

``start()`` returns None with the reason when no server can be started (no binaries, no psycopg):
the PostgreSQL tests then skip and say why.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass


@dataclass
class Server:
    folder: str
    port: int
    user: str
    pg_ctl: str
    run_as: list[str]

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.user}@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host=self.folder, port=self.port, user=self.user, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=self.folder, port=self.port, user=self.user, dbname=database, autocommit=True) as conn:
            conn.execute(statement)

    def stop(self) -> None:
        subprocess.run(self.run_as + [self.pg_ctl, "-D", f"{self.folder}/data", "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:  # the socket file's name holds a port number: one no one uses
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start() -> tuple[Server | None, str]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg is not installed (pip install 'recoupe[postgres]')"
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb:
        return None, "no PostgreSQL server binaries (Debian package postgresql; scripts/system-deps.sh installs it as root)"
    bindir = os.path.dirname(initdb)
    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and no 'postgres' system user to run the server as"
        run_as = ["runuser", "-u", "postgres", "--"]
    folder = tempfile.mkdtemp(prefix="recoupe-pg-")
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    os.chmod(folder, 0o755)
    user = "recoupe"
    port = _free_port()
    try:
        subprocess.run(run_as + [initdb, "-D", f"{folder}/data", "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True, text=True)
        opts = f"-c listen_addresses='' -c unix_socket_directories={folder} -p {port} -c fsync=off -c full_page_writes=off"
        subprocess.run(run_as + [f"{bindir}/pg_ctl", "-D", f"{folder}/data", "-o", opts, "-l", f"{folder}/log", "-w", "start"],
                       check=True, capture_output=True, text=True, timeout=60)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        shutil.rmtree(folder, ignore_errors=True)
        return None, f"could not start a PostgreSQL server: {detail.strip().splitlines()[-1] if detail.strip() else e}"
    return Server(folder, port, user, f"{bindir}/pg_ctl", run_as), ""
