"""Text for the terminal: what the data says is shown, never obeyed.

A string from a file (a manifest's ``dataset``, a gazetteer's name, a boundary file's
``feature``) can hold terminal escapes (``ESC [2J`` clears the screen, ``ESC ]0;…`` retitles
the window), a newline that forges a line of the answer (``\\n  Japan's EEZ  inside``), or a
right-to-left override that reverses what follows. :func:`shown` writes each such character as
its escape (``\\x1b``, ``\\n``, ``\\u202e``), so the text reads literally; every other character,
Japanese included, is unchanged.
"""

from __future__ import annotations

import re
import unicodedata

import click

# C0 and C1 controls but tab, DEL, and Unicode's line/paragraph separators and bidi controls
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    if c == "\n":
        return "\\n"
    if c == "\r":
        return "\\r"
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def shown(text: str) -> str:
    """``text`` with every control character written as its escape (see the module docs).

    >>> shown("Event\\x1b[2J\\n  Japan's EEZ  inside")
    "Event\\\\x1b[2J\\\\n  Japan's EEZ  inside"
    >>> shown("奥尻島の西約200km")
    '奥尻島の西約200km'
    """
    return _UNSAFE.sub(_escape, unicodedata.normalize("NFC", text)) if _UNSAFE.search(text) else text


def lines(rows: list[str]) -> str:
    """Lines for the terminal, each :func:`shown`, joined by newlines."""
    return "\n".join(shown(r) for r in rows)


def echo(text: str, err: bool = False) -> None:
    """Print one line of text for a person (stderr with ``err``), :func:`shown`: a newline in a
    value is written ``\\n``, never a forged line."""
    click.echo(shown(text), err=err)


def echo_lines(rows: list[str], err: bool = False) -> None:
    """Print :func:`lines` of ``rows``."""
    click.echo(lines(rows), err=err)
