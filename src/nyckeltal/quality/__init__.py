"""Data-quality checks that run outside dbt (Great Expectations)."""
