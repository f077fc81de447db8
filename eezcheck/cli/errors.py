"""The one place where library errors become CLI messages and exit codes.

Exit codes: 0 success (whatever the verdict), 1 error, 2 usage / bad input, 3 data integrity.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from eezcheck.cli.terminal import shown
from eezcheck.errors import EezcheckError, UnknownPlaceError

F = TypeVar("F", bound=Callable[..., Any])


class EezcheckCliError(click.ClickException):
    """A ClickException carrying the exit code of the library error it wraps.

    The message is one line unless ``lines`` are given: a newline inside a value quoted from a
    file or the user is shown as ``\\n`` (like every control character), never as a line of
    its own that could pass for part of the answer.
    """

    def __init__(self, message: str, exit_code: int, lines: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # a ClassVar in click >= 8.5
        self.lines = tuple(lines)

    def format_message(self) -> str:
        # a value quoted from a file or the user is shown, never obeyed (ESC, bidi overrides)
        return "\n".join(shown(line) for line in self.lines) if self.lines else shown(self.message)


def error_message(exc: EezcheckError) -> str:
    """Human text for a library error (with suggestions for unknown places)."""
    return "\n".join(error_lines(exc))


def error_lines(exc: EezcheckError) -> list[str]:
    """The lines of a library error's message: one, unless it was made with
    :meth:`~eezcheck.errors.EezcheckError.from_lines` (suggestions for unknown places end the
    last line)."""
    lines = list(exc.lines) or [str(exc)]
    msg = lines[-1]
    if isinstance(exc, UnknownPlaceError) and exc.suggestions and "did you mean" not in str(exc).lower():
        lines[-1] = msg + " Did you mean: " + ", ".join(exc.suggestions) + "?"
    return lines


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
_READ_FIX = {
    errno.EACCES: "permission denied: make the file readable (chmod u+r), or read a copy you may read",
    errno.EPERM: "the operation is not permitted: make the file readable, or read a copy you may read",
    errno.EIO: "an input/output error (a failing disk or a lost network share): retry, or use another disk",
}


# The command's parameters that name files it reads / writes (the same names in every command).
INPUT_PARAMS = ("input_path", "table", "boundaries")
OUTPUT_PARAMS = ("output", "png", "map_path", "summary_json", "plot_path")


def _given(params: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    return [str(params[n]) for n in names if params.get(n) not in (None, "", "-")]


def _matches(path: str, given: list[str]) -> bool:
    p = os.path.abspath(path)
    for g in (os.path.abspath(x) for x in given):
        if p == g or p.startswith(g.rstrip(os.sep) + os.sep):  # the file or one in its folder
            return True
    return False


def _traceback_says(exc: BaseException) -> str | None:
    """"read" or "write" from the innermost function of the traceback whose name says which
    (``read_csv_range``, ``load_store``; ``write_page``, ``save_map``), or None."""
    tb = exc.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    for name in reversed(names):
        parts = set(name.lower().strip("_").split("_"))
        if parts & {"write", "save", "writer"}:
            return "write"
        if parts & {"read", "load", "reader", "readable", "unreadable"}:
            return "read"
    return None


def _reading(exc: OSError, inputs: list[str], outputs: list[str]) -> bool:
    if exc.filename is not None:
        path = os.fsdecode(exc.filename)
        if _matches(path, inputs):
            return True
        if _matches(path, outputs):
            return False
    said = _traceback_says(exc)
    if said is not None:
        return said == "read"
    # a file that exists but may not be read: a read failed
    return exc.filename is not None and os.path.isfile(path) and not os.access(path, os.R_OK)


def system_error_message(exc: OSError, params: dict[str, Any] | None = None) -> str | None:
    """A one-line message for an OSError the machine caused (full disk, read-only folder), or
    None for any other (a bug: it keeps its traceback).

    ``params`` (the command's parameters) tell an input from an output: a failure on a file the
    command reads (or raised where a file is read) says "Cannot read"; a failure with no file
    named (``write()`` rather than ``open()`` failed) names the command's file(s)."""
    params = params or {}
    code = exc.errno or 0
    if code not in _SYSTEM_FIX:
        return None
    why = exc.strerror or errno.errorcode.get(code, "")
    inputs, outputs = _given(params, INPUT_PARAMS), _given(params, OUTPUT_PARAMS)
    reading = code in _READ_FIX and _reading(exc, inputs, outputs)  # a full disk is a write
    fix = _READ_FIX.get(code, _SYSTEM_FIX[code]) if reading else _SYSTEM_FIX[code]
    verb = "read" if reading else "write"
    if exc.filename is not None:
        return f"Cannot {verb} {os.fsdecode(exc.filename)!r}: {why}; {fix}."
    files = inputs if reading else outputs
    if len(files) == 1:
        where = repr(files[0])
    elif files:
        where = "one of " + ", ".join(repr(f) for f in files)
    else:
        where = "the input" if reading else "the output"
    return f"Cannot {verb} {where}: {why}; {fix}."


def handle_errors(func: F) -> F:
    """Decorator for every command: EezcheckError -> message on stderr + its exit code; a full
    disk or a read-only folder -> a message, exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EezcheckError as exc:
            lines = error_lines(exc)
            raise EezcheckCliError(
                "\n".join(lines), exc.exit_code, lines if exc.lines else ()
            ) from exc
        except OSError as exc:
            msg = system_error_message(exc, kwargs)
            if msg is None:
                raise
            raise EezcheckCliError(msg, 1) from exc

    return wrapper  # type: ignore[return-value]
