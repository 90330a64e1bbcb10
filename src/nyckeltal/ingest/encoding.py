"""A landing file's encoding, decided for the whole file before it is read: UTF-8, or a
declared or detected Windows-1252 / Latin-1 (then read from a UTF-8 copy), so a fault gets the
same answer wherever it sits in the file."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from nyckeltal.ingest.files import LandingError, open_bytes
from nyckeltal.ingest.notes import LandingNote

CHUNK_BYTES = 1 << 20
# NYCKELTAL_LANDING_ENCODING -> the Python codec of files that are not UTF-8 (auto: detected)
ENCODINGS = {"auto": None, "utf-8": None, "windows-1252": "cp1252", "latin-1": "latin-1"}


def utf8_fault(path: Path) -> tuple[int, int] | None:
    """None when the whole file (decompressed) is valid UTF-8, read in 1 MiB chunks; else the
    position in the file of the first byte that is not, and that byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        with open_bytes(path) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        # the decoder holds back at most 3 bytes of an unfinished sequence from earlier chunks
        return max(offset + error.start, 0), error.object[error.start]
    except (OSError, EOFError) as error:
        raise LandingError(f"{path}: cannot be read ({error})") from error
    return None


def _decode_to(path: Path, codec: str, copy: Path) -> bool:
    """Write the file's text, decoded with `codec`, to `copy` as UTF-8; False when a byte is
    undefined in that codec."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with open_bytes(path) as source, copy.open("w", encoding="utf-8") as target:
            while chunk := source.read(CHUNK_BYTES):
                target.write(decoder.decode(chunk))
    except UnicodeDecodeError:
        return False
    return True


def utf8_copy(path: Path, fault: tuple[int, int], declared: str) -> tuple[Path, LandingNote]:
    """A UTF-8 copy of a file that is not UTF-8 (`fault`: where it stops being), written
    chunk by chunk in the `declared` encoding, or for `auto` Windows-1252 (Latin-1 where
    Windows-1252 leaves a byte undefined); and the note that says so. The caller removes it."""
    if declared == "utf-8":
        raise LandingError(
            f"{path}: not UTF-8 (byte 0x{fault[1]:02x} near byte {fault[0]:,});"
            " NYCKELTAL_LANDING_ENCODING=utf-8 accepts nothing else"
        )
    descriptor, name = tempfile.mkstemp(prefix="nyckeltal-landing-", suffix=".csv")
    os.close(descriptor)
    copy = Path(name)
    codec = ENCODINGS.get(declared)
    candidates = (
        [(codec, declared)] if codec else [("cp1252", "windows-1252"), ("latin-1", "latin-1")]
    )
    for candidate, label in candidates:
        if _decode_to(path, candidate, copy):
            how = "declared" if codec else "detected"
            note = LandingNote(
                "encoding", str(path), f"not UTF-8: read as {label} ({how})", is_warning=not codec
            )
            return copy, note
    copy.unlink(missing_ok=True)
    raise LandingError(
        f"{path}: neither UTF-8 nor {declared} (a byte is undefined in {declared});"
        " check NYCKELTAL_LANDING_ENCODING"
    )
