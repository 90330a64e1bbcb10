"""nyckeltal: KPI warehouse on dbt and DuckDB."""

__version__ = "0.1.0"
