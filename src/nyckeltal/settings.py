"""Settings: one frozen dataclass, read from the environment with defaults."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_PSEUDONYM_KEY = "nyckeltal-default-key-change-me"
# read by the dbt process (nyckeltal.duckdb_plugin), never passed to dbt as a var
PSEUDONYM_KEY_ENV = "NYCKELTAL_PSEUDONYM_KEY"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def find_project_dir() -> Path:
    """The dbt project: NYCKELTAL_PROJECT_DIR, else the nearest folder with dbt_project.yml."""
    configured = os.environ.get("NYCKELTAL_PROJECT_DIR")
    if configured:
        path = Path(configured).resolve()
        if not (path / "dbt_project.yml").is_file():
            raise SettingsError(f"NYCKELTAL_PROJECT_DIR={configured}: no dbt_project.yml there")
        return path
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for candidate in (start, *start.parents):
            if (candidate / "dbt_project.yml").is_file():
                return candidate
    raise SettingsError("no dbt_project.yml found: run from the nyckeltal checkout")


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    landing_dir: Path
    warehouse_dir: Path
    published_path: Path
    source_timezone: str = "Europe/Stockholm"
    reporting_timezone: str = "Europe/Stockholm"
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY
    currency: str = "SEK"
    threads: int = 2
    # models dbt builds at once (None: `threads`); each has the whole memory limit and spill
    # budget to share with the others, so 1 keeps the largest data sets within them
    dbt_threads: int | None = None
    # DuckDB, for dbt and for the loader and publisher: the buffer pool (queries spill beyond
    # it), where and how much they may spill, and whether tables keep their insertion order
    memory_limit: str = "3GB"
    temp_directory: Path | None = None
    max_temp_size: str = "20GB"
    preserve_insertion_order: bool = False
    # ServiceNow exports: the time zone their naive timestamps are in (default: source_timezone)
    # and the date format of files whose slash dates are ambiguous (dmy or mdy)
    servicenow_timezone: str | None = None
    servicenow_date_format: str | None = None
    # contract files: the date format of files whose slash dates are ambiguous (dmy or mdy),
    # and the encoding of files that are not UTF-8 (auto, utf-8, windows-1252, latin-1)
    date_format: str | None = None
    landing_encoding: str = "auto"
    # the guard against shrinking: largest share of a landed table's rows that may be
    # quarantined, and whether this run publishes a shrink anyway (--accept-shrink)
    max_quarantined_share: float = 0.5
    # "now" for the status rules (NYCKELTAL_AS_OF, UTC); None: the moment the run starts
    as_of: datetime | None = None
    accept_shrink: bool = False
    extra_vars: dict[str, object] = field(default_factory=dict)
    # expectation suites to run (None: nyckeltal.quality.expectations.default_suites)
    suites: list | None = None

    @property
    def build_path(self) -> Path:
        return self.warehouse_dir / "build.duckdb"

    @property
    def target_dir(self) -> Path:
        return self.warehouse_dir / "target"

    @property
    def docs_dir(self) -> Path:
        return self.warehouse_dir / "docs"

    @property
    def dashboards_dir(self) -> Path:
        return self.warehouse_dir / "dashboards"

    @property
    def models_at_once(self) -> int:
        return self.threads if self.dbt_threads is None else self.dbt_threads

    @property
    def temp_dir(self) -> Path:
        return self.temp_directory or self.warehouse_dir / "tmp"

    def duckdb_config(self) -> dict[str, str]:
        """The settings every DuckDB database the run opens for writing gets at open."""
        return {
            "threads": str(self.threads),
            "memory_limit": self.memory_limit,
            "temp_directory": str(self.temp_dir),
            "max_temp_directory_size": self.max_temp_size,
            "preserve_insertion_order": str(self.preserve_insertion_order).lower(),
        }

    @property
    def data_last_date(self) -> date:
        """The last day of generated data: the day before "today" (as_of, or now in UTC)."""
        today = (self.as_of or datetime.now(UTC)).date()
        return today - timedelta(days=1)

    @property
    def uses_default_key(self) -> bool:
        return self.pseudonym_key == DEFAULT_PSEUDONYM_KEY

    def with_landing(self, landing_dir: Path | None) -> Settings:
        if landing_dir is None:
            return self
        return replace(self, landing_dir=landing_dir.resolve())

    def dbt_vars(self) -> dict[str, object]:
        return {
            "source_timezone": self.source_timezone,
            "reporting_timezone": self.reporting_timezone,
            "currency": self.currency,
            "servicenow_timezone": self.servicenow_timezone or self.source_timezone,
            **({"as_of": f"{self.as_of:%Y-%m-%d %H:%M:%S}"} if self.as_of else {}),
            **self.extra_vars,
        }

    def dbt_env(self) -> dict[str, str]:
        """Environment variables profiles/profiles.yml reads."""
        return {
            "NYCKELTAL_BUILD_PATH": str(self.build_path),
            "NYCKELTAL_THREADS": str(self.threads),
            "NYCKELTAL_DBT_THREADS": str(self.models_at_once),
            "NYCKELTAL_MEMORY_LIMIT": self.memory_limit,
            "NYCKELTAL_TEMP_DIR": str(self.temp_dir),
            "NYCKELTAL_MAX_TEMP_SIZE": self.max_temp_size,
            "NYCKELTAL_PRESERVE_INSERTION_ORDER": str(self.preserve_insertion_order).lower(),
            PSEUDONYM_KEY_ENV: self.pseudonym_key,
        }


MEMORY_LIMIT = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?\s*$", re.I)


def _time_zone(name: str, value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(f"{name}={value}: not a time zone (use an IANA name)") from error


def _writable_folder(name: str, folder: Path) -> None:
    """Create the folder if needed and prove a file can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".nyckeltal-probe-"):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SettingsError(f"{name}={folder}: cannot write there ({reason})") from error


