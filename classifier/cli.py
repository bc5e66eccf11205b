"""`intake-bot classify | train | evaluate` (PLACEHOLDER until the classifier issue lands)."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the classifier's sub-commands on the main CLI (none yet)."""
