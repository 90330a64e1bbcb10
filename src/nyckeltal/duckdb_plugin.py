"""dbt-duckdb plugin: the pseudonym key reaches SQL as a session variable, never as text.

dbt keeps the value of every `var()` and `env_var()` it reads in its manifest, partial-parse
cache, compiled SQL and logs, and DuckDB's `getenv()` exists only in its CLI. So the key is read
here, in the dbt process, from NYCKELTAL_PSEUDONYM_KEY and set on every connection and cursor
with a bound parameter (`SET VARIABLE ... = ?`); models hash with
`getvariable('nyckeltal_pseudonym_key')` (macros/privacy/pseudonymize.sql). Any non-empty
string works, quotes included.
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from nyckeltal.settings import DEFAULT_PSEUDONYM_KEY, PSEUDONYM_KEY_ENV

VARIABLE = "nyckeltal_pseudonym_key"


def set_key(connection: DuckDBPyConnection) -> None:
    key = os.environ.get(PSEUDONYM_KEY_ENV) or DEFAULT_PSEUDONYM_KEY
    connection.execute(f"set variable {VARIABLE} = ?", [key])


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        set_key(conn)

    def configure_cursor(self, cursor: DuckDBPyConnection) -> None:
        set_key(cursor)