def check_settings(settings: Settings) -> None:
    """Before any work: every setting usable, every folder readable or writable as needed.
    Raises SettingsError naming the setting (exit 2)."""
    for name, count in (
        ("NYCKELTAL_THREADS", settings.threads),
        ("NYCKELTAL_DBT_THREADS", settings.models_at_once),
    ):
        if count < 1:
            raise SettingsError(f"{name}={count}: use a whole number >= 1")
    for name, size in (
        ("NYCKELTAL_MEMORY_LIMIT", settings.memory_limit),
        ("NYCKELTAL_MAX_TEMP_SIZE", settings.max_temp_size),
    ):
        if not MEMORY_LIMIT.match(size):
            raise SettingsError(f"{name}={size}: use a size such as 3GB or 512MB")
    _time_zone("NYCKELTAL_SOURCE_TIMEZONE", settings.source_timezone)
    _time_zone("NYCKELTAL_REPORTING_TIMEZONE", settings.reporting_timezone)
    if settings.servicenow_timezone:
        _time_zone("NYCKELTAL_SERVICENOW_TIMEZONE", settings.servicenow_timezone)
    if not re.fullmatch(r"[A-Z]{3}", settings.currency):
        raise SettingsError(
            f"NYCKELTAL_CURRENCY={settings.currency}: use a three-letter code such as SEK"
        )
    landing = settings.landing_dir
    if landing.exists() and not (landing.is_dir() and os.access(landing, os.R_OK | os.X_OK)):
        raise SettingsError(f"NYCKELTAL_LANDING={landing}: not a readable folder")
    _writable_folder("NYCKELTAL_WAREHOUSE_DIR", settings.warehouse_dir)
    _writable_folder("NYCKELTAL_TEMP_DIR", settings.temp_dir)
    _writable_folder("NYCKELTAL_PUBLISHED_PATH", settings.published_path.parent)


