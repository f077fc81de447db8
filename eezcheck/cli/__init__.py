"""Command-line interface (click). The only part of eezcheck that talks to the terminal."""
