"""The ``eezcheck`` command group.

Subcommands live one per module in ``eezcheck.cli`` and are imported lazily, so that
``eezcheck check`` does not pay for maps, pandas or dask.

Exit codes: 0 success (whatever the verdict), 1 error, 2 usage or bad input, 3 data integrity.
"""

from __future__ import annotations

import importlib
import logging

import click

from eezcheck._version import __version__

# command name -> (module, attribute, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("eezcheck.cli.check", "check", "Check one point: which zone, inside Japan's EEZ?"),
    "batch": ("eezcheck.cli.batch", "batch", "Check a table of events (CSV, Excel, GeoJSON, Parquet)."),
    "map": ("eezcheck.cli.map", "map_cmd", "Write a self-contained HTML map of events."),
    "trajectory": ("eezcheck.cli.trajectory", "trajectory", "Ballistic trajectory from range (and apogee)."),
    "reach": ("eezcheck.cli.reach", "reach", "Bearings from a launch site that reach Japan's EEZ."),
    "data": ("eezcheck.cli.data", "data", "Boundary data: info, list, verify, download."),
    "serve": ("eezcheck.cli.serve", "serve", "Local web application: the page, its map, a JSON API."),
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

EPILOG = """\b
Exit codes: 0 success (whatever the verdict), 1 error, 2 usage or bad input,
3 data integrity (corrupted or truncated data file).

\b
Example:
  $ eezcheck check 41.3 138.5
"""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None
            raise
        cmd: click.Command = getattr(mod, attr)
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS, epilog=EPILOG)
@click.version_option(__version__, "--version", prog_name="eezcheck")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", count=True, help="Less log output on stderr.")
def cli(verbose: int, quiet: int) -> None:
    """eezcheck: did that missile land inside Japan's exclusive economic zone?

    Geodesic (WGS84) verdicts, offline, on embedded boundary data computed from coastlines,
    or on Marine Regions / your own boundary files.
    """
    level = logging.WARNING - 10 * verbose + 10 * quiet
    logging.basicConfig(level=max(level, logging.DEBUG), format="eezcheck: %(levelname)s: %(message)s")


def main() -> None:
    """Entry point of the ``eezcheck`` console script."""
    cli(prog_name="eezcheck")


if __name__ == "__main__":  # pragma: no cover
    main()