def parse_as_of(name: str, text: str | None) -> datetime | None:
    """ "Today" for the status rules and the generator: a date or an ISO time, in UTC (naive)."""
    if not text:
        return None
    try:
        as_of = datetime.fromisoformat(text)
    except ValueError as error:
        raise SettingsError(
            f"{name}={text}: use a date (YYYY-MM-DD) or an ISO time in UTC"
        ) from error
    return as_of.astimezone(UTC).replace(tzinfo=None) if as_of.tzinfo else as_of


def _choice(env: dict[str, str], name: str, allowed: tuple[str, ...], hint: str) -> str | None:
    """The setting's value (lower case) if it is one of `allowed`; None when unset."""
    value = (env.get(name) or "").strip().lower() or None
    if value is not None and value not in allowed:
        raise SettingsError(f"{name}={env[name]}: {hint}")
    return value


def _whole_number(env: dict[str, str], name: str) -> int | None:
    text = env.get(name)
    if not text:
        return None
    try:
        return int(text)
    except ValueError as error:
        raise SettingsError(f"{name}={text}: not a whole number") from error


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    project_dir = find_project_dir()
    warehouse_dir = Path(env.get("NYCKELTAL_WAREHOUSE_DIR", project_dir / "warehouse")).resolve()
    published = env.get("NYCKELTAL_PUBLISHED_PATH")
    threads, dbt_threads = (
        _whole_number(env, name) for name in ("NYCKELTAL_THREADS", "NYCKELTAL_DBT_THREADS")
    )
    share_text = env.get("NYCKELTAL_MAX_QUARANTINED_SHARE", "0.5")
    try:
        share = float(share_text)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise SettingsError(
            f"NYCKELTAL_MAX_QUARANTINED_SHARE={share_text}: use a fraction from 0 to 1"
        )
    as_of = parse_as_of("NYCKELTAL_AS_OF", env.get("NYCKELTAL_AS_OF") or None)
    date_formats = {
        name: _choice(env, name, ("iso", "dmy", "mdy"), "use iso, dmy (DD/MM/YYYY) or mdy")
        for name in ("NYCKELTAL_DATE_FORMAT", "NYCKELTAL_SERVICENOW_DATE_FORMAT")
    }
    encoding = _choice(
        env,
        "NYCKELTAL_LANDING_ENCODING",
        ("auto", "utf-8", "windows-1252", "latin-1"),
        "use auto, utf-8, windows-1252 or latin-1",
    )
    return Settings(
        project_dir=project_dir,
        landing_dir=Path(env.get("NYCKELTAL_LANDING", project_dir / "landing")).resolve(),
        warehouse_dir=warehouse_dir,
        published_path=(
            Path(published).resolve() if published else warehouse_dir / "published.duckdb"
        ),
        source_timezone=env.get("NYCKELTAL_SOURCE_TIMEZONE", "Europe/Stockholm"),
        reporting_timezone=env.get("NYCKELTAL_REPORTING_TIMEZONE", "Europe/Stockholm"),
        pseudonym_key=env.get(PSEUDONYM_KEY_ENV) or DEFAULT_PSEUDONYM_KEY,
        currency=env.get("NYCKELTAL_CURRENCY", "SEK"),
        threads=2 if threads is None else threads,
        dbt_threads=dbt_threads,
        memory_limit=env.get("NYCKELTAL_MEMORY_LIMIT", "3GB"),
        temp_directory=Path(env["NYCKELTAL_TEMP_DIR"]).resolve()
        if env.get("NYCKELTAL_TEMP_DIR")
        else None,
        max_temp_size=env.get("NYCKELTAL_MAX_TEMP_SIZE", "20GB"),
        preserve_insertion_order=_choice(
            env, "NYCKELTAL_PRESERVE_INSERTION_ORDER", ("true", "false"), "use true or false"
        )
        == "true",
        servicenow_timezone=env.get("NYCKELTAL_SERVICENOW_TIMEZONE") or None,
        servicenow_date_format=date_formats["NYCKELTAL_SERVICENOW_DATE_FORMAT"],
        date_format=date_formats["NYCKELTAL_DATE_FORMAT"],
        landing_encoding=encoding or "auto",
        max_quarantined_share=share,
        as_of=as_of,
    )
