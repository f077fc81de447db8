"""The one place where library errors become CLI messages and exit codes.

Exit codes: 0 success (whatever the verdict), 1 error, 2 usage / bad input, 3 data integrity.
"""

from __future__ import annotations

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


def handle_errors(func: F) -> F:
    """Decorator for every command: EezcheckError -> message on stderr + its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EezcheckError as exc:
            raise EezcheckCliError(error_message(exc), exc.exit_code) from exc

    return wrapper  # type: ignore[return-value]
