"""Exception tree of eezcheck.

Every error raised on purpose by the library derives from :class:`EezcheckError` and from a
builtin exception, so callers may catch either. The CLI turns these into messages and exit
codes in one place (``eezcheck.cli.errors``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

E = TypeVar("E", bound="EezcheckError")


class EezcheckError(Exception):
    """Root of every error eezcheck raises on purpose.

    A message is one line: a newline inside it is a quoted value's (a file name, a cell) and the
    CLI shows it as ``\\n``, never as a line of its own. A message of several lines (a report
    listing several files or rows) is made with :meth:`from_lines`, which keeps the lines apart.

    >>> err = DataIntegrityError.from_lines(["2 files failed:", "  a.bin: truncated"])
    >>> str(err), err.lines
    ('2 files failed:\\n  a.bin: truncated', ('2 files failed:', '  a.bin: truncated'))
    """

    exit_code = 1
    lines: tuple[str, ...] = ()
    """The lines of a message made by :meth:`from_lines`; empty for a one-line message."""

    @classmethod
    def from_lines(cls: type[E], lines: Iterable[str]) -> E:
        """The error whose message is ``lines`` (each shown as one line)."""
        kept = tuple(str(line) for line in lines)
        err = cls("\n".join(kept))
        err.lines = kept
        return err


class InvalidInputError(EezcheckError, ValueError):
    """A value given by the user cannot be understood."""

    exit_code = 2


class InvalidCoordinateError(InvalidInputError):
    """A latitude/longitude is malformed or out of range."""


class UnknownPlaceError(InvalidInputError):
    """A place or launch-site name is not in the gazetteer."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions or [])


class WordingError(InvalidInputError):
    """An MoD-style description (bearing, distance, place) cannot be parsed."""


class TrajectoryModelError(EezcheckError, ValueError):
    """Inputs that the ballistic model cannot represent."""

    exit_code = 2


class BoundaryDataError(EezcheckError, OSError):
    """Boundary data is missing, unreadable or unusable."""

    exit_code = 1


class AxisOrderError(BoundaryDataError):
    """A boundary file looks like it has latitude and longitude swapped."""


class ChecksumMismatchError(BoundaryDataError):
    """A data file does not match the sha256 recorded in the registry."""

    exit_code = 3


class DataIntegrityError(BoundaryDataError):
    """A data file is truncated, corrupted or missing from the registry."""

    exit_code = 3


class DownloadError(EezcheckError, OSError):
    """A download failed (no network, HTTP error, truncated or malformed response)."""


class TableFormatError(EezcheckError, ValueError):
    """An input table cannot be read at all (encoding, format, no usable columns)."""


class FileOverwriteError(EezcheckError, FileExistsError):
    """An output file exists and ``overwrite`` was not requested."""


class EngineError(EezcheckError, RuntimeError):
    """The batch engine failed during a run (the Dask scheduler or its workers were lost)."""
