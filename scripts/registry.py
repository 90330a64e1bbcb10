"""Write the files derived from the source registry: the `landed_models` var in
dbt_project.yml and docs/landing.md. Run it after adding or changing a landed table:

    .venv/bin/python scripts/registry.py
"""

from __future__ import annotations

from nyckeltal.registry import derived_files
from nyckeltal.settings import find_project_dir


def main() -> None:
    for path, text in derived_files(find_project_dir()).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
