"""The benchmark's PostgreSQL databases, on the server of DATABASE_URL.

`<name>_<K>x<N>` (K schools of N pupils, built by seed_demo) is built once and kept: a
later run at the same scale reuses it (`--rebuild` builds it again). Each run works on a
fresh copy, `<name>_<K>x<N>_run`, because pages write as they are read (who looked at a
pupil) and the timed actions write too: the built database never changes, so every run
starts from the same rows. The built database's comment records when and from which
commit it was built."""

import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

MARK = "bench:"


class DatabaseError(Exception):
    """DATABASE_URL is missing or is not PostgreSQL."""


@dataclass(frozen=True)
class Server:
    url: str  # DATABASE_URL as given

    def url_for(self, name: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    @property
    def base_name(self) -> str:
        return urlsplit(self.url).path.lstrip("/") or "homework"

    def execute(self, query, params=None):
        """Runs one statement on the server's maintenance database, in autocommit (CREATE
        and DROP DATABASE cannot run in a transaction); returns the first row, if any."""
        connection = psycopg2.connect(self.url_for("postgres"))
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchone() if cursor.description else None
        finally:
            connection.close()


def server_from(url: str | None) -> Server:
    if not url:
        raise DatabaseError(
            "DATABASE_URL is not set. The benchmark measures PostgreSQL, as in production: "
            "set DATABASE_URL=postgres://user:password@host:5432/name (the bench creates "
            "name_<schools>x<pupils> and a copy of it per run on that server; the user "
            "needs CREATEDB)."
        )
    scheme = urlsplit(url).scheme
    if scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise DatabaseError(
            f"DATABASE_URL is {scheme}:, not PostgreSQL. The benchmark refuses SQLite: its "
            "figures would say nothing about production, and it needs to copy databases."
        )
    return Server(url)


def built_name(server: Server, *, schools: int, pupils: int) -> str:
    return f"{server.base_name}_{schools}x{pupils}"


def database_exists(server: Server, name: str) -> bool:
    return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is not None


def built_status(server: Server, name: str) -> str | None:
    """The built database's comment if its build was completed, else None."""
    row = server.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    comment = row[0] if row else None
    return comment if comment and comment.startswith(MARK) else None


def database_drop(server: Server, name: str) -> None:
    server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_create(server: Server, name: str, *, template: str | None = None) -> None:
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        if int(server.execute("SHOW server_version_num")[0]) >= 150000:
            # One copy of the files: much faster than 15's default (WAL_LOG) for a
            # database of gigabytes.
            query += sql.SQL(" STRATEGY FILE_COPY")
    server.execute(query)


def database_mark(server: Server, name: str, text: str) -> None:
    server.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(name), sql.Literal(f"{MARK} {text}")
        )
    )


def database_analyze(server: Server, name: str) -> None:
    """Gathers the planner's statistics of every table, as autovacuum would have on a
    school's database in use: without them a freshly seeded database is planned as if
    each table had one row (nested loops where a hash join belongs)."""
    connection = psycopg2.connect(server.url_for(name))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        connection.close()


def database_size(server: Server, name: str) -> int:
    return server.execute("SELECT pg_database_size(%s)", [name])[0]


def git_commit(root: Path) -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
