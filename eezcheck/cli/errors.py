"""The one place where library errors become CLI messages and exit codes.

Exit codes: 0 success (whatever the verdict), 1 error, 2 usage / bad input, 3 data integrity.
"""

from __future__ import annotations

import errno
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from eezcheck.errors import EezcheckError, UnknownPlaceError

F = TypeVar("F", bound=Callable[..., Any])


class EezcheckCliError(click.ClickException):
    """A ClickException carrying the exit code of the library error it wraps."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # a ClassVar in click >= 8.5

    def format_message(self) -> str:
        return self.message


def error_message(exc: EezcheckError) -> str:
    """Human text for a library error (with suggestions for unknown places)."""
    msg = str(exc)
    if isinstance(exc, UnknownPlaceError) and exc.suggestions and "did you mean" not in msg.lower():
        msg += " Did you mean: " + ", ".join(exc.suggestions) + "?"
    return msg


# The machine's conditions, not eezcheck's bugs: a one-line message (exit 1), no traceback.
_SYSTEM_FIX = {
    errno.ENOSPC: "the disk is full: free some space, or write the output to another disk",
    errno.EDQUOT: "the disk quota is exceeded: free some space, or write the output elsewhere",
    errno.EFBIG: "the file is larger than this file system allows: write it to another disk",
    errno.EROFS: "the file system is read-only: use a writable folder (for the cache or state folder, set EEZCHECK_CACHE_DIR or EEZCHECK_STATE_DIR)",
    errno.EACCES: "permission denied: write the output to a folder you may write to",
    errno.EPERM: "the operation is not permitted: write the output to a folder you may write to",
    errno.EIO: "an input/output error (a failing disk or a lost network share): retry, or use another disk",
}


def system_error_message(exc: OSError) -> str | None:
    """A one-line message for an OSError the machine caused (full disk, read-only folder), or
    None for any other (a bug: it keeps its traceback)."""
    fix = _SYSTEM_FIX.get(exc.errno or 0)
    if fix is None:
        return None
    where = f"{exc.filename!r}" if exc.filename is not None else "the output"
    return f"Cannot write {where}: {exc.strerror or errno.errorcode.get(exc.errno or 0, '')}; {fix}."


def handle_errors(func: F) -> F:
    """Decorator for every command: EezcheckError -> message on stderr + its exit code; a full
    disk or a read-only folder -> a message, exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EezcheckError as exc:
            raise EezcheckCliError(error_message(exc), exc.exit_code) from exc
        except OSError as exc:
            msg = system_error_message(exc)
            if msg is None:
                raise
            raise EezcheckCliError(msg, 1) from exc

    return wrapper  # type: ignore[return-value]
