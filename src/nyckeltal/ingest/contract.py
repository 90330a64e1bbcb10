"""The raw data contract: the landed tables of the `landing` source in the registry
(`nyckeltal.registry`), with their columns in contract order.

Required columns must be present in a file's header, optional ones are added as NULL when a
file omits them.  The loader keeps only these columns, so the raw tables always have the same
shape.
"""

from __future__ import annotations

from nyckeltal.registry import Table, landed_tables

TABLES: tuple[Table, ...] = tuple(table for table in landed_tables() if table.source == "landing")

__all__ = ["TABLES", "Table"]
