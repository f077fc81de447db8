"""Output files of the library (a map page, a PNG, a profile plot): the one check of a
destination and the one atomic writer.

A destination is refused, before any work, when it is a folder or when it exists and
``overwrite`` is not given; a file is written whole or not at all (a temporary file in the same
folder, then ``os.replace``), its parent folders made. Table outputs of ``eezcheck batch`` have
their own rules for streams (:mod:`eezcheck.batch.io`).

>>> import os, tempfile
>>> p = write_atomic(os.path.join(tempfile.mkdtemp(), "sub", "a.txt"), "text\\n")
>>> p.read_text()
'text\\n'
>>> check_destination(p, overwrite=False, example="a.txt")
Traceback (most recent call last):
...
eezcheck.errors.FileOverwriteError: '...a.txt' exists; use --overwrite (overwrite=True) to replace it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from eezcheck.errors import FileOverwriteError


def check_destination(path: str | os.PathLike[str], overwrite: bool, example: str) -> Path:
    """``path`` as a :class:`~pathlib.Path`, or :class:`~eezcheck.errors.FileOverwriteError`
    when it is a folder (the message suggests a file name such as ``example``) or exists and
    ``overwrite`` is False."""
    out = Path(path)
    if out.is_dir():
        raise FileOverwriteError(f"{str(out)!r} is a directory; give a file name such as {example}.")
    if out.exists() and not overwrite:
        raise FileOverwriteError(f"{str(out)!r} exists; use --overwrite (overwrite=True) to replace it.")
    return out


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, ``\\n`` line ends kept) to ``path`` atomically, mode 0644,
    making its parent folders; returns the path."""
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileOverwriteError(
            f"cannot make the folder {str(out.parent)!r} for {str(out)!r}: {exc.strerror or exc}"
        ) from exc
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=str(out.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


__all__ = ["check_destination", "write_atomic"]
