"""Encoded pieces written to files by Dask workers (a folder the client sees too) and appended
to the output by the client, in the kernel when it can (``copy_file_range``).
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["PartFile", "append_part", "seekable", "spill"]


@dataclass(frozen=True)
class PartFile:
    """An encoded chunk that a Dask worker wrote to a file the client can read (shared folder):
    the client copies its bytes into the output instead of receiving them over the network."""

    path: str
    size: int


def spill(payload: Any, folder: str | None) -> Any:
    """``payload`` written to a new file in ``folder`` (bytes only), else unchanged."""
    if folder is None or not isinstance(payload, (bytes, bytearray)):
        return payload
    import uuid

    path = os.path.join(folder, uuid.uuid4().hex + ".part")
    with open(path, "wb") as fh:
        fh.write(payload)
    return PartFile(path, len(payload))


_NO_COPY_RANGE = (
    errno.EXDEV,
    errno.EINVAL,
    errno.ENOSYS,
    errno.EOPNOTSUPP,
    errno.EBADF,
    errno.EPERM,
)
"""``copy_file_range`` errors that mean "not between these two files" (an O_APPEND stream,
another file system, a device): the bytes are copied through a buffer instead."""


def append_part(part: PartFile, stream: IO[bytes]) -> None:
    """Append the bytes of ``part`` to ``stream``: in the kernel (``copy_file_range``, no copy
    through this process) when both are files, else through a buffer."""
    with open(part.path, "rb") as fh:
        copy_range = getattr(os, "copy_file_range", None)
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):
            fd = None
        if copy_range is not None and fd is not None and seekable(stream):
            stream.flush()
            left = part.size
            try:
                while left > 0:
                    n = copy_range(fh.fileno(), fd, left)
                    if n == 0:
                        break
                    left -= n
            except OSError as exc:
                if left != part.size or exc.errno not in _NO_COPY_RANGE:
                    raise  # a full disk, an I/O error: as a write would
            if left == 0:
                return
            fh.seek(part.size - left)
        shutil.copyfileobj(fh, stream, 1 << 22)


def seekable(stream: Any) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False
