"""Ingest: the landing folder into the build database's `raw` schema.

Modules, each with the types it produces: `contract` (the tables a landing folder may hold),
`files` (finding files, `LandingError`), `encoding` and `dates` (what a file does not say
itself, decided per file), `notes` (what the loader noticed), `reader` (one file into
`raw.<table>`), `servicenow` (the ServiceNow export adapter) and `load` (the whole folder).
"""

from nyckeltal.ingest.files import LandingError, landing_has_data
from nyckeltal.ingest.load import LandingLoad, load_landing, unknown_landing_files
from nyckeltal.ingest.notes import LandingNote
from nyckeltal.ingest.reader import ReadingOptions

__all__ = [
    "LandingError",
    "LandingLoad",
    "LandingNote",
    "ReadingOptions",
    "landing_has_data",
    "load_landing",
    "unknown_landing_files",
]
